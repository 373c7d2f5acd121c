"""The recommendations as a spreadsheet (.xlsx) and CSV, organised by the six support areas; every typed cell
is text (core.spreadsheets)."""

import csv
import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from core.spreadsheets import append_text_row, column_widths, csv_safe, header_style, xlsx_bytes
from reviews.gap_matrix import gap_matrix
from reviews.models import ReviewCycle
from reviews.selectors import recommendations_by_area


def _rows(review: ReviewCycle):
    number = 0
    for work in recommendations_by_area(review):
        for rec in work.recommendations:
            number += 1
            yield [
                f"R{number}",
                work.area.name,
                rec.text,
                rec.rationale,
                rec.thematic_area.name if rec.thematic_area else "",
                rec.get_priority_display(),
                rec.get_time_frame_display(),
                rec.responsible_institution,
                ", ".join(c.code for c in rec.criteria.all()),
                "; ".join(r.name for r in rec.references.all()),
                rec.get_implementation_status_display(),
                _("yes") if rec.is_restricted else "",
            ]


def _header() -> list[str]:
    return [
        "#",
        _("Support area"),
        _("Recommendation"),
        _("Rationale"),
        _("Thematic area"),
        _("Priority"),
        _("Time frame"),
        _("Responsible institution"),
        _("Criteria"),
        _("International references"),
        _("Implementation status"),
        _("Restricted"),
    ]


def recommendations_csv(review: ReviewCycle, language: str) -> bytes:
    with translation.override(language):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(_header())
        writer.writerows([csv_safe(value) for value in row] for row in _rows(review))
    # With a byte-order mark, spreadsheet programs read the accents right.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def recommendations_xlsx(review: ReviewCycle, language: str) -> bytes:
    with translation.override(language):
        book = Workbook()
        sheet = book.active
        sheet.title = _("Recommendations")[:31]
        sheet.append(_header())
        header_style(sheet)
        for row in _rows(review):
            append_text_row(sheet, row)
        column_widths(sheet, (6, 26, 60, 40, 24, 11, 13, 28, 14, 30, 16, 10))
        sheet.freeze_panes = "C2"
        sheet.auto_filter.ref = sheet.dimensions
        return xlsx_bytes(book)


def gap_matrix_xlsx(review: ReviewCycle, language: str) -> bytes:
    """The legal gap matrix, a line per pair of a standard provision and a national provision (a gap: a line
    without one), as it stands now."""
    with translation.override(language):
        book = Workbook()
        sheet = book.active
        sheet.title = _("Legal gap matrix")[:31]
        sheet.append(
            [
                _("International instrument"),
                _("Standard provision"),
                _("Title"),
                _("Criteria"),
                _("Gap"),
                _("National instrument"),
                _("Article"),
                _("Heading"),
                _("Verdict"),
                _("Comment"),
                _("Text of the national provision"),
            ]
        )
        header_style(sheet)
        for group in gap_matrix(review):
            for row in group["standards"]:
                standard = row["standard"]
                first = [
                    group["reference"].name,
                    standard.article,
                    standard.name,
                    ", ".join(row["criteria"]),
                    _("yes") if row["is_gap"] else "",
                ]
                for entry in row["entries"] or [None]:
                    provision = entry.provision if entry else None
                    append_text_row(
                        sheet,
                        [
                            *first,
                            provision.instrument.title if provision else "",
                            provision.number if provision else "",
                            provision.heading if provision else "",
                            entry.get_verdict_display() if entry else "",
                            entry.comment if entry else "",
                            provision.text if provision else "",
                        ],
                    )
        column_widths(sheet, (30, 16, 30, 14, 6, 30, 9, 24, 16, 40, 60))
        sheet.freeze_panes = "C2"
        sheet.auto_filter.ref = sheet.dimensions
        return xlsx_bytes(book)
