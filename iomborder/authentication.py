"""How the API knows who calls it: the session, or an expiring token (iomborder.tokens makes them)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from iomborder.models import ApiToken, token_digest

KEYWORD = "Token"


class ExpiringTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`: a key that exists, has not expired, of an active person. A subclass of DRF's
    token authentication for its documentation in the OpenAPI schema only: the keys are ours (ApiToken)."""

    keyword = KEYWORD

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace") != KEYWORD:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("The token header must be: Token <key>."))
        key = parts[1].decode(errors="replace")
        token = ApiToken.objects.select_related("user").filter(key_hash=token_digest(key)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This token is not valid."))
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("This token has expired: sign in again for a new one."))
        if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=5):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # at most one write every 5 minutes
        return token.user, token

    def authenticate_header(self, request):
        return KEYWORD
