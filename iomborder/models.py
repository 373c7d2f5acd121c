import hashlib
from zoneinfo import available_timezones

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device


def validate_time_zone(value: str) -> None:
    if value and value not in available_timezones():
        raise ValidationError(
            _("%(zone)s is not a time zone (for example Europe/Paris, Africa/Dakar).") % {"zone": value}
        )


class User(AbstractUser):
    """A person who signs in: IOM staff (no member state) or a government counterpart (their member state)."""

    member_state = models.ForeignKey(
        "frameworks.MemberState",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="counterparts",
        verbose_name=_("member state"),
        help_text=_("Only for government counterparts: the state whose reviews they may be invited to."),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    daily_digest = models.BooleanField(
        _("daily digest"),
        default=False,
        help_text=_("One e-mail a day with the news of the reviews, instead of one e-mail for each."),
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Of the pages and of the e-mails sent to you; empty: your browser's."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("Dates and times are shown in it; empty: the site's (UTC)."),
    )
    # An address counts (for invitations, password resets) only once its owner followed the link sent to it.
    email_verified = models.BooleanField(_("e-mail address verified"), default=False)
    # Raised to end every session of the person at once ("sign out everywhere").
    sessions_epoch = models.PositiveIntegerField(default=0, editable=False)
    # IOM staff who sign in through the organisation's identity provider: the provider's unchanging id of them
    # (the "sub" claim), set at their first single sign-on; their account is found by it from then on.
    oidc_subject = models.CharField(max_length=255, null=True, blank=True, unique=True, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_case_insensitive",
                violation_error_message=_("This address is the address of another account."),
            ),
        ]

    def __str__(self) -> str:
        # People are shown by name, never by user name: an invited account's user name is its e-mail address.
        return self.get_full_name() or (_("Account %d") % self.pk if self.pk else "")

    def _get_session_auth_hash(self, secret=None):
        # Django's session hash (the password's HMAC) with the epoch: raising it ends every session at once.
        return salted_hmac(
            "iomborder.User.session_auth_hash",
            f"{self.password}:{self.sessions_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A key for the REST API, held by one person: it expires, and its owner lists and revokes it. Only the
    hash of the key is kept, so the database alone lets nobody in."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("starts with"), max_length=8)
    name = models.CharField(_("name"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class SignedInSession(models.Model):
    """A session a person signed in with: which device and address, since when, last seen. Its owner lists them
    and ends any; it goes with the session (sign-out, idle timeout, deactivation, sign out everywhere)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions", verbose_name=_("user")
    )
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(_("device"), max_length=300, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    method = models.CharField(_("sign-in method"), max_length=20, default="password")
    created_at = models.DateTimeField(_("signed in at"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last seen"), auto_now_add=True)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.user} · {self.address or '?'}"


class SecurityKey(Device):
    """A security key or passkey (WebAuthn) of a person, as a second factor: the credential the authenticator made
    for this site at its registration (fido2's AttestedCredentialData, with its public key), and the signature
    counter it last reported."""

    credential_id = models.CharField(max_length=1400, unique=True)  # base64url, as the browser sends it back
    credential = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("security key")
        verbose_name_plural = _("security keys")
