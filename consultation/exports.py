"""The comment-response matrix of a consultation round, as a spreadsheet a ministry can use."""

from collections import defaultdict

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from consultation.markup import comment_text
from consultation.models import Comment, DraftVersion
from consultation.services import item_key, item_labels, item_texts, threads_of_round
from core.spreadsheets import append_text_row, column_widths, header_style, xlsx_bytes


def comment_matrix_xlsx(draft: DraftVersion) -> bytes:
    """The comment-response matrix of a consultation round, in the review's report language: each thread of the
    draft (and each left open on an earlier one) with the item as the draft names it, the text commented on,
    the quote, the comment as plain text, each reply on a row of its own, the disposition and the answer."""
    language = draft.review.report_language
    threads = list(threads_of_round(draft))
    snapshots = {d.pk: d.snapshot for d in DraftVersion.objects.filter(pk__in={t.draft_id for t in threads})}
    # Each draft's items, named and with their text, once: not looked for in the snapshot for each thread.
    labels = {pk: item_labels(snapshot, language) for pk, snapshot in snapshots.items()}
    texts = {pk: item_texts(snapshot) for pk, snapshot in snapshots.items()}
    replies = defaultdict(list)
    for reply in (
        Comment.objects.filter(parent__in=threads)
        .select_related("author", "draft")
        .defer("draft__snapshot")  # only the draft's number is shown
        .order_by("created_at", "pk")
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
                _("Document"),
            ]
        )
        header_style(sheet)
        for thread in threads:
            item = item_key(thread.target_type, thread.target_key)
            append_text_row(
                sheet,
                [
                    thread.draft.number,
                    labels[thread.draft_id].get(item, thread.target_key),
                    texts[thread.draft_id].get(item, ""),
                    thread.quote_exact,
                    comment_text(thread.body, thread.body_html),
                    str(thread.author),
                    thread.created_at.date().isoformat(),
                    thread.get_status_display(),
                    thread.answer,
                    thread.attachment_name,
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
                        comment_text(reply.body, reply.body_html),
                        str(reply.author),
                        reply.created_at.date().isoformat(),
                        "",
                        "",
                        reply.attachment_name,
                    ],
                )
        column_widths(sheet, (7, 30, 50, 30, 60, 20, 12, 14, 50, 30))
        sheet.freeze_panes = "C2"
        return xlsx_bytes(book)
