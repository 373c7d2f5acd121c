"""Reads of the reports for pages outside the review's own (the home page)."""

from reports.models import ReportJob
from reviews.permissions import Perm, reviews_for


def reports_ready_for(user, limit: int) -> list[ReportJob]:
    """The reports the user asked for that are ready to download, the latest first."""
    return list(
        ReportJob.objects.filter(
            requested_by=user,
            state=ReportJob.State.READY,
            review__in=reviews_for(user, Perm.DOWNLOAD_REPORT),
        )
        .select_related("review", "draft")
        .defer("content", "draft__snapshot")
        .order_by("-finished_at", "-pk")[:limit]
    )
