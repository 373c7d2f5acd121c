"""Two factors: a one-time code from an authenticator app (TOTP, django-otp) or a security key or passkey
(WebAuthn, fido2) after the password, with ten recovery codes for a lost phone or key. Required for the members
of MFA_REQUIRED_GROUPS ("Counterparts": every government counterpart); anyone may turn it on. A session signed
in with the password alone owes its second factor (SESSION_KEY): the middleware lets it reach only the pages that
settle it. A wrong code or key counts as a failed sign-in for the lockout (django-axes), and every attempt, right
or wrong, is in the action log."""

import secrets
from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from fido2.server import Fido2Server
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    AttestedCredentialData,
    AuthenticatorData,
    PublicKeyCredentialRpEntity,
    PublicKeyCredentialUserEntity,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from core.http import client_address
from core.log import log_action
from iomborder.models import SecurityKey

SESSION_KEY = "two_factor"  # "verify": a code is owed; "enrol": an authenticator must first be set up
RECOVERY_CODES = 10


def required_for(user) -> bool:
    groups = set(settings.MFA_REQUIRED_GROUPS)
    if "Counterparts" in groups and user.member_state_id is not None:
        return True
    return bool(groups) and user.groups.filter(name__in=groups).exists()


def owed_at_sign_in(user) -> str:
    """What a password sign-in still owes: a code if the person has an authenticator, its set-up if they must."""
    if user_has_device(user):
        return "verify"
    return "enrol" if required_for(user) else ""


def locked(request, user) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": user.get_username()})


def _failed(request, user, method: str) -> None:
    # Counted by django-axes as a failed sign-in of the account (the lockout covers the second factor too).
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username(), "second_factor": method}, request=request
    )
    log_action(
        "accounts.second_factor.failed",
        by=user,
        obj=user,
        method=method,
        address=client_address(request) if request else "",
    )


def verify(request, user, code: str) -> str | None:
    """Check a code of the person's authenticator, or one of their recovery codes (used once). Returns the
    factor used ("totp", "recovery code"), or None (counted for the lockout); "locked" while locked out."""
    if locked(request, user):
        return "locked"
    code = "".join(str(code).split())
    with transaction.atomic():
        for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if code.isdigit() and device.verify_token(code):
                return _verified(request, user, device, "totp")
        for device in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code.lower()):
                return _verified(request, user, device, "recovery code")
    _failed(request, user, "totp")
    return None


def may_set_up(request) -> bool:
    """Whether this session may add a second factor: once it gave one, or when the person has none yet (never
    while a factor is owed: a new one would let the password alone in)."""
    user = request.user
    if request.session.get(SESSION_KEY) == "verify":
        return False
    return user.is_verified() or not user_has_device(user)


def _verified(request, user, device, method: str) -> str:
    if request is not None and hasattr(request, "session"):
        otp_login(request, device)
        request.session.pop(SESSION_KEY, None)
    log_action(
        "accounts.second_factor.verified",
        by=user,
        obj=user,
        method=method,
        address=client_address(request) if request else "",
    )
    return method


def enrolment_device(user) -> TOTPDevice:
    """The authenticator being set up (unconfirmed until a first code proves it), made if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
        log_action("accounts.second_factor.setup_started", by=user, obj=user, method="totp")
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG QR code, made here (no image fetched from anywhere)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1a1a1a")


def secret_text(device: TOTPDevice) -> str:
    """The secret to type into an app that cannot read the QR code, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def enrol_confirm(request, user, device: TOTPDevice, code: str) -> list[str] | None:
    """The first code proves the authenticator: it is confirmed, the session verified, and ten recovery codes
    made (shown once; those of before are replaced). None if the code is wrong (counted for the lockout)."""
    if device.user_id != user.pk or not "".join(str(code).split()).isdigit():
        _failed(request, user, "totp")
        return None
    if locked(request, user) or not device.verify_token("".join(str(code).split())):
        _failed(request, user, "totp")
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_new(user)
    otp_login(request, device)
    request.session.pop(SESSION_KEY, None)
    log_action("accounts.second_factor.enrolled", by=user, obj=user, method="totp")
    return codes


