"""The comment-response matrix of a consultation round, as a spreadsheet a ministry can use."""

from collections import defaultdict

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from consultation.markup import comment_text
from consultation.models import Comment, DraftVersion
from consultation.services import item_text, threads_of_round
from core.spreadsheets import append_text_row, column_widths, header_style, xlsx_bytes
from reviews.snapshots import pick, recommendation_numbers


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
        header_style(sheet)
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
        column_widths(sheet, (7, 30, 50, 30, 60, 20, 12, 14, 50))
        sheet.freeze_panes = "C2"
        return xlsx_bytes(book)
