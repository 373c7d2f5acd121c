"""The reading model of a review's snapshot, in one language: what the draft page (consultation) and the PDF
(reports) both show, built in one place below both."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.i18n import current_language
from frameworks.models import NationalInstrument, SupportArea
from reviews.models import GapEntry, Rating, Recommendation, ReviewCycle
from reviews.snapshots import ALIGNMENT_REFERENCES, PUBLIC, for_edition, pick


@dataclass
class ChartRow:
    label: str
    mean: Decimal | None
    assessed: int


def _wrap(label: str, width: int = 30) -> list[str]:
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line][:3]


def ratings_chart_svg(rows: list[ChartRow]) -> str:
    """A horizontal bar chart of the mean rating (0 to 4) per support area, as SVG made on the server."""
    label_width, bar_width, row_height, top = 230, 330, 42, 30
    height = top + row_height * len(rows) + 10
    width = label_width + bar_width + 60
    title = escape(_("Mean rating per support area"))  # outside the f-string, where gettext's tools find it
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{title}" class="ratings-chart">'
    ]
    for tick in range(5):
        x = label_width + bar_width * tick / 4
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{height - 10}" stroke="#d8dde6" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{top - 14}" font-size="11" text-anchor="middle" fill="#5a6270">{tick}</text>'
        )
    for index, row in enumerate(rows):
        y = top + index * row_height
        lines = _wrap(row.label)
        first = y + 24 - 7 * (len(lines) - 1)
        tspans = "".join(
            f'<tspan x="{label_width - 10}" y="{first + 14 * n}">{escape(line)}</tspan>' for n, line in enumerate(lines)
        )
        parts.append(f'<text font-size="12" text-anchor="end" fill="#1b1f24">{tspans}</text>')
        if row.mean is None:
            not_rated = escape(_("not rated"))
            parts.append(f'<text x="{label_width + 6}" y="{y + 24}" font-size="11" fill="#5a6270">{not_rated}</text>')
            continue
        length = bar_width * float(row.mean) / 4
        value = number_format(row.mean, 1)
        parts.append(
            f'<rect x="{label_width}" y="{y + 11}" width="{length:.1f}" height="18" rx="2" fill="#0033a0"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 24}" font-size="11" fill="#1b1f24">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def mean_rating(values) -> Decimal | None:
    """The mean rating, rounded once, half up, to the one decimal every place shows (summary, chart, tables)."""
    values = list(values)
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), ROUND_HALF_UP)


FINAL_STATES = (ReviewCycle.State.FINAL, ReviewCycle.State.FOLLOW_UP)


def provision_label(provision: dict) -> str:
    """ "Law on Foreigners, art. 12 bis" (with its version when amended): a national provision as reports cite it."""
    label = _("%(instrument)s, art. %(number)s") % {
        "instrument": provision["instrument"],
        "number": provision["number"],
    }
    if provision.get("version", 1) > 1:
        label += " " + _("(version %(version)s)") % {"version": provision["version"]}
    return label


def gap_matrix_context(matrix: list[dict], language: str) -> tuple[list[dict], list[dict]]:
    """The legal gap matrix of a snapshot, grouped by international instrument, in `language`; and the annex of
    the national provisions it names, each once, with its text."""
    verdicts = dict(GapEntry.Verdict.choices)
    groups: dict[str, dict] = {}
    annex: dict[int, dict] = {}
    for row in matrix:
        group = groups.setdefault(row["reference"], {"name": pick(row["reference_name"], language), "standards": []})
        entries = []
        for entry in row["entries"]:
            provision = entry["provision"]
            if provision:
                annex.setdefault(provision["id"], {**provision, "label": provision_label(provision)})
            entries.append(
                {
                    **entry,
                    "label": provision_label(provision) if provision else _("No national provision"),
                    "verdict_label": verdicts.get(entry["verdict"], "—"),
                }
            )
        group["standards"].append(
            {
                **row,
                "name_text": pick(row["name"], language),
                "summary_text": pick(row["summary"], language),
                "entries": entries,
                "is_gap": not any(entry["provision"] for entry in row["entries"]),
            }
        )
    return list(groups.values()), sorted(annex.values(), key=lambda p: (p["instrument"], p["id"]))


def report_context(
    snapshot: dict,
    *,
    language: str,
    edition: str,
    draft_number: int | None,
    generated_at: datetime.datetime,
    is_final: bool = False,
) -> dict:
    """Everything the report template shows, in `language` (call it with that language active)."""
    public = edition == PUBLIC
    shown, left_out = for_edition(snapshot, edition)
    assessments, recommendations = shown["assessments"], [dict(r) for r in shown["recommendations"]]
    areas = {a["code"]: pick(a["name"], language) for a in snapshot["support_areas"]}
    themes = {t["code"]: pick(t["name"], language) for t in snapshot["thematic_areas"]}
    references = {r["code"]: {**r, "label": pick(r["name"], language)} for r in snapshot["references"]}
    instruments = {i["id"]: i for i in snapshot["instruments"]}
    rating_labels = dict(Rating.choices)
    priorities, time_frames = dict(Recommendation.Priority.choices), dict(Recommendation.TimeFrame.choices)

    for number, rec in enumerate(recommendations, start=1):
        rec["number"] = f"R{number}"
    by_area = []
    for area in snapshot["support_areas"]:
        code = area["code"]
        findings = [
            {
                **a,
                "title_text": pick(a["title"], language),
                "rating_label": _("Not applicable")
                if a["not_applicable"]
                else rating_labels.get(a["rating"], _("Not rated")),
                "evidence_titles": [instruments[i]["title"] for i in a["evidence"] if i in instruments],
                "provision_labels": [provision_label(p) for p in a.get("provisions", [])],
            }
            for a in assessments
            if a["support_area"] == code
        ]
        recs = [
            {
                **r,
                "priority_label": priorities[r["priority"]],
                "time_frame_label": time_frames[r["time_frame"]],
                "thematic_label": themes.get(r["thematic_area"], ""),
            }
            for r in recommendations
            if r["support_area"] == code
        ]
        rated = [a["rating"] for a in findings if a["rating"] is not None]
        by_area.append(
            {
                "code": code,
                "name": areas[code],
                "description": pick(area["description"], language),
                "findings": findings,
                "recommendations": recs,
                "mean": mean_rating(rated),
                "assessed": len(rated),
            }
        )

    all_rated = [a["rating"] for a in assessments if a["rating"] is not None]
    rated_areas = [a for a in by_area if a["mean"] is not None]
    strongest = max(rated_areas, key=lambda a: a["mean"], default=None)
    weakest = min(rated_areas, key=lambda a: a["mean"], default=None)
    priority_counts = Counter(r["priority"] for r in recommendations)

    matrix = defaultdict(Counter)
    for rec in recommendations:
        matrix[rec["thematic_area"]][rec["support_area"]] += 1
    matrix_rows = [
        {
            "label": themes.get(theme, _("No thematic area")),
            "cells": [matrix[theme][area["code"]] for area in by_area],
            "total": sum(matrix[theme].values()),
            "high": sum(1 for r in recommendations if r["thematic_area"] == theme and r["priority"] == "high"),
        }
        for theme in [*themes, None]
        if matrix[theme]
    ]

    alignment = []
    for code in ALIGNMENT_REFERENCES:
        if code not in references:
            continue
        linked_criteria = [a for a in assessments if code in a["references"]]
        linked_recs = [r for r in recommendations if code in r["references"]]
        alignment.append(
            {
                "label": references[code]["label"],
                "description": pick(references[code]["description"], language),
                "criteria": [a["criterion"] for a in linked_criteria],
                "mean": mean_rating(a["rating"] for a in linked_criteria if a["rating"] is not None),
                "recommendations": [r["number"] for r in linked_recs],
            }
        )

    instrument_types = dict(NationalInstrument.Type.choices)
    statuses = dict(NationalInstrument.Status.choices)
    annex = [
        {
            "name": area["name"],
            "instruments": [
                {
                    **i,
                    "type_label": instrument_types.get(i["type"], i["type"]),
                    "status_label": statuses.get(i["status"]),
                }
                for i in snapshot["instruments"]
                if i["support_area"] == area["code"]
            ],
        }
        for area in by_area
    ]

    gap_groups, gap_annex = gap_matrix_context(snapshot.get("gap_matrix", []), language)

    review = snapshot["review"]
    return {
        "language": language,
        "review": review,
        "state_name": pick(review["member_state"]["name"], language),
        "framework_name": pick(review["framework"]["name"], language),
        "draft_number": draft_number,
        "is_draft": draft_number is not None,
        # The current text of a review not yet validated: marked as a working version, never as final.
        "is_working": draft_number is None and not is_final,
        "is_public": public,
        "left_out": left_out,
        "generated_at": generated_at,
        "areas": by_area,
        "themes_in_scope": [themes[c] for c in review["thematic_areas"] if c in themes],
        "criteria_count": len(assessments),
        "assessed_count": sum(1 for a in assessments if a["rating"] is not None or a["not_applicable"]),
        "overall_mean": mean_rating(all_rated),
        "strongest": strongest,
        "weakest": weakest if weakest is not strongest else None,
        "recommendations": [r for area in by_area for r in area["recommendations"]],
        "priority_counts": {key: priority_counts.get(key, 0) for key in ("high", "medium", "low")},
        "chart_svg": ratings_chart_svg([ChartRow(a["name"], a["mean"], a["assessed"]) for a in by_area]),
        "scale": Rating.choices,
        "matrix_columns": [a["name"] for a in by_area],
        "matrix_rows": matrix_rows,
        "alignment": alignment,
        "annex": annex,
        "gap_groups": gap_groups,
        "gap_count": sum(1 for group in gap_groups for row in group["standards"] if row["is_gap"]),
        "gap_annex": gap_annex,
    }


def ratings_chart_for_review(review: ReviewCycle) -> str:
    """The report's chart for the review page, from the current ratings in two queries (building a whole
    snapshot for it took most of the page's time at 800 recommendations). The same means, rounded alike."""
    ratings = defaultdict(list)
    for area_id, rating in review.assessments.filter(rating__isnull=False).values_list(
        "criterion__support_area", "rating"
    ):
        ratings[area_id].append(rating)
    language = current_language()
    return ratings_chart_svg(
        [
            ChartRow(area.translated("name", language), mean_rating(ratings[area.pk]), len(ratings[area.pk]))
            for area in SupportArea.objects.order_by("order")
        ]
    )
