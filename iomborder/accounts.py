"""A person's own account: their name and address (verified by a link), their password, their sessions.

Services called by the pages in iomborder/views.py; e-mails go through Celery (iomborder/tasks.py)."""

import datetime
import secrets
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.http import client_address
from core.log import log_action
from core.queue import queue_on_commit
from iomborder.models import SignedInSession

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
    user.signed_in_sessions.all().delete()
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


# Sessions -----------------------------------------------------------------------------------------------------


def session_started(*, request, user, method: str = "password", second_factor: str = "") -> None:
    """A sign-in: its session recorded (device, address), and the sign-in in the action log. A counterpart's
    session ends when the browser closes."""
    if user.member_state_id is not None:
        request.session.set_expiry(0)
    request.session["_seen"] = timezone.now().timestamp()  # just seen: the next minute's requests write nothing
    SignedInSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "address": client_address(request) or None,
            "method": method,
        },
    )
    log_action(
        "accounts.signed_in",
        by=user,
        obj=user,
        method=method,
        second_factor=f"provider ({second_factor})" if second_factor else "none",
        address=client_address(request),
    )


def signed_in_for_token(*, request, user) -> None:
    """A sign-in of the API's token endpoint (no session): in the action log like the page's."""
    log_action(
        "accounts.signed_in",
        by=user,
        obj=user,
        method="password",
        second_factor="none",
        channel="api",
        address=client_address(request),
    )


def sign_in_failed(*, request, username: str, method: str = "password", reason: str = "") -> None:
    log_action(
        "accounts.sign_in_failed",
        username=str(username)[:150],
        method=method,
        address=client_address(request) if request is not None else "",
        **({"reason": reason} if reason else {}),
    )


@transaction.atomic
def provider_account(
    *,
    subject: str,
    email: str,
    email_verified: bool,
    first_name: str,
    last_name: str,
    groups: set[str],
    managed_groups: set[str],
):
    """The account of a member of IOM staff who signed in through the organisation's identity provider: found by
    the provider's id of them, else linked by their verified e-mail address at this first single sign-on, else
    created. Their groups among `managed_groups` become `groups` (the provider's say; a group lost ends their
    other sessions). Refused (ValidationError, with what they are told) without a verified address, without a
    group that opens iomborder, for a government counterpart's address, or for a deactivated account."""
    User = get_user_model()
    email = User.objects.normalize_email(email.strip()).lower()
    if not groups:
        raise ValidationError(
            _("Your IOM account is in no group that has access to iomborder. Ask the administrators for access.")
        )
    user = User.objects.select_for_update().filter(oidc_subject=subject).first()
    linked = created = False
    if user is None:
        if not (email and email_verified):
            raise ValidationError(_("Your IOM account has no verified e-mail address: iomborder cannot link it."))
        user = User.objects.select_for_update().filter(email__iexact=email).first()
        if user is not None and user.oidc_subject:
            raise ValidationError(_("This e-mail address belongs to another IOM account. Ask the administrators."))
        if user is not None and user.member_state_id is not None:
            raise ValidationError(_("This e-mail address is a government counterpart's account, not IOM staff's."))
        if user is None:
            username = email[:150]
            if User.objects.filter(username__iexact=username).exists():
                username = f"{email[:140]}-{secrets.token_hex(4)}"
            user = User(username=username, email=email, email_verified=True)
            user.set_unusable_password()
            created = True
        user.oidc_subject, linked = subject, not created
    if not user.is_active:
        raise ValidationError(_("Your iomborder account has been deactivated. Ask the administrators."))
    names = {"first_name": first_name.strip()[:150], "last_name": last_name.strip()[:150]}
    for field, value in names.items():
        if value:
            setattr(user, field, value)
    user.save()
    if created:
        log_action("accounts.staff_account.created", by=user, obj=user, method="oidc")
    elif linked:
        log_action("accounts.staff_account.linked", by=user, obj=user, method="oidc")
    have = set(user.groups.filter(name__in=managed_groups).values_list("name", flat=True))
    if have != groups:
        user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in groups - have))
        user.groups.remove(*Group.objects.filter(name__in=have - groups))
        log_action(
            "accounts.groups.changed",
            by=user,
            obj=user,
            added=", ".join(sorted(groups - have)),
            removed=", ".join(sorted(have - groups)),
            method="oidc",
        )
    return user


def session_seen(*, request) -> None:
    """Keep the session's "last seen", at most once a minute (SESSION_SEEN_SECONDS; the session itself remembers
    when: no query in between); a session signed in before sessions were recorded is recorded now."""
    key = request.session.session_key
    now = timezone.now()
    seen = request.session.get("_seen", 0)
    if not key or now.timestamp() - seen < settings.SESSION_SEEN_SECONDS:
        return
    request.session["_seen"] = now.timestamp()
    updated = SignedInSession.objects.filter(session_key=key).update(last_seen=now)
    if not updated:
        SignedInSession.objects.create(
            session_key=key,
            user=request.user,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            address=client_address(request) or None,
        )


BROWSERS = (
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)
SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)


def device_label(user_agent: str) -> str:
    """ "Firefox on Windows": enough to tell one's devices apart (the whole string is kept)."""
    browser = next((name for mark, name in BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in SYSTEMS if mark in user_agent), "")
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or (user_agent[:60] if user_agent else _("Unknown device"))


def sessions_of(user):
    """The person's sessions still alive (seen within the idle timeout), the latest first."""
    idle = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    return user.signed_in_sessions.filter(last_seen__gte=timezone.now() - idle)


@transaction.atomic
def session_end(*, by, session: SignedInSession) -> None:
    """End one of one's own sessions: it is signed out at its next request."""
    if session.user_id != by.pk:
        raise PermissionDenied
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    SessionStore(session_key=session.session_key).delete()
    log_action("accounts.session.ended", by=by, obj=by, device=session.user_agent[:100], address=session.address)
    session.delete()


def sessions_end_all(*, user, reason: str) -> None:
    """Every session of the person ends (deactivation, a lost group): their session hash changes, so each is
    refused at its next request, and their records and API tokens go."""
    log_action("accounts.sessions.ended", obj=user, reason=reason)
    get_user_model().objects.filter(pk=user.pk).update(sessions_epoch=models.F("sessions_epoch") + 1)
    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    for key in user.signed_in_sessions.values_list("session_key", flat=True):
        SessionStore(session_key=key).delete()
    user.signed_in_sessions.all().delete()
    user.api_tokens.all().delete()
