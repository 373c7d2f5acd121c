"""The action log: one entry for every write a person (or the system) makes, written by the service that makes
it, in the same transaction. Nobody changes or deletes it."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActionLog(models.Model):
    at = models.DateTimeField(_("at"), default=timezone.now, editable=False, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty for what the system did by itself."),
    )
    # A stable dotted name: review.assessment.changed, consultation.comment.answered, reports.report.downloaded.
    action = models.CharField(_("action"), max_length=80, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    object_id = models.CharField(_("object"), max_length=40, blank=True)
    object_repr = models.CharField(_("item"), max_length=300, blank=True)
    # The review the action belongs to, if any: its History page reads its entries by this.
    review_id = models.BigIntegerField(_("review"), null=True, blank=True, db_index=True)
    # {"changes": {field: [before, after]}, ...}: what changed, and any facts of the action.
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("action log entry")
        verbose_name_plural = _("action log")
        indexes = [models.Index(fields=["content_type", "object_id"], name="actionlog_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class Notification(models.Model):
    """A line of a person's inbox: the same events as the e-mails, kept for those who read them on the site
    (or turned the e-mails off). The words are made when it is read, in the reader's language (core/inbox.py)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("for")
    )
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("details"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500)
    review_id = models.BigIntegerField(_("review"), null=True, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now, editable=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The inbox, newest first, and its unread count in every page's header.
            models.Index(fields=["recipient", "-created_at"], name="inbox_newest"),
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="inbox_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"
