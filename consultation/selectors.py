"""Reads for the consultation's pages."""

from django.utils.translation import ngettext

from consultation.models import Comment
from reviews.models import ReviewCycle


def incomplete_items(review: ReviewCycle) -> list[str]:
    """What is still incomplete in a review, in people's words: asked before it is published, submitted or
    approved."""
    lines = []
    unassessed = list(
        review.assessments.filter(rating__isnull=True, not_applicable=False)
        .order_by("criterion__support_area__order", "criterion__order")
        .values_list("criterion__code", flat=True)
    )
    if unassessed:
        shown = ", ".join(unassessed[:12]) + (", …" if len(unassessed) > 12 else "")
        lines.append(
            ngettext(
                "%(count)d criterion is not assessed: %(codes)s",
                "%(count)d criteria are not assessed: %(codes)s",
                len(unassessed),
            )
            % {"count": len(unassessed), "codes": shown}
        )
    without_institution = review.recommendations.filter(responsible_institution="").count()
    if without_institution:
        lines.append(
            ngettext(
                "%(count)d recommendation has no responsible institution.",
                "%(count)d recommendations have no responsible institution.",
                without_institution,
            )
            % {"count": without_institution}
        )
    open_threads = Comment.objects.filter(draft__review=review, parent=None, status=Comment.Status.OPEN).count()
    if open_threads:
        lines.append(
            ngettext(
                "%(count)d comment thread is still open.", "%(count)d comment threads are still open.", open_threads
            )
            % {"count": open_threads}
        )
    return lines
