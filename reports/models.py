"""Report jobs: one rendering of a review's report, followed by the browser until it is ready.

The table keeps the name it had when the model lived in reviews (reviews_reportjob)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consultation.models import DraftVersion
from reviews.models import LANGUAGE_CHOICES, ReviewCycle


class ReportJob(models.Model):
    """One PDF rendering of a review (a draft or the final report), followed by the browser until it is ready."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    class Edition(models.TextChoices):
        FULL = "full", _("Full edition (government and IOM)")
        PUBLIC = "public", _("Public edition (restricted items left out)")

    class Format(models.TextChoices):
        PDF = "pdf", _("PDF")
        DOCX = "docx", _("Word (.docx)")

    class Error(models.TextChoices):
        """The failures foreseen, with what a person can do about each; anything else is logged."""

        QUEUE = (
            "queue",
            _("The report queue cannot be reached right now. Nothing is lost: ask for the report again in a moment."),
        )
        TIMEOUT = "timeout", _("The report took too long to render. Ask again; if it fails again, tell the IOM team.")
        RENDER = (
            "render",
            _("The report could not be rendered. The error was logged; ask again later or tell the IOM team."),
        )

    review = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="report_jobs")
    draft = models.ForeignKey(
        DraftVersion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_jobs",
        help_text=_("Empty for the final report."),
    )
    # "review" (the review's text) or a kind an app above registers (reports/kinds.py), such as "followup".
    kind = models.CharField(_("kind"), max_length=20, default="review")
    format = models.CharField(_("format"), max_length=5, choices=Format.choices, default=Format.PDF)
    edition = models.CharField(_("edition"), max_length=10, choices=Edition.choices, default=Edition.FULL)
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    # The text to render, fixed when the report was asked for (reports.report_content): the worker renders
    # exactly this, so an edit made meanwhile never ends up in a file filed under this job's hash.
    content = models.JSONField(_("content"), default=dict, blank=True)
    file = models.FileField(_("file"), upload_to="reports/%Y/%m/", blank=True)
    error = models.CharField(_("error"), max_length=20, choices=Error.choices, blank=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True, help_text=_("The worker rendering the job."))
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        db_table = "reviews_reportjob"  # kept from when the model lived in reviews
        ordering = ["-created_at"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_progress_percent"),
            models.CheckConstraint(
                condition=~models.Q(state="ready") | ~models.Q(file=""), name="report_ready_has_file"
            ),
            # Identical requests at the same instant share one rendering.
            models.UniqueConstraint(
                fields=["content_hash"],
                condition=models.Q(state__in=["queued", "rendering"]),
                name="report_one_pending_rendering_per_content",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review} – {self.get_state_display()}"


class WordImport(models.Model):
    """A ministry's annotated Word file of a draft, read and waiting for its uploader to confirm which of its
    comments and suggested rewordings become threads (reports.word_import)."""

    class State(models.TextChoices):
        READING = "reading", _("Reading the file")
        READY = "ready", _("Ready to triage")
        FAILED = "failed", _("Could not be read")

    draft = models.ForeignKey(DraftVersion, on_delete=models.CASCADE, related_name="word_imports")
    file_name = models.CharField(_("file"), max_length=255)
    # The file as uploaded, read by a worker (reports.tasks.read_word_import); kept as the record of what came.
    file = models.FileField(_("stored file"), upload_to="word-imports/%Y/%m/", blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.READING)
    error = models.CharField(_("error"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    found = models.JSONField(_("found in the file"), default=list)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("Word import")
        verbose_name_plural = _("Word imports")

    def __str__(self) -> str:
        return self.file_name


class ReportPart(models.Model):
    """One part of a long report laid out by several workers at once (reports/split.py, reports/parts.py): its
    pages and anchors once counted (first pass), its PDF once rendered with its page offset (second pass)."""

    job = models.ForeignKey(ReportJob, on_delete=models.CASCADE, related_name="parts")
    index = models.PositiveSmallIntegerField()
    # 1: being counted; 2: the counts of every part are known, being rendered.
    stage = models.PositiveSmallIntegerField(default=1)
    pages = models.PositiveIntegerField(null=True, blank=True)
    anchors = models.JSONField(default=dict, blank=True)
    facts = models.JSONField(default=dict, blank=True)  # the rendered part's bookmarks and links, for the merge
    file = models.CharField(max_length=300, blank=True)  # the rendered part's PDF in the storage, until the merge
    worker = models.CharField(max_length=200, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "index"]
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="report_part_once")]

    def __str__(self) -> str:
        return f"{self.job_id}/{self.index}"
