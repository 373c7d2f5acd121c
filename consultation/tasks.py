"""The consultation's e-mails, sent by Celery workers (task names kept from when they lived in reviews)."""

from celery import shared_task

from consultation import notifications

# E-mail: retried when the mail server does not answer; the message is sent again at worst, never lost.
MAIL_TASK = {"autoretry_for": (OSError,), "retry_backoff": 30, "max_retries": 5, "acks_late": True}


@shared_task(name="reviews.notify_draft_published", **MAIL_TASK)
def notify_draft_published(draft_id: int) -> None:
    notifications.draft_published(draft_id)


@shared_task(name="reviews.notify_comment", **MAIL_TASK)
def notify_comment(comment_id: int) -> None:
    notifications.comment_posted(comment_id)


@shared_task(name="reviews.notify_answer", **MAIL_TASK)
def notify_answer(comment_id: int) -> None:
    notifications.thread_answered(comment_id)


@shared_task(name="reviews.send_invitation", **MAIL_TASK)
def send_invitation(invitation_id: int, token: str) -> None:
    notifications.invitation(invitation_id, token)


@shared_task(name="reviews.send_daily_digests", ignore_result=True)
def send_daily_digests() -> None:
    notifications.daily_digests()


@shared_task(name="reviews.remind_comment_deadlines", ignore_result=True)
def remind_comment_deadlines() -> None:
    notifications.comment_deadlines()
