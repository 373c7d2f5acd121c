"""After the report: the government's position on each recommendation of the draft it validated."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consultation.models import DraftVersion
from reviews.models import MAX_NOTE, MAX_RECOMMENDATION, Recommendation, ReviewCycle, length_at_most, limited_text


class Position(models.Model):
    """The government's position on one recommendation, as recorded at the validation workshop: on the text of
    the draft it was put to the delegation in, kept beside the wording agreed when it was amended."""

    class Stance(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        AMENDED = "amended", _("Accepted with amended wording")
        NOTED = "noted", _("Noted")
        REJECTED = "rejected", _("Rejected")

    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.CASCADE, related_name="government_position", verbose_name=_("recommendation")
    )
    draft = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("draft"))
    stance = models.CharField(_("position"), max_length=10, choices=Stance.choices)
    original_text = limited_text(_("text of the draft"), MAX_RECOMMENDATION)
    agreed_text = limited_text(_("agreed wording"), MAX_RECOMMENDATION, blank=True)
    reason = limited_text(_("reason"), MAX_NOTE, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["recommendation__review", "recommendation__support_area__order", "recommendation__order"]
        verbose_name = _("position of the government")
        verbose_name_plural = _("positions of the government")
        constraints = [
            # An agreed wording exactly when the recommendation was accepted with amended wording.
            models.CheckConstraint(
                condition=models.Q(stance="amended", agreed_text__regex=r"\S")
                | (~models.Q(stance="amended") & models.Q(agreed_text="")),
                name="position_agreed_text_when_amended",
            ),
            length_at_most("agreed_text", MAX_RECOMMENDATION, "position_agreed_text_length"),
            length_at_most("reason", MAX_NOTE, "position_reason_length"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation}: {self.get_stance_display()}"

    @property
    def text(self) -> str:
        """The recommendation as the government took it: the agreed wording, or the draft's."""
        return self.agreed_text or self.original_text


class ActionPlan(models.Model):
    """A review's action plan as a whole: how often the government reports its progress."""

    class Period(models.TextChoices):
        QUARTER = "quarter", _("Quarterly")
        HALF_YEAR = "half_year", _("Half-yearly")

    review = models.OneToOneField(ReviewCycle, on_delete=models.CASCADE, related_name="action_plan")
    reporting_period = models.CharField(
        _("reporting period"), max_length=10, choices=Period.choices, default=Period.QUARTER
    )

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return str(self.review)


class Action(models.Model):
    """What the government does to implement accepted recommendations: one recommendation may have several
    actions, one action may serve several. Its status comes from its progress reports (followup.selectors)."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        DELAYED = "delayed", _("Delayed")
        CANCELLED = "cancelled", _("Cancelled")

    review = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="actions")
    recommendations = models.ManyToManyField(
        Recommendation, related_name="actions", verbose_name=_("recommendations implemented")
    )
    title = models.CharField(_("action"), max_length=300)
    responsible_institution = models.CharField(_("responsible institution"), max_length=300)
    focal_point = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("focal point"),
    )
    start_date = models.DateField(_("start date"))
    due_date = models.DateField(_("due date"))
    indicator = models.CharField(_("indicator"), max_length=300)
    baseline = models.CharField(_("baseline"), max_length=200, blank=True)
    target = models.CharField(_("target"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = limited_text(_("why it was cancelled"), MAX_NOTE, blank=True)
    # When its focal point was last reminded of a missing report or of its due date (at most once a week).
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["review", "due_date", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_date__gte=models.F("start_date")), name="action_due_after_start"
            ),
            models.CheckConstraint(condition=models.Q(title__regex=r"\S"), name="action_title_not_blank"),
        ]
        indexes = [models.Index(fields=["review", "due_date"], name="action_by_review_due")]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """The government's report on one action for one reporting period; the team accepts it or sends it back
    with a question (then the focal point answers by reporting again)."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Sent back with a question")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="progress_reports")
    period_start = models.DateField(_("reporting period"))
    progress = limited_text(_("progress made"), MAX_NOTE)
    indicator_value = models.CharField(_("value of the indicator"), max_length=200, blank=True)
    completed = models.BooleanField(_("the action is completed"), default=False)
    evidence_instrument = models.ForeignKey(
        "frameworks.NationalInstrument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("national instrument adopted"),
    )
    evidence_file = models.FileField(_("evidence"), upload_to="progress/%Y/", blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SUBMITTED)
    question = limited_text(_("question of the team"), MAX_NOTE, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["action", "period_start"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(fields=["action", "period_start"], name="one_report_per_action_and_period"),
            models.CheckConstraint(condition=models.Q(progress__regex=r"\S"), name="progress_not_blank"),
            length_at_most("progress", MAX_NOTE, "progress_length"),
        ]

    def __str__(self) -> str:
        return f"{self.action} – {self.period_start}"
