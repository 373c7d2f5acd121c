"""A person's own account: their name and address (verified by a link), their password, their sessions.

Services called by the pages in iomborder/views.py; e-mails go through Celery (iomborder/tasks.py)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.log import log_action
from core.queue import queue_on_commit

VERIFY_SALT = "iomborder.accounts.verify-email"
VERIFY_DAYS = 3


def verification_link(user) -> str:
    token = signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=VERIFY_SALT, compress=True)
    return settings.SITE_URL + reverse("verify_email", args=[token])


@transaction.atomic
def profile_update(
    *,
    user,
    first_name: str,
    last_name: str,
    email: str,
    daily_digest: bool,
    language: str | None = None,
    time_zone: str | None = None,
) -> bool:
    """Change a person's name, address, e-mail habit, language and time zone (None: unchanged). A new address
    counts once its owner follows the link sent to it; returns whether one was sent."""
    first_name, last_name = first_name.strip(), last_name.strip()
    if not (first_name and last_name):
        raise ValidationError(_("Give your first and last name: they are shown with your comments and edits."))
    email = get_user_model().objects.normalize_email(email.strip()).lower()
    taken = get_user_model().objects.filter(email__iexact=email).exclude(pk=user.pk).exists()
    if email and taken:
        raise ValidationError({"email": _("This address is the address of another account.")})
    changed = email != user.email.lower()
    user.first_name, user.last_name, user.daily_digest = first_name, last_name, daily_digest
    if language is not None:
        user.language = language
    if time_zone is not None:
        user.time_zone = time_zone
    if changed:
        user.email, user.email_verified = email, False
    user.full_clean()
    user.save()
    log_action("accounts.profile.changed", by=user, obj=user, address_changed=changed)
    if changed and email:
        queue_on_commit(
            "iomborder.send_email_verification", user.pk, translation.get_language() or settings.LANGUAGE_CODE
        )
    return changed and bool(email)


@transaction.atomic
def email_verify(*, token: str):
    """The person followed the link sent to their address: it counts from now on."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_DAYS * 24 * 3600)
    except signing.SignatureExpired:
        raise ValidationError(_("This link has expired: save your address again for a new one.")) from None
    except signing.BadSignature:
        raise ValidationError(_("This link is not valid.")) from None
    user = get_user_model().objects.select_for_update().filter(pk=data.get("u")).first()
    if user is None or user.email.lower() != data.get("e"):
        raise ValidationError(_("This link is for an address the account no longer has."))
    user.email_verified = True
    user.save(update_fields=["email_verified"])
    log_action("accounts.email.verified", by=user, obj=user)
    return user


@transaction.atomic
def sign_out_everywhere(*, user) -> None:
    """End every session of the person (their session hash changes) and revoke every API token."""
    get_user_model().objects.filter(pk=user.pk).update(sessions_epoch=user.sessions_epoch + 1)
    user.sessions_epoch += 1
    user.api_tokens.all().delete()
    log_action("accounts.signed_out_everywhere", by=user, obj=user)


@transaction.atomic
def password_changed(*, user) -> None:
    """After a password change (or reset): API tokens made with the old one stop working."""
    user.api_tokens.all().delete()
    log_action("accounts.password.changed", by=user, obj=user)


@transaction.atomic
def language_set(*, user, language: str) -> None:
    """The language the person chose in the header: kept in their preferences, for the pages and the e-mails."""
    if language not in dict(settings.LANGUAGES) or language == user.language:
        return
    before, user.language = user.language, language
    user.save(update_fields=["language"])
    log_action("accounts.profile.changed", by=user, obj=user, changes={"language": (before, language)})
