"""The content of a review as a plain, JSON-ready dict: what a published draft keeps and a report renders.

It holds everything a reader may see, in all three languages, and nothing internal (no internal notes).
A draft's snapshot is stored once and never changes; the final report is rendered from a fresh one.
"""

import hashlib
import json

from django.db.models import Prefetch

from core.i18n import LANGUAGE_CODES
from frameworks.models import Criterion, InternationalReference, SupportArea, ThematicArea
from frameworks.selectors import standard_provisions_in_scope
from reviews.models import REPORT_ORDER, GapEntry, ReviewCycle

# The alignment section of every report (DESIGN.md section 6).
ALIGNMENT_REFERENCES = ("sdg-10-7", "gcm-7", "gcm-11", "gcm-23")


def pick(texts: dict, language: str) -> str:
    """The text in the language, or in English when it has none."""
    return texts.get(language) or texts.get("en", "")


def recommendation_number(position: int) -> str:
    """A recommendation's number, the same on every page, the drafts, the reports, the matrix and the API: R7 is
    the seventh in the report's order (support area, then place in the area)."""
    return f"R{position}"


def recommendation_numbers(snapshot: dict) -> dict[str, str]:
    """The numbers of a draft's recommendations, by their order in it: id -> number."""
    return {str(r["id"]): recommendation_number(n) for n, r in enumerate(snapshot["recommendations"], start=1)}


def _texts(obj, field: str) -> dict[str, str]:
    return {lang: getattr(obj, f"{field}_{lang}") for lang in LANGUAGE_CODES}


def build_snapshot(review: ReviewCycle) -> dict:
    """Everything a report needs, read in a fixed number of queries."""
    assessments = (
        review.assessments.select_related("criterion__support_area", "criterion__thematic_area")
        .prefetch_related("criterion__references", "evidence", "provisions__instrument")
        .order_by("criterion__support_area__order", "criterion__order")
    )
    recommendations = (
        review.recommendations.select_related("support_area", "thematic_area")
        .prefetch_related("criteria", "references")
        .order_by(*REPORT_ORDER)
    )
    instruments = review.member_state.instruments.select_related("support_area").order_by(
        "support_area__order", "-date", "title"
    )
    used_references = set(ALIGNMENT_REFERENCES)
    snapshot_assessments = []
    for a in assessments:
        references = [ref.code for ref in a.criterion.references.all()]
        used_references.update(references)
        snapshot_assessments.append(
            {
                "id": a.pk,
                "criterion": a.criterion.code,
                "title": _texts(a.criterion, "title"),
                "support_area": a.criterion.support_area.code,
                "thematic_area": a.criterion.thematic_area.code,
                "references": references,
                "rating": a.rating,
                "not_applicable": a.not_applicable,
                "finding": a.finding,
                "evidence": sorted(i.pk for i in a.evidence.all()),
                "provisions": [
                    _provision(p) for p in sorted(a.provisions.all(), key=lambda p: (p.instrument_id, p.order))
                ],
                "is_restricted": a.is_restricted,
            }
        )
    snapshot_recommendations = []
    for r in recommendations:
        references = [ref.code for ref in r.references.all()]
        used_references.update(references)
        snapshot_recommendations.append(
            {
                "id": r.pk,
                "text": r.text,
                "rationale": r.rationale,
                "support_area": r.support_area.code,
                "thematic_area": r.thematic_area.code if r.thematic_area else None,
                "priority": r.priority,
                "time_frame": r.time_frame,
                "responsible_institution": r.responsible_institution,
                "criteria": sorted(c.code for c in r.criteria.all()),
                "references": references,
                "is_restricted": r.is_restricted,
            }
        )
    return {
        "review": {
            "id": review.pk,
            "title": review.title,
            "report_language": review.report_language,
            "member_state": {"code": review.member_state.code, "name": _texts(review.member_state, "name")},
            "framework": {
                "code": review.framework.code,
                "version": review.framework.version,
                "name": _texts(review.framework, "name"),
            },
            "start_date": review.start_date.isoformat() if review.start_date else None,
            "due_date": review.due_date.isoformat() if review.due_date else None,
            "thematic_areas": sorted(review.thematic_areas.values_list("code", flat=True)),
        },
        "support_areas": [
            {"code": a.code, "name": _texts(a, "name"), "description": _texts(a, "description")}
            for a in SupportArea.objects.order_by("order")
        ],
        "thematic_areas": [{"code": t.code, "name": _texts(t, "name")} for t in ThematicArea.objects.order_by("order")],
        "references": [
            {"code": ref.code, "kind": ref.kind, "name": _texts(ref, "name"), "description": _texts(ref, "description")}
            for ref in InternationalReference.objects.filter(code__in=used_references).order_by("order")
        ],
        "assessments": snapshot_assessments,
        "recommendations": snapshot_recommendations,
        "gap_matrix": _gap_matrix(review),
        "instruments": [
            {
                "id": i.pk,
                "title": i.title,
                "type": i.instrument_type,
                "support_area": i.support_area.code,
                "date": i.date.isoformat() if i.date else None,
                "status": i.status,
                "reference": i.reference,
                "url": i.url,
            }
            for i in instruments
        ],
    }


