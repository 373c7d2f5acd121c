"""Reads of reviews, shaped for the pages that show them."""

from django.db.models import Count, Q, QuerySet

from reviews.models import ReviewCycle
from reviews.permissions import Perm, reviews_for


def review_list_for(user) -> QuerySet[ReviewCycle]:
    """The reviews the user may open, with the counts that make their progress, in one query.

    `can_view_working_state` tells whether the progress may be shown: counterparts see published drafts only.
    """
    working = reviews_for(user, Perm.VIEW).values("pk")
    visible = reviews_for(user, Perm.VIEW_DRAFTS).values("pk")
    return (
        ReviewCycle.objects.filter(Q(pk__in=visible) | Q(pk__in=working))
        .select_related("member_state")
        .annotate(
            criteria_count=Count("assessments", distinct=True),
            assessed_count=Count(
                "assessments",
                filter=Q(assessments__rating__isnull=False) | Q(assessments__not_applicable=True),
                distinct=True,
            ),
        )
        .annotate(can_view_working_state=Q(pk__in=working))
        .order_by("due_date", "pk")
    )
