"""Reviews of neighbouring states side by side, for integrated border management: the ratings of the criteria
they share (by code), and for each standard provision in their scopes the verdicts and the national provisions'
text. Only reviews whose working state the person may see; asking for another answers 404, like every page."""

from django.http import Http404
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.spreadsheets import append_text_row, column_widths, header_style, xlsx_bytes
from frameworks.models import StandardProvision
from frameworks.selectors import standard_provisions_in_scope
from reviews.models import GapEntry, Rating, ReviewCycle
from reviews.permissions import Perm, reviews_for

MAX_REVIEWS = 6


def reviews_to_compare(user, ids) -> list[ReviewCycle]:
    """The reviews named (2 to 6), in the order given; 404 if one of them is not the person's to see."""
    try:
        wanted = list(dict.fromkeys(int(pk) for pk in ids))
    except (TypeError, ValueError):
        raise Http404 from None
    if not 2 <= len(wanted) <= MAX_REVIEWS:
        raise Http404
    found = {r.pk: r for r in reviews_for(user, Perm.VIEW).filter(pk__in=wanted).select_related("member_state")}
    if len(found) != len(wanted):
        raise Http404
    return [found[pk] for pk in wanted]


def _rating_label(assessment) -> str:
    if assessment is None:
        return ""
    if assessment.not_applicable:
        return _("Not applicable")
    return str(dict(Rating.choices).get(assessment.rating, _("Not rated")))


def comparison(reviews: list[ReviewCycle]) -> dict:
    """criteria: [{code, title, cells: [rating label per review]}] for the criteria in every scope (by code);
    standards: [{standard, cells: [[{label, verdict, text}] per review]}] for those in any scope."""
    assessments = {
        review.pk: {a.criterion.code: a for a in review.assessments.select_related("criterion")} for review in reviews
    }
    shared = set.intersection(*(set(codes) for codes in assessments.values()))
    first = assessments[reviews[0].pk]
    criteria = [
        {
            "code": code,
            "title": first[code].criterion.title,
            "cells": [_rating_label(assessments[review.pk].get(code)) for review in reviews],
            "ratings": [assessments[review.pk][code].rating for review in reviews],
        }
        for code in sorted(shared, key=lambda c: (first[c].criterion.support_area_id, first[c].criterion.order))
    ]
    standards = (
        StandardProvision.objects.filter(
            criteria__assessments__review__in=reviews, criteria__assessments__in_scope=True
        )
        .distinct()
        .select_related("reference")
        .order_by("reference__order", "order", "code")
    )
    entries: dict[tuple[int, int], list] = {}
    for entry in GapEntry.objects.filter(review__in=reviews).select_related("provision__instrument").order_by("pk"):
        entries.setdefault((entry.review_id, entry.standard_provision_id), []).append(
            {
                "label": f"{entry.provision.instrument.title}, {entry.provision}" if entry.provision else "",
                "verdict": entry.get_verdict_display() if entry.verdict else "",
                "text": entry.provision.text if entry.provision else entry.comment,
                "comment": entry.comment,
            }
        )
    in_scope = {
        review.pk: set(standard_provisions_in_scope(review.pk).values_list("pk", flat=True)) for review in reviews
    }
    rows = [
        {
            "standard": standard,
            # None: not in that review's scope (no criterion of it asks); []: in scope, a gap
            "cells": [
                entries.get((review.pk, standard.pk), []) if standard.pk in in_scope[review.pk] else None
                for review in reviews
            ],
        }
        for standard in standards
    ]
    return {"reviews": reviews, "criteria": criteria, "standards": rows}


def comparison_xlsx(data: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Ratings")[:31]
    names = [f"{r.member_state.name}: {r.title}" for r in data["reviews"]]
    sheet.append([_("Criterion"), _("Title"), *names])
    header_style(sheet)
    for row in data["criteria"]:
        append_text_row(sheet, [row["code"], row["title"], *row["cells"]])
    column_widths(sheet, (10, 50, *(30 for _name in names)))
    provisions = book.create_sheet(_("Standard provisions")[:31])
    provisions.append([_("International instrument"), _("Standard provision"), *names])
    header_style(provisions)
    for row in data["standards"]:
        cells = [
            "\n\n".join(
                " · ".join(part for part in (e["label"] or _("No national provision"), e["verdict"]) if part)
                + (f"\n{e['text']}" if e["text"] else "")
                for e in entries or []
            )
            or (_("Gap") if entries is not None else _("Not in the scope"))
            for entries in row["cells"]
        ]
        append_text_row(
            provisions, [row["standard"].reference.name, f"{row['standard'].article} · {row['standard'].name}", *cells]
        )
    column_widths(provisions, (30, 30, *(50 for _name in names)))
    return xlsx_bytes(book)
