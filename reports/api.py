"""The REST API of report jobs: ask for a PDF, follow it, download it, under the review's permissions."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException

from reports import services as reports
from reports.models import ReportJob
from reviews.api import ReviewScoped
from reviews.permissions import Perm


class ReportJobSerializer(serializers.ModelSerializer):
    draft = serializers.IntegerField(
        source="draft.number", allow_null=True, required=False, help_text="Draft number; empty for the current text."
    )
    error = serializers.ChoiceField(
        choices=ReportJob.Error.choices, allow_blank=True, read_only=True, help_text="Empty unless the job failed."
    )
    error_message = serializers.CharField(source="get_error_display", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportJob
        fields = [
            "id",
            "review",
            "draft",
            "edition",
            "language",
            "format",
            "state",
            "progress",
            "error",
            "error_message",
            "download_url",
            "created_at",
            "finished_at",
        ]
        read_only_fields = ["review", "language", "state", "progress", "error", "created_at", "finished_at"]

    def get_download_url(self, job) -> str | None:
        if job.state != ReportJob.State.READY:
            return None
        return self.context["request"].build_absolute_uri(reverse("api-report-download", args=[job.pk]))


class ReportQueueDown(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "report_queue_unavailable"

    def __init__(self, detail):
        super().__init__(detail)
        self.wait = 30  # Retry-After, set by DRF's exception handler from `wait`


class ReportRequest(ReviewScoped, generics.CreateAPIView):
    """Ask for a report of the review (the current text, or a published draft), as a PDF or as Word (`format`:
    "docx"); a worker renders it."""

    serializer_class = ReportJobSerializer
    read_perm = write_perm = Perm.DOWNLOAD_REPORT

    def perform_create(self, serializer):
        review = self.review
        number = (serializer.validated_data.get("draft") or {}).get("number")
        draft = get_object_or_404(review.drafts, number=number) if number else None
        try:
            job = reports.report_request(
                review=review,
                by=self.request.user,
                draft=draft,
                edition=serializer.validated_data.get("edition", ReportJob.Edition.FULL),
                file_format=serializer.validated_data.get("format", ReportJob.Format.PDF),
            )
        except DjangoPermissionDenied:
            raise Http404 from None
        job.refresh_from_db()  # queued on commit: the queue may have refused it since
        if job.state == ReportJob.State.FAILED and job.error == ReportJob.Error.QUEUE:
            raise ReportQueueDown(job.get_error_display())
        serializer.instance = job


def _job_for(user, pk) -> ReportJob:
    job = get_object_or_404(ReportJob.objects.select_related("review__member_state", "draft"), pk=pk)
    if not reports.can_download(user, job):
        raise Http404
    return job


class ReportDetail(generics.RetrieveAPIView):
    serializer_class = ReportJobSerializer

    def get_object(self):
        return _job_for(self.request.user, self.kwargs["pk"])


class ReportDownload(generics.GenericAPIView):
    serializer_class = ReportJobSerializer

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="The PDF report")})
    def get(self, request, pk):
        job = _job_for(request.user, pk)
        if job.state != ReportJob.State.READY or not job.file:
            raise Http404
        reports.report_downloaded(job=job, by=request.user)
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=reports.download_name(job))