def recovery_codes_new(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


# Security keys and passkeys (WebAuthn) ----------------------------------------------------------------------


def _webauthn_server(request) -> Fido2Server:
    """fido2's server for this site: the relying party is the host the person reached (WEBAUTHN_RP_ID if set),
    and only this site's own origin is accepted."""
    origin = f"{request.scheme}://{request.get_host()}"
    rp_id = settings.WEBAUTHN_RP_ID or request.get_host().rsplit(":", 1)[0]
    return Fido2Server(
        PublicKeyCredentialRpEntity(id=rp_id, name="iomborder"), verify_origin=lambda sent: sent == origin
    )


def _credentials(user) -> list[AttestedCredentialData]:
    return [AttestedCredentialData(bytes(key.credential)) for key in SecurityKey.objects.filter(user=user)]


def key_registration_begin(request, user) -> dict:
    """The options of navigator.credentials.create() for a new key of the person (not one they already have)."""
    options, state = _webauthn_server(request).register_begin(
        PublicKeyCredentialUserEntity(
            id=str(user.pk).encode(), name=user.get_username(), display_name=user.get_full_name() or user.username
        ),
        _credentials(user),
        resident_key_requirement=ResidentKeyRequirement.PREFERRED,
        user_verification=UserVerificationRequirement.DISCOURAGED,
    )
    request.session["webauthn_registration"] = state
    return dict(options)


@transaction.atomic
def key_register(request, user, response: dict, name: str) -> list[str] | None:
    """The browser's answer to key_registration_begin: the key is the person's and the session verified by it.
    Returns new recovery codes when the person had none (their first second factor), else None. ValueError
    when the answer does not verify (it is then not kept)."""
    state = request.session.pop("webauthn_registration", None)
    if state is None:
        raise ValueError("no registration under way")
    data = _webauthn_server(request).register_complete(state, response).credential_data
    key = SecurityKey.objects.create(
        user=user,
        name=name or _("Security key"),
        confirmed=True,
        credential_id=websafe_encode(data.credential_id),
        credential=bytes(data),
    )
    codes = None if StaticDevice.objects.filter(user=user, confirmed=True).exists() else recovery_codes_new(user)
    otp_login(request, key)
    request.session.pop(SESSION_KEY, None)
    log_action("accounts.security_key.added", by=user, obj=user, key=key.name)
    return codes


def key_sign_in_begin(request, user) -> dict:
    """The options of navigator.credentials.get() for the person's keys."""
    options, state = _webauthn_server(request).authenticate_begin(
        _credentials(user), user_verification=UserVerificationRequirement.DISCOURAGED
    )
    request.session["webauthn_sign_in"] = state
    return dict(options)


def key_verify(request, user, response: dict) -> str | None:
    """The browser's answer to key_sign_in_begin: "security key" when one of the person's keys signed it, None if
    not (counted for the lockout), "locked" while locked out."""
    if locked(request, user):
        return "locked"
    state = request.session.pop("webauthn_sign_in", None)
    with transaction.atomic():
        try:
            if state is None:
                raise ValueError("no sign-in under way")
            used = _webauthn_server(request).authenticate_complete(state, _credentials(user), response)
            key = SecurityKey.objects.select_for_update().get(
                user=user, credential_id=websafe_encode(used.credential_id)
            )
            counter = AuthenticatorData(websafe_decode(response["response"]["authenticatorData"])).counter
        except (ValueError, KeyError, TypeError, SecurityKey.DoesNotExist):
            key = None
        if key is not None and (counter > key.sign_count or counter == key.sign_count == 0):  # a clone repeats one
            key.sign_count, key.last_used_at = counter, timezone.now()
            key.save(update_fields=["sign_count", "last_used_at"])
            return _verified(request, user, key, "security key")
    _failed(request, user, "security key")
    return None


@transaction.atomic
def key_remove(*, user, key: SecurityKey) -> None:
    if key.user_id != user.pk:
        raise PermissionDenied
    key.delete()
    log_action("accounts.security_key.removed", by=user, obj=user, key=key.name)