def _provision(p) -> dict:
    return {
        "id": p.pk,
        "instrument": p.instrument.title,
        "number": p.number,
        "heading": p.heading,
        "text": p.text,
        "version": p.version,
        "language": p.instrument.language,
    }


def _gap_matrix(review: ReviewCycle) -> list[dict]:
    """The legal gap matrix: each standard provision in scope, the criteria asking about it, its entries."""
    in_scope = Criterion.objects.filter(assessments__review=review, assessments__in_scope=True)
    standards = standard_provisions_in_scope(review.pk).prefetch_related(Prefetch("criteria", queryset=in_scope))
    entries: dict[int, list[dict]] = {}
    for entry in GapEntry.objects.filter(review=review).select_related("provision__instrument").order_by("pk"):
        entries.setdefault(entry.standard_provision_id, []).append(
            {
                "provision": _provision(entry.provision) if entry.provision else None,
                "verdict": entry.verdict,
                "comment": entry.comment,
            }
        )
    return [
        {
            "code": s.code,
            "reference": s.reference.code,
            "reference_name": _texts(s.reference, "name"),
            "article": s.article,
            "name": _texts(s, "name"),
            "summary": _texts(s, "description"),
            "criteria": sorted({c.code for c in s.criteria.all()}),
            "entries": entries.get(s.pk, []),
        }
        for s in standards
    ]


def snapshot_hash(snapshot: dict) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# Editions -------------------------------------------------------------------------------------------------
# The one rule every edition-aware output follows: the public edition leaves out the findings and the
# recommendations marked restricted, and every comment thread about them or quoting their words.

FULL, PUBLIC = "full", "public"


def _restricted_items(snapshot: dict) -> tuple[set[tuple[str, str]], list[str]]:
    """The (target type, key) of every restricted item, and their texts."""
    keys, texts = set(), []
    for a in snapshot["assessments"]:
        if a["is_restricted"]:
            keys.add(("finding", a["criterion"]))
            texts.append(a["finding"])
    for r in snapshot["recommendations"]:
        if r["is_restricted"]:
            keys.add(("recommendation", str(r["id"])))
            texts.extend([r["text"], r["rationale"]])
    return keys, [t for t in texts if t]


def for_edition(snapshot: dict, edition: str) -> tuple[dict, int]:
    """The snapshot as the edition shows it, and how many items it leaves out."""
    if edition != PUBLIC:
        return snapshot, 0
    assessments = [a for a in snapshot["assessments"] if not a["is_restricted"]]
    recommendations = [r for r in snapshot["recommendations"] if not r["is_restricted"]]
    left_out = len(snapshot["assessments"]) - len(assessments) + len(snapshot["recommendations"]) - len(recommendations)
    return {**snapshot, "assessments": assessments, "recommendations": recommendations}, left_out


def threads_for_edition(threads: list[dict], snapshot: dict, edition: str) -> list[dict]:
    """The threads the edition shows: each a dict with target_type, target_key and quote."""
    if edition != PUBLIC:
        return threads
    keys, texts = _restricted_items(snapshot)
    return [
        t
        for t in threads
        if (t["target_type"], t["target_key"]) not in keys
        and not (t["quote"] and any(t["quote"] in text for text in texts))
    ]
