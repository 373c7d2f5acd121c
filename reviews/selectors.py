"""Reads of reviews, shaped for the pages that show them."""

from django.db.models import Count, Q, QuerySet

from reviews.models import ReviewCycle
from reviews.permissions import Perm, reviews_for


def review_list_for(user) -> QuerySet[ReviewCycle]:
    """The reviews the user may open, with the counts that make their progress, in one query."""
    visible = reviews_for(user, Perm.VIEW) | reviews_for(user, Perm.VIEW_DRAFTS)
    return (
        ReviewCycle.objects.filter(pk__in=visible.values("pk"))
        .select_related("member_state")
        .annotate(
            criteria_count=Count("assessments", distinct=True),
            assessed_count=Count(
                "assessments",
                filter=Q(assessments__rating__isnull=False) | Q(assessments__not_applicable=True),
                distinct=True,
            ),
        )
        .order_by("due_date", "pk")
    )
