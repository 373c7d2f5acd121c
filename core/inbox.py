"""Each person's inbox: written by the Celery tasks that send the e-mails (the same events, for everyone
concerned, also those who turned the e-mails off), read and marked read by its owner only."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.log import log_action
from core.models import Notification

# The words of each kind, with the details kept with it; made when read, in the reader's language.
MESSAGES = {
    "draft_published": _("Draft %(number)s of “%(title)s” is open for comments"),
    "comment_posted": _("%(author)s commented on draft %(number)s of “%(title)s”"),
    "thread_answered": _("Your comment on “%(title)s” was answered"),
    "comments_due": _("Comments on draft %(number)s of “%(title)s” are due on %(date)s"),
    "progress_due": _("Actions of “%(title)s” wait for your progress report (%(count)s)"),
}


def text_of(notification: Notification) -> str:
    words = MESSAGES.get(notification.kind)
    if words is None:  # a kind retired since: its details at least
        return ", ".join(str(value) for value in notification.params.values())
    params = dict(notification.params)
    if "date" in params:  # kept as ISO, shown as the reader's language writes dates
        params["date"] = date_format(datetime.date.fromisoformat(params["date"]), "DATE_FORMAT")
    try:
        return str(words) % params
    except (KeyError, TypeError, ValueError):
        return str(words)


@transaction.atomic
def notify(users, *, kind: str, url: str, review_id: int | None = None, **params) -> int:
    """One line in the inbox of each user (active, and once each), in one statement; one entry in the log."""
    recipients = {user.pk: user for user in users if user.is_active}
    Notification.objects.bulk_create(
        Notification(recipient_id=pk, kind=kind, params=params, url=url, review_id=review_id) for pk in recipients
    )
    if recipients:  # not in the review's history: the act it tells of is there already
        log_action("core.notifications.sent", kind=kind, review=review_id, count=len(recipients))
    return len(recipients)


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox_of(user):
    return Notification.objects.filter(recipient=user)


@transaction.atomic
def mark_read(user, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications read, or all of them (None). Another's is not found: 0."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    count = unread.update(read_at=timezone.now())
    if count:
        log_action("core.notifications.read", by=user, count=count)
    return count
