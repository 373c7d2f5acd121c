"""Spreadsheets people download: the recommendations (.xlsx and CSV, by the six support areas) and the
comment-response matrix of a consultation round.

Every cell made from what someone typed is written as text, never as a formula: a comment that starts with
"=HYPERLINK(" stays those characters in Excel and LibreOffice (spreadsheet formula injection)."""

import csv
import io
from collections import defaultdict

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from reviews.consultation import item_text, threads_of_round
from reviews.markup import comment_text
from reviews.models import Comment, DraftVersion, ReviewCycle
from reviews.selectors import recommendations_by_area
from reviews.snapshots import pick, recommendation_numbers


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


# What makes a spreadsheet program read a CSV cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A CSV cell that a spreadsheet program shows as text: a leading formula character is quoted."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def append_text_row(sheet, values) -> None:
    """Append a row whose string cells are text, whatever they start with."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _header_style(sheet) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="0033A0")
        cell.alignment = Alignment(vertical="top", wrap_text=True)


def _widths(sheet, widths) -> None:
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)


def _xlsx_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


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
        _header_style(sheet)
        for row in _rows(review):
            append_text_row(sheet, row)
        _widths(sheet, (6, 26, 60, 40, 24, 11, 13, 28, 14, 30, 16, 10))
        sheet.freeze_panes = "C2"
        sheet.auto_filter.ref = sheet.dimensions
        return _xlsx_bytes(book)


def _item_label(thread, snapshot: dict, numbers: dict[str, str], language: str) -> str:
    """The item a thread is about, named as the draft names it."""
    key = thread.target_key
    if thread.target_type == Comment.Target.FINDING:
        titles = {a["criterion"]: a["title"] for a in snapshot["assessments"]}
        return f"{key} {pick(titles[key], language)}" if key in titles else key
    if thread.target_type == Comment.Target.RECOMMENDATION:
        texts = {str(r["id"]): r["text"] for r in snapshot["recommendations"]}
        return f"{numbers.get(key, '')} {texts.get(key, '')[:120]}".strip()
    if thread.target_type == Comment.Target.SECTION:
        names = {a["code"]: a["name"] for a in snapshot["support_areas"]}
        return pick(names[key], language) if key in names else key
    return str(Comment.Target.DRAFT.label)


def comment_matrix_xlsx(draft: DraftVersion) -> bytes:
    """The comment-response matrix of a consultation round, in the review's report language: each thread of the
    draft (and each left open on an earlier one) with the item as the draft names it, the text commented on,
    the quote, the comment as plain text, each reply on a row of its own, the disposition and the answer."""
    language = draft.review.report_language
    threads = list(threads_of_round(draft))
    snapshots = {d.pk: d.snapshot for d in DraftVersion.objects.filter(pk__in={t.draft_id for t in threads})}
    numbers = {pk: recommendation_numbers(snapshot) for pk, snapshot in snapshots.items()}
    replies = defaultdict(list)
    for reply in (
        Comment.objects.filter(parent__in=threads).select_related("author", "draft").order_by("created_at", "pk")
    ):
        replies[reply.parent_id].append(reply)
    with translation.override(language):
        book = Workbook()
        sheet = book.active
        sheet.title = _("Comments")[:31]
        sheet.append(
            [
                _("Draft"),
                _("Item"),
                _("Text commented on"),
                _("Quoted passage"),
                _("Comment or reply"),
                _("By"),
                _("Date"),
                _("Disposition"),
                _("Answer"),
            ]
        )
        _header_style(sheet)
        for thread in threads:
            append_text_row(
                sheet,
                [
                    thread.draft.number,
                    _item_label(thread, snapshots[thread.draft_id], numbers[thread.draft_id], language),
                    item_text(snapshots[thread.draft_id], thread.target_type, thread.target_key) or "",
                    thread.quote_exact,
                    comment_text(thread.body),
                    str(thread.author),
                    thread.created_at.date().isoformat(),
                    thread.get_status_display(),
                    thread.answer,
                ],
            )
            for reply in replies[thread.pk]:
                append_text_row(
                    sheet,
                    [
                        reply.draft.number,
                        "↳ " + _("Reply"),
                        "",
                        "",
                        comment_text(reply.body),
                        str(reply.author),
                        reply.created_at.date().isoformat(),
                        "",
                        "",
                    ],
                )
        _widths(sheet, (7, 30, 50, 30, 60, 20, 12, 14, 50))
        sheet.freeze_panes = "C2"
        return _xlsx_bytes(book)
