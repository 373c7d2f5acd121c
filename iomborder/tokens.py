"""API tokens: created by signing in with a password, expiring, listed and revoked by their owner.

Every write here is a service; the API views below call them."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core.log import log_action
from iomborder import accounts, two_factor
from iomborder.authentication import ExpiringTokenAuthentication
from iomborder.models import ApiToken, token_digest
from iomborder.parsers import SafeJSONParser
from iomborder.signin import locked_out


def token_create(*, user, name: str = "") -> tuple[ApiToken, str]:
    """A new token for the user; the key is returned once and never stored."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=token_digest(key),
        prefix=key[:8],
        name=name[:100],
        expires_at=timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DAYS),
    )
    log_action("accounts.token.created", by=user, obj=token)
    return token, key


def token_revoke(*, token: ApiToken, by) -> None:
    if token.user_id != by.pk:
        raise Http404  # another person's token: as if it did not exist
    log_action("accounts.token.revoked", by=by, obj=token)
    token.delete()


class SignInSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"}, trim_whitespace=False)
    name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="What the token is for (shown in your list)."
    )
    otp = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="For those with two-factor sign-in: the code of their authenticator (or a recovery code).",
    )


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at"]
        read_only_fields = fields


class NewTokenSerializer(TokenSerializer):
    token = serializers.CharField(help_text="The key: shown this once, never again.")

    class Meta(TokenSerializer.Meta):
        fields = ["token", *TokenSerializer.Meta.fields]
        read_only_fields = fields


class TokenSignIn(APIView):
    """POST: sign in with a user name and password for a new token. DELETE: revoke the token of this request."""

    authentication_classes = [ExpiringTokenAuthentication]
    permission_classes = [AllowAny]
    parser_classes = [SafeJSONParser, FormParser, MultiPartParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "signin"

    def get_throttles(self):
        return super().get_throttles() if self.request.method == "POST" else []

    @extend_schema(request=SignInSerializer, responses={200: NewTokenSerializer, 400: OpenApiResponse()})
    def post(self, request):
        given = SignInSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        user = authenticate(
            request=request, username=given.validated_data["username"], password=given.validated_data["password"]
        )
        if user is None and getattr(request, "axes_locked_out", False):
            return locked_out(request)  # the same answer as the sign-in page: 429, with how long to wait
        if user is None:
            raise serializers.ValidationError({"non_field_errors": [_("The user name or the password is wrong.")]})
        owed = two_factor.owed_at_sign_in(user)
        if owed == "enrol":
            raise serializers.ValidationError(
                {"otp": [_("Your role requires two-factor sign-in: set it up on the site first.")]}
            )
        if owed == "verify":
            factor = two_factor.verify(request._request, user, given.validated_data.get("otp", ""))
            if factor == "locked":
                return locked_out(request)
            if not factor:
                raise serializers.ValidationError({"otp": [_("This code is wrong or has expired.")]})
        accounts.signed_in_for_token(request=request, user=user)
        token, key = token_create(user=user, name=given.validated_data.get("name", ""))
        token.token = key
        return Response(NewTokenSerializer(token).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        if not isinstance(request.auth, ApiToken):
            raise exceptions.NotAuthenticated(_("Send the token to revoke in the Authorization header."))
        token_revoke(token=request.auth, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenList(generics.ListAPIView):
    """Your API tokens (never their keys)."""

    serializer_class = TokenSerializer

    def get_queryset(self):
        return self.request.user.api_tokens.all()


class TokenDetail(generics.RetrieveDestroyAPIView):
    """One of your tokens; DELETE revokes it. Another person's token answers 404."""

    serializer_class = TokenSerializer

    def get_queryset(self):
        return self.request.user.api_tokens.all()

    def perform_destroy(self, instance):
        token_revoke(token=instance, by=self.request.user)
