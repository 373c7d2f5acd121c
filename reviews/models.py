"""The work: review cycles, their assessments and recommendations, drafts, comments and report jobs."""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

LANGUAGE_CHOICES = settings.LANGUAGES

# The longest text a person may type in each free-text field: one pasted document cannot make every report of
# a review time out. Kept by the model (full_clean), its forms and serializers, and the database.
MAX_FINDING = 20_000
MAX_NOTE = 10_000
MAX_RECOMMENDATION = 5_000
MAX_TRANSITION_NOTE = 2_000


def limited_text(verbose_name, limit: int, **kwargs) -> models.TextField:
    return models.TextField(verbose_name, max_length=limit, validators=[MaxLengthValidator(limit)], **kwargs)


def length_at_most(field: str, limit: int, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


class ReviewCycle(models.Model):
    class State(models.TextChoices):
        SCOPING = "scoping", _("Scoping")
        ASSESSMENT = "assessment", _("Assessment")
        CONSULTATION = "consultation", _("Consultation")
        VALIDATION = "validation", _("Validation")
        FINAL = "final", _("Final")
        FOLLOW_UP = "follow_up", _("Follow-up")

    member_state = models.ForeignKey(
        "frameworks.MemberState", on_delete=models.PROTECT, related_name="reviews", verbose_name=_("member state")
    )
    title = models.CharField(_("title"), max_length=300)
    report_language = models.CharField(_("report language"), max_length=5, choices=LANGUAGE_CHOICES, default="en")
    framework = models.ForeignKey(
        "frameworks.AssessmentFramework",
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("criteria library"),
    )
    thematic_areas = models.ManyToManyField(
        "frameworks.ThematicArea", blank=True, related_name="reviews", verbose_name=_("thematic areas in scope")
    )
    state = models.CharField(_("workflow state"), max_length=20, choices=State.choices, default=State.SCOPING)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    carried_over_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_up_cycles",
        verbose_name=_("previous cycle"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("review cycle")
        verbose_name_plural = _("review cycles")
        # Granted per review with django-guardian (reviews/permissions.py); view and change come from Django.
        permissions = [
            ("view_drafts_reviewcycle", _("Can read the published drafts of the review")),
            ("comment_reviewcycle", _("Can comment on the published drafts of the review")),
            ("approve_reviewcycle", _("Can approve the review's drafts and final report")),
            ("download_report_reviewcycle", _("Can download the review's reports")),
            ("report_progress_reviewcycle", _("Can report the progress of the review's action plan")),
        ]
        indexes = [
            # The order of the review list: a page of it is read from the index, not sorted out of every review.
            models.Index(fields=["due_date", "id"], name="review_list_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(due_date__gte=models.F("start_date")),
                name="review_due_after_start",
            ),
            models.CheckConstraint(condition=models.Q(title__regex=r"\S"), name="review_title_not_blank"),
        ]

    def __str__(self) -> str:
        return self.title


class ReviewTransition(models.Model):
    """One move of a review along its workflow: who, when, from, to."""

    review = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(_("from"), max_length=20, choices=ReviewCycle.State.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=ReviewCycle.State.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = limited_text(_("note"), MAX_TRANSITION_NOTE, blank=True)

    class Meta:
        ordering = ["review", "at", "pk"]
        verbose_name = _("workflow transition")
        verbose_name_plural = _("workflow transitions")

    def __str__(self) -> str:
        return f"{self.review}: {self.from_state} → {self.to_state}"


class ReviewUserPermission(UserObjectPermissionBase):
    """A permission of one person on one review. django-guardian's own table keeps the object's id as text
    under a content type: listing a person's reviews cast every id and scanned it. With a real foreign key
    guardian joins on an indexed integer (its unique index leads with the person)."""

    content_object = models.ForeignKey("ReviewCycle", on_delete=models.CASCADE, related_name="user_permissions")

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class ReviewGroupPermission(GroupObjectPermissionBase):
    """A permission of a group on one review (none is granted today; guardian reads this table for groups)."""

    content_object = models.ForeignKey("ReviewCycle", on_delete=models.CASCADE, related_name="group_permissions")

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False


class Rating(models.IntegerChoices):
    NOT_IN_PLACE = 0, _("0 – Not in place")
    INITIAL = 1, _("1 – Initial")
    PARTIAL = 2, _("2 – Partially aligned")
    LARGELY = 3, _("3 – Largely aligned")
    FULL = 4, _("4 – Fully aligned with international standards")


class InScopeManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(in_scope=True)


class EveryRowManager(models.Manager):
    """Every row, also those the default manager of the model hides."""


class Assessment(models.Model):
    """The assessment of one criterion in a review's scope.

    A criterion taken out of the scope keeps its assessment, evidence and history, hidden (`in_scope` false) and
    back when the criterion returns: `objects` and `review.assessments` see the criteria in scope only."""

    review = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="assessments")
    criterion = models.ForeignKey(
        "frameworks.Criterion", on_delete=models.PROTECT, related_name="assessments", verbose_name=_("criterion")
    )
    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices, null=True, blank=True)
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    evidence = models.ManyToManyField(
        "frameworks.NationalInstrument", blank=True, related_name="cited_in", verbose_name=_("instruments cited")
    )
    provisions = models.ManyToManyField(
        "frameworks.Provision", blank=True, related_name="cited_in", verbose_name=_("provisions cited")
    )
    finding = limited_text(_("finding"), MAX_FINDING, blank=True)
    internal_note = limited_text(
        _("internal note"),
        MAX_NOTE,
        blank=True,
        help_text=_("Seen by IOM advisers only; never published or reported."),
    )
    is_restricted = models.BooleanField(
        _("restricted"), default=False, help_text=_("Operational border-security detail: left out of public editions.")
    )
    in_scope = models.BooleanField(_("in scope"), default=True)
    # Optimistic locking: a save names the version it started from and is refused if another save came first.
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = InScopeManager()
    all_objects = EveryRowManager()

    class Meta:
        base_manager_name = "all_objects"
        ordering = ["review", "criterion__support_area__order", "criterion__order"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_assessment_per_criterion"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=0, rating__lte=4),
                name="assessment_rating_on_scale",
            ),
            models.CheckConstraint(
                condition=~models.Q(not_applicable=True, rating__isnull=False),
                name="assessment_not_applicable_has_no_rating",
            ),
            length_at_most("finding", MAX_FINDING, "assessment_finding_length"),
            length_at_most("internal_note", MAX_NOTE, "assessment_internal_note_length"),
        ]

    def __str__(self) -> str:
        return f"{self.review} – {self.criterion.code}"

    @property
    def rating_key(self) -> str:
        """The rating as the workspace's form sends it: "" not yet rated, "0" to "4", or "na"."""
        return "na" if self.not_applicable else "" if self.rating is None else str(self.rating)

    @property
    def is_assessed(self) -> bool:
        return self.rating is not None or self.not_applicable


