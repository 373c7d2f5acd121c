"""The REST API of report jobs: ask for a PDF, follow it, download it, under the review's permissions."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from reports import services as reports
from reports.models import ReportJob, WordImport
from reviews.api import ReviewScoped
from reviews.permissions import Perm, get_review_for


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

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(description="The report, as a PDF or a Word document")}
    )
    def get(self, request, pk):
        job = _job_for(request.user, pk)
        if job.state != ReportJob.State.READY or not job.file:
            raise Http404
        reports.report_downloaded(job=job, by=request.user)
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=reports.download_name(job))


class WordImportSerializer(serializers.ModelSerializer):
    draft = serializers.IntegerField(source="draft.number", read_only=True)
    found = serializers.JSONField(
        read_only=True, help_text="What the file holds: kind, target_type, target_key, quote, body, author."
    )

    class Meta:
        model = WordImport
        fields = ["id", "draft", "file_name", "uploaded_at", "state", "error", "found", "confirmed_at"]
        read_only_fields = fields


class WordUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The draft as exported in Word, with the ministry's comments.")


class WordChoiceSerializer(serializers.Serializer):
    index = serializers.IntegerField(min_value=0, help_text="The position of the item in `found`.")
    target_type = serializers.CharField(required=False)
    target_key = serializers.CharField(required=False, allow_blank=True)
    body = serializers.CharField(required=False)


class WordConfirmSerializer(serializers.Serializer):
    items = WordChoiceSerializer(many=True, help_text="Those to keep; each may change its item or its text.")


class WordImportCreate(ReviewScoped, generics.GenericAPIView):
    """Upload a draft's Word file annotated by a ministry (those who may comment): checked at once (400 with the
    reason when refused), then read by a worker: 201 with the import, whose `state` is `reading` until its `found`
    items are there (`ready`) or it could not be read (`failed`, with its `error`)."""

    serializer_class = WordUploadSerializer
    read_perm = write_perm = Perm.COMMENT

    @extend_schema(request={"multipart/form-data": WordUploadSerializer}, responses={201: WordImportSerializer})
    def post(self, request, review_pk, number):
        draft = get_object_or_404(self.review.drafts, number=number)
        given = WordUploadSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        imported = reports.word_import_upload(draft=draft, by=request.user, upload=given.validated_data["file"])
        return Response(WordImportSerializer(imported).data, status=status.HTTP_201_CREATED)


def _word_import_for(user, pk) -> WordImport:
    """The person's own import, of a review they may still comment on; 404 otherwise."""
    imported = get_object_or_404(WordImport.objects.select_related("draft__review"), pk=pk, uploaded_by=user.pk)
    get_review_for(user, imported.draft.review_id, Perm.COMMENT)
    return imported


class WordImportDetail(generics.RetrieveAPIView):
    """What an uploaded Word file holds (its uploader only)."""

    serializer_class = WordImportSerializer

    def get_object(self):
        return _word_import_for(self.request.user, self.kwargs["pk"])


class WordImportConfirm(generics.GenericAPIView):
    """Make threads of the items chosen (its uploader only), all or none."""

    serializer_class = WordConfirmSerializer

    @extend_schema(request=WordConfirmSerializer, responses={200: WordImportSerializer})
    def post(self, request, pk):
        imported = _word_import_for(request.user, pk)
        given = WordConfirmSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        chosen = []
        for choice in given.validated_data["items"]:
            if choice["index"] >= len(imported.found):
                raise serializers.ValidationError(
                    {"items": [_("No item %(index)d in this file.") % {"index": choice["index"]}]}
                )
            item = {**imported.found[choice["index"]], **{k: v for k, v in choice.items() if k != "index"}}
            chosen.append(item)
        reports.word_import_confirm(imported=imported, by=request.user, chosen=chosen)
        imported.refresh_from_db()
        return Response(WordImportSerializer(imported).data)
