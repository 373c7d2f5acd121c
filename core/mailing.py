"""E-mails to people, each in their own language (their preference, else the language given)."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation


def site_link(path: str) -> str:
    """The address of a page of the site, for an e-mail."""
    return settings.SITE_URL + path


def send_in_their_languages(users, compose, *, language: str, digest_aware: bool = True) -> int:
    """Send to those who want each e-mail (those on the daily digest read it there), in each one's language
    (else `language`): `compose()` gives the subject and the body in the language active when it is called."""
    recipients = [u for u in users if u.email and u.is_active and not (digest_aware and u.daily_digest)]
    by_language = {}
    for user in recipients:
        by_language.setdefault(user.language or language, []).append(user.email)
    sent = 0
    for each, addresses in by_language.items():
        with translation.override(each):
            subject, body = compose()
            sent += send_mail(f"[iomborder] {subject}", body, settings.DEFAULT_FROM_EMAIL, addresses)
    return sent
