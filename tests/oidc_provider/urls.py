"""The provider's pages: django-oauth-toolkit's /o/ (authorize, token, userinfo, discovery, JWKS) and a sign-in
form. Its claims: e-mail (verified), names, the person's groups, and how they signed in (amr)."""

import datetime

from django.contrib.auth import authenticate, login
from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "groups": "profile", "amr": "openid"}

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": not user.username.startswith("unverified"),
            "given_name": user.first_name,
            "family_name": user.last_name,
            "groups": [group.name for group in user.groups.all()],
            "amr": ["pwd", "mfa"] if user.username.endswith("-mfa") else ["pwd"],
        }

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration = super().get_id_token_dictionary(token, token_handler, request)
        if request.user.username == "wrong-audience":
            claims["aud"] = "another-client"
        if request.user.username == "expired":
            expiration = timezone.now() - datetime.timedelta(minutes=2)
            claims["exp"] = int(expiration.timestamp())
        return claims, expiration


@csrf_exempt
def sign_in(request):
    """The provider's own sign-in form (a plain POST of username and password: this is a test provider)."""
    if request.method == "POST":
        user = authenticate(request, username=request.POST.get("username"), password=request.POST.get("password"))
        if user is not None:
            login(request, user)
            return HttpResponse("signed in")
        return HttpResponse("wrong password", status=403)
    return HttpResponse('<form method="post"><input name="username"><input name="password" type="password"></form>')


urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("login/", sign_in, name="login"),
]
