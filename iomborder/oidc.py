"""Single sign-on of IOM staff through the organisation's OpenID Connect provider (mozilla-django-oidc), on when
OIDC_ISSUER and OIDC_CLIENT_ID are set (settings.py says what each setting does).

The endpoints and signing keys come from the issuer's discovery document (cached for an hour). The code flow
uses PKCE and a nonce; the ID token must be signed by one of the provider's keys (never "none" or a shared
secret), issued by the issuer, for this client, and not expired. The account is then found, linked or created
by iomborder.accounts.provider_account, and the person's groups follow the provider's. Every refusal is a
failed sign-in (the lockout counts it, the action log says why) and the sign-in page says it plainly."""

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from iomborder import accounts

# The settings mozilla-django-oidc reads, and the fields of the discovery document that give them.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
SIGNING_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]
# The "amr" values that say the provider checked a second factor (RFC 8176).
SECOND_FACTORS = {"mfa", "otp", "hwk", "swk", "sms", "fpt", "face", "iris", "retina", "vbm", "pin", "sc"}
CLOCK_SKEW = 60  # seconds of difference between the provider's clock and ours that are tolerated


class Refused(Exception):
    """A sign-in through the provider that is not let in, with what the person is told."""


def configured() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID)


def provider() -> dict:
    """The issuer's discovery document (/.well-known/openid-configuration), cached for an hour."""
    key = f"oidc:discovery:{settings.OIDC_ISSUER}"
    document = cache.get(key)
    if document is None:
        try:
            answer = requests.get(
                f"{settings.OIDC_ISSUER}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT
            )
            answer.raise_for_status()
            document = answer.json()
        except (requests.RequestException, ValueError) as error:
            raise Refused(_("The IOM sign-in service cannot be reached. Try again in a few minutes.")) from error
        if document.get("issuer", "").rstrip("/") != settings.OIDC_ISSUER:
            raise Refused(_("The IOM sign-in service is not configured correctly: tell the administrators."))
        cache.set(key, document, 60 * 60)
    return document


def setting(name: str, *default):
    """A setting of mozilla-django-oidc: the provider's endpoints from its discovery document, the rest from
    settings.py."""
    if name in DISCOVERED:
        return provider()[DISCOVERED[name]]
    return import_from_settings(name, *default)


def group_map() -> dict[str, str]:
    """OIDC_GROUP_MAP as {provider's group: iomborder's group}."""
    pairs = (pair.split("=", 1) for pair in settings.OIDC_GROUP_MAP.split(",") if "=" in pair)
    return {theirs.strip(): ours.strip() for theirs, ours in pairs if theirs.strip() and ours.strip()}


def second_factor_of(claims: dict) -> str:
    """The second factor the provider says it checked ("mfa", "hwk"...), or "" if none or not trusted."""
    methods = claims.get("amr") or []
    if not settings.OIDC_TRUST_PROVIDER_MFA or not isinstance(methods, list):
        return ""
    return next((str(method) for method in methods if str(method) in SECOND_FACTORS), "")


