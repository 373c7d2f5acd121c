"""The consultation with the member state: published drafts, comments, invitations, the state's validation.

The tables keep the names they had when these models lived in reviews (reviews_draftversion, ...)."""

from django.conf import settings
from django.db import models
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from consultation.markup import render_comment
from reviews.models import ReviewCycle, length_at_most, limited_text

MAX_COMMENT = 10_000
MAX_QUOTE = 2_000


class DraftVersion(models.Model):
    """An immutable snapshot of what was published for consultation, numbered 1, 2, ... within a review."""

    review = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="drafts")
    number = models.PositiveIntegerField(_("number"))
    snapshot = models.JSONField(_("snapshot"), help_text=_("Findings, ratings and recommendations as published."))
    content_hash = models.CharField(_("content hash"), max_length=64)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved for release by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    comments_due = models.DateField(
        _("comments due by"), null=True, blank=True, help_text=_("The last day for the government's comments.")
    )
    # When the counterparts were reminded of the deadline (once; again if the deadline moves).
    deadline_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "reviews_draftversion"  # kept from when the model lived in reviews
        ordering = ["review", "number"]
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="draft_number_unique_in_review"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="draft_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.review} – draft {self.number}"


class Comment(models.Model):
    """A comment on a published draft: on a finding, a recommendation, a support-area section or the whole draft."""

    class Target(models.TextChoices):
        DRAFT = "draft", _("Whole draft")
        SECTION = "section", _("Support-area section")
        FINDING = "finding", _("Finding")
        RECOMMENDATION = "recommendation", _("Recommendation")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ADDRESSED = "addressed", _("Addressed")
        DECLINED = "declined", _("Declined")

    draft = models.ForeignKey(DraftVersion, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies", verbose_name=_("reply to")
    )
    target_type = models.CharField(_("about"), max_length=20, choices=Target.choices, default=Target.DRAFT)
    # The stable key of the item in the draft's snapshot: a criterion code, a recommendation id, an area code.
    target_key = models.CharField(_("item"), max_length=60, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = limited_text(_("comment"), MAX_COMMENT)
    # The body as sanitised HTML, made once when the comment is saved (not at every view of a busy draft).
    body_html = models.TextField(_("comment (HTML)"), blank=True, editable=False)
    # A document the comment refers to (a revised procedure): the instruments' file rules; served only to those
    # who may read the review's drafts, never from a public URL.
    attachment = models.FileField(_("attachment"), upload_to="comments/%Y/", blank=True)
    quote_exact = limited_text(_("quoted passage"), MAX_QUOTE, blank=True)
    quote_prefix = models.CharField(_("text before the quote"), max_length=200, blank=True)
    quote_suffix = models.CharField(_("text after the quote"), max_length=200, blank=True)
    is_outdated = models.BooleanField(
        _("outdated"), default=False, help_text=_("The quoted passage no longer stands in a later draft.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    answer = limited_text(_("answer"), MAX_COMMENT, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # The Word file a comment came from (reports.word_import), when it was not typed in the page.
    from_word = models.CharField(_("from the Word file"), max_length=255, blank=True)

    class Meta:
        db_table = "reviews_comment"  # kept from when the model lived in reviews
        ordering = ["draft", "created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(condition=models.Q(body__regex=r"\S"), name="comment_body_not_blank"),
            models.CheckConstraint(
                condition=models.Q(target_type="draft") | ~models.Q(target_key=""),
                name="comment_item_named_unless_whole_draft",
            ),
            length_at_most("body", MAX_COMMENT, "comment_body_length"),
            length_at_most("answer", MAX_COMMENT, "comment_answer_length"),
        ]

    def __str__(self) -> str:
        return self.body[:80]

    @property
    def attachment_name(self) -> str:
        return self.attachment.name.rsplit("/", 1)[-1] if self.attachment else ""

    def rendered(self) -> SafeString:
        """The body as safe HTML: the stored one, or made now for a comment saved before it was stored."""
        return mark_safe(self.body_html) if self.body_html else render_comment(self.body)  # noqa: S308 - sanitised


class Invitation(models.Model):
    """A counterpart invited by e-mail to a review: a one-time link, valid for a while, to set a password."""

    review = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    # Only the hash of the link's token is kept: the database alone does not let anyone in.
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    focal_point = models.BooleanField(
        _("focal point"), default=False, help_text=_("Also reports the progress of the action plan.")
    )

    class Meta:
        db_table = "reviews_invitation"  # kept from when the model lived in reviews
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return self.email


class StateValidation(models.Model):
    """The Government's validation of the final text: who validated for the state, when, which draft."""

    review = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="state_validations")
    draft = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("draft"))
    validated_by_name = models.CharField(_("validated for the state by"), max_length=200)
    validated_by_title = models.CharField(_("title or office"), max_length=200, blank=True)
    validated_on = models.DateField(_("date of the validation"))
    reference = models.CharField(_("reference"), max_length=200, blank=True, help_text=_("Letter or note verbale."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        db_table = "reviews_statevalidation"  # kept from when the model lived in reviews
        ordering = ["-validated_on", "-pk"]
        verbose_name = _("validation by the state")
        verbose_name_plural = _("validations by the state")

    def __str__(self) -> str:
        return f"{self.review} – {self.validated_by_name}"
