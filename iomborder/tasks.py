import socket

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from iomborder.accounts import VERIFY_DAYS, verification_link

PING_KEY = "iomborder:ping:{token}"


@shared_task(name="iomborder.ping", ignore_result=True, soft_time_limit=20, time_limit=30)
def ping(token: str) -> None:
    """Answer through the shared cache: proves a worker takes tasks from the broker and reaches the cache."""
    cache.set(PING_KEY.format(token=token), socket.gethostname(), timeout=300)


MAIL_TASK = {"autoretry_for": (OSError,), "retry_backoff": 30, "max_retries": 5, "acks_late": True}


@shared_task(name="iomborder.send_email_verification", **MAIL_TASK)
def send_email_verification(user_id: int, language: str = settings.LANGUAGE_CODE) -> None:
    user = get_user_model().objects.get(pk=user_id)
    if user.email_verified or not user.email:
        return
    with translation.override(language):
        send_mail(
            "[iomborder] " + _("Confirm your e-mail address"),
            _(
                "Confirm that this address is yours by following this link within %(days)d days:\n%(link)s\n\n"
                "If you did not ask for it, ignore this e-mail: nothing changes."
            )
            % {"days": VERIFY_DAYS, "link": verification_link(user)},
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )


@shared_task(name="iomborder.send_mail", **MAIL_TASK)
def send_prepared_mail(subject: str, body: str, to: list[str], html: str | None = None) -> None:
    """An e-mail written in the request (Django's password reset), sent here so the page never waits on SMTP."""
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to, html_message=html)