class Backend(OIDCAuthenticationBackend):
    """Authenticates the provider's answer at the callback; nothing else. Permissions are the model backend's
    (this one answers no permission question)."""

    get_settings = staticmethod(setting)

    def __init__(self, *args, **kwargs):
        # Lazy: Django makes every backend for every sign-in, and a password sign-in must not fetch the
        # provider's discovery document.
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if request is None or "nonce" not in kwargs or not configured():
            return None  # not the callback of a sign-in through the provider
        try:
            self.OIDC_OP_TOKEN_ENDPOINT = setting("OIDC_OP_TOKEN_ENDPOINT")
            self.OIDC_OP_USER_ENDPOINT = setting("OIDC_OP_USER_ENDPOINT")
            self.OIDC_OP_JWKS_ENDPOINT = setting("OIDC_OP_JWKS_ENDPOINT")
            self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
            self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
            self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
            self.OIDC_RP_IDP_SIGN_KEY = None
            user = super().authenticate(request, **kwargs)
        except Refused as refusal:
            request.oidc_refusal = str(refusal)
            return None
        except (requests.RequestException, ValueError, KeyError, SuspiciousOperation) as error:
            request.oidc_refusal = _("The IOM sign-in service did not answer as expected. Try again.")
            request.oidc_detail = f"{type(error).__name__}: {error}"[:300]
            return None
        return user

    def verify_token(self, token, **kwargs):
        """The ID token: signed by one of the provider's keys with an asymmetric algorithm, issued by the issuer
        for this client (and, when it names an authorised party, to this client), not expired, with the nonce
        this sign-in sent."""
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
            if algorithm not in SIGNING_ALGORITHMS:
                raise jwt.InvalidAlgorithmError(algorithm)
            payload = jwt.decode(
                token,
                self.retrieve_matching_jwk(token),
                algorithms=[algorithm],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=provider()["issuer"],
                leeway=CLOCK_SKEW,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise Refused(_("The IOM sign-in has expired. Sign in again.")) from error
        except (jwt.InvalidTokenError, jwt.PyJWKError) as error:
            self.request.oidc_detail = f"{type(error).__name__}: {error}"[:300]
            raise Refused(_("The answer of the IOM sign-in service could not be verified. Sign in again.")) from error
        if payload.get("azp", self.OIDC_RP_CLIENT_ID) != self.OIDC_RP_CLIENT_ID or payload.get("nonce") != kwargs.get(
            "nonce"
        ):
            raise Refused(_("The answer of the IOM sign-in service could not be verified. Sign in again."))
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        info = self.get_userinfo(access_token, id_token, payload)
        if info.get("sub") != payload["sub"]:
            raise Refused(_("The answer of the IOM sign-in service could not be verified. Sign in again."))
        claims = {**info, **payload}  # what the signed token says wins
        self.request.oidc_email = str(claims.get("email") or "")[:150]
        theirs = claims.get(settings.OIDC_GROUPS_CLAIM) or []
        theirs = [theirs] if isinstance(theirs, str) else theirs
        mapping = group_map()
        try:
            user = accounts.provider_account(
                subject=str(payload["sub"]),
                email=str(claims.get("email") or ""),
                email_verified=claims.get("email_verified") in (True, "true"),
                first_name=str(claims.get("given_name") or ""),
                last_name=str(claims.get("family_name") or ""),
                groups={mapping[name] for name in theirs if isinstance(name, str) and name in mapping},
                managed_groups=set(mapping.values()),
            )
        except ValidationError as refusal:
            raise Refused(refusal.messages[0]) from refusal
        self.request.oidc_second_factor = second_factor_of(claims)
        return user

    def get_user(self, user_id):
        user = self.UserModel._default_manager.filter(pk=user_id).first()
        return user if user is not None and user.is_active else None

    # Permissions are answered by the model and object backends, not twice.
    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False

    def get_all_permissions(self, user_obj, obj=None):
        return set()


class StartView(OIDCAuthenticationRequestView):
    """The "Sign in with your IOM account" button: off to the provider, with state, nonce and PKCE."""

    get_settings = staticmethod(setting)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the endpoint is read when asked for, not when the view is made

    def get(self, request):
        if not configured():
            return HttpResponseRedirect(reverse("login"))
        try:
            self.OIDC_OP_AUTH_ENDPOINT = setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except Refused as refusal:
            messages.error(request, str(refusal))
            return HttpResponseRedirect(reverse("login"))
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: signed in and on to the page asked for, or back to the sign-in page saying why."""

    get_settings = staticmethod(setting)

    def get(self, request):
        if "code" in request.GET and request.GET.get("state") not in request.session.get("oidc_states", {}):
            messages.error(request, _("This sign-in link was already used or has expired. Sign in again."))
            return HttpResponseRedirect(reverse("login"))
        return super().get(request)

    def login_failure(self):
        refusal = getattr(self.request, "oidc_refusal", "") or _("The sign-in with your IOM account did not succeed.")
        if self.request.GET.get("error"):
            accounts.sign_in_failed(
                request=self.request, username="", method="oidc", reason=self.request.GET.get("error")[:100]
            )
        messages.error(self.request, refusal)
        return HttpResponseRedirect(reverse("login"))