class GapEntry(models.Model):
    """A line of a review's legal gap matrix: how a national provision implements a standard provision in scope,
    with a verdict and a comment. A standard provision with no entry naming a national provision is a gap; one
    entry without a national provision may say what is missing."""

    class Verdict(models.TextChoices):
        MEETS = "meets", _("Fully meets")
        PARTLY = "partly", _("Partly meets")
        DOES_NOT = "does_not", _("Does not meet")
        CONFLICTS = "conflicts", _("Conflicts")

    review = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="gap_entries")
    standard_provision = models.ForeignKey(
        "frameworks.StandardProvision", on_delete=models.PROTECT, related_name="+", verbose_name=_("standard provision")
    )
    provision = models.ForeignKey(
        "frameworks.Provision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gap_entries",
        verbose_name=_("national provision"),
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices, blank=True)
    comment = limited_text(_("comment"), MAX_FINDING, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["review", "standard_provision__reference__order", "standard_provision__order", "pk"]
        verbose_name = _("gap matrix entry")
        verbose_name_plural = _("gap matrix entries")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "standard_provision", "provision"], name="gap_entry_once_per_pair"
            ),
            models.UniqueConstraint(
                fields=["review", "standard_provision"],
                condition=models.Q(provision__isnull=True),
                name="gap_entry_one_note_per_gap",
            ),
            length_at_most("comment", MAX_FINDING, "gap_entry_comment_length"),
        ]

    def __str__(self) -> str:
        return f"{self.standard_provision} – {self.provision}"


class NotDeletedManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


# The order of a review's recommendations in its drafts and reports, which their numbers follow (R1, R2…).
REPORT_ORDER = ("support_area__order", "order", "pk")


class Recommendation(models.Model):
    """A recommendation of a review. Deleting one moves it to the review's bin, from where it can be restored:
    `objects` and `review.recommendations` see those not deleted."""

    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    class TimeFrame(models.TextChoices):
        SHORT = "short", _("Short term")
        MEDIUM = "medium", _("Medium term")
        LONG = "long", _("Long term")

    class Implementation(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        IMPLEMENTED = "implemented", _("Implemented")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")

    review = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="recommendations")
    text = limited_text(_("recommendation"), MAX_RECOMMENDATION)
    rationale = limited_text(_("rationale"), MAX_NOTE, blank=True)
    support_area = models.ForeignKey(
        "frameworks.SupportArea",
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("support area"),
    )
    thematic_area = models.ForeignKey(
        "frameworks.ThematicArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name=_("thematic area"),
    )
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    time_frame = models.CharField(_("time frame"), max_length=10, choices=TimeFrame.choices, default=TimeFrame.MEDIUM)
    responsible_institution = models.CharField(_("responsible institution"), max_length=300, blank=True)
    criteria = models.ManyToManyField(
        "frameworks.Criterion", blank=True, related_name="recommendations", verbose_name=_("linked criteria")
    )
    references = models.ManyToManyField(
        "frameworks.InternationalReference",
        blank=True,
        related_name="recommendations",
        verbose_name=_("international references"),
    )
    implementation_status = models.CharField(
        _("implementation status"), max_length=20, choices=Implementation.choices, default=Implementation.NOT_STARTED
    )
    is_restricted = models.BooleanField(
        _("restricted"), default=False, help_text=_("Operational border-security detail: left out of public editions.")
    )
    order = models.PositiveIntegerField(_("order"), default=0, help_text=_("Position within its support area."))
    carried_over_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("carried over from")
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deleted by"),
    )

    objects = NotDeletedManager()
    all_objects = EveryRowManager()

    class Meta:
        base_manager_name = "all_objects"
        ordering = ["review", "support_area__order", "order", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.CheckConstraint(condition=models.Q(text__regex=r"\S"), name="recommendation_text_not_blank"),
            length_at_most("text", MAX_RECOMMENDATION, "recommendation_text_length"),
            length_at_most("rationale", MAX_NOTE, "recommendation_rationale_length"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class EditRecord(models.Model):
    """One field of a finding or recommendation changed by someone: who, when, before, after.

    Nothing writes it any more: the action log (core.ActionLog) keeps every change, and migration
    reviews.0010 copied these rows into it. The table stays, read-only in the admin, until a release has
    confirmed the copy; then it goes."""

    review = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="edit_records")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="edit_records"
    )
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.SET_NULL, null=True, blank=True, related_name="edit_records"
    )
    # What the record is about, kept readable when a recommendation is deleted.
    item_label = models.CharField(_("item"), max_length=200)
    field = models.CharField(_("field"), max_length=60)
    before = models.TextField(_("before"), blank=True)
    after = models.TextField(_("after"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("edit record")
        verbose_name_plural = _("edit records")

    def __str__(self) -> str:
        return f"{self.item_label}: {self.field}"

    @property
    def field_label(self) -> str:
        """The field's name in the reader's language."""
        if self.field == "deleted":
            return _("moved to the bin")
        if self.field == "restored":
            return _("restored from the bin")
        model = Assessment if self.assessment_id else Recommendation
        try:
            return model._meta.get_field(self.field).verbose_name
        except FieldDoesNotExist:  # a field renamed since the record was written keeps its stored name
            return self.field
