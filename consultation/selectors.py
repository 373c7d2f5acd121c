"""Reads for the consultation's pages."""

from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext, ngettext

from consultation.models import Comment, DraftVersion
from frameworks.models import SupportArea
from reviews.models import ReviewCycle
from reviews.permissions import Perm, reviews_for
from reviews.selectors import recommendation_numbers_now


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


# The home page's lines (iomborder/home.py), each a constant number of queries however many threads there are.


def threads_to_answer(user, limit: int) -> tuple[int, list[Comment]]:
    """The open, unanswered threads on the reviews the user works on: how many, and the oldest first."""
    threads = Comment.objects.filter(
        parent=None, status=Comment.Status.OPEN, answer="", draft__review__in=reviews_for(user, Perm.CHANGE)
    )
    shown = (
        threads.select_related("author", "draft__review__member_state")
        .defer("draft__snapshot", "body")
        .order_by("created_at", "pk")[:limit]
    )
    return threads.count(), list(shown)


def drafts_open_for_comment(user, limit: int) -> list[ReviewCycle]:
    """The reviews in consultation on which the user may comment, with the number of their latest draft and its
    deadline for comments (`comments_due`), the soonest first."""
    latest = DraftVersion.objects.filter(review=OuterRef("pk")).order_by("-number")
    return list(
        reviews_for(user, Perm.COMMENT)
        .filter(state=ReviewCycle.State.CONSULTATION)
        .select_related("member_state")
        .annotate(
            latest_draft=Subquery(latest.values("number")[:1]), comments_due=Subquery(latest.values("comments_due")[:1])
        )
        .filter(latest_draft__isnull=False)
        .order_by(F("comments_due").asc(nulls_last=True), F("due_date").asc(nulls_last=True), "pk")[:limit]
    )


def answers_to_my_threads(user, limit: int) -> list[Comment]:
    """The user's threads that the team answered, the latest answer first."""
    return list(
        Comment.objects.filter(parent=None, author=user, draft__review__in=reviews_for(user, Perm.VIEW_DRAFTS))
        .exclude(answer="")
        .select_related("answered_by", "draft__review")
        .defer("draft__snapshot")
        .order_by("-answered_at", "-pk")[:limit]
    )


# The workspace's filters (reviews/panels.py, CRITERION_MARKS): criteria's codes.


def criteria_with_open_threads(review: ReviewCycle) -> set[str]:
    """The criteria whose finding has an open thread, on any draft of the review."""
    return set(
        Comment.objects.filter(
            draft__review=review, parent=None, status=Comment.Status.OPEN, target_type=Comment.Target.FINDING
        ).values_list("target_key", flat=True)
    )


def criteria_changed_since_last_draft(review: ReviewCycle) -> set[str] | None:
    """The criteria saved since the latest draft was published; None before the first draft."""
    last = review.drafts.order_by("-number").values_list("published_at", flat=True).first()
    if last is None:
        return None
    return set(review.assessments.filter(updated_at__gt=last).values_list("criterion__code", flat=True))


def name_the_items(threads: list[Comment]) -> list[Comment]:
    """Give each thread `item`: what it is about as every page names it (a criterion's code, a recommendation's
    R-number, a support area's name, the whole draft), in two queries at most for any number of threads."""
    kinds = {thread.target_type for thread in threads}
    numbers = {}
    if Comment.Target.RECOMMENDATION in kinds:
        numbers = recommendation_numbers_now({thread.draft.review_id for thread in threads})
    names = {}
    if Comment.Target.SECTION in kinds:
        names = {area.code: area.name for area in SupportArea.objects.all()}
    for thread in threads:
        key = thread.target_key
        if thread.target_type == Comment.Target.RECOMMENDATION:
            thread.item = numbers.get(int(key), key) if key.isdigit() else key
        elif thread.target_type == Comment.Target.SECTION:
            thread.item = names.get(key, key)
        elif thread.target_type == Comment.Target.DRAFT:
            thread.item = gettext("the whole draft")
        else:
            thread.item = key
    return threads
