"""Brute force and credentials (security review, defects 6 and 7): five failures lock an account and an
address for fifteen minutes on every sign-in; API tokens expire, are listed and revoked by their owner."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from iomborder.models import ApiToken
from iomborder.tokens import token_create
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()


def sign_in(client, username, password, url="login"):
    return client.post(reverse(url), {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account_even_with_the_right_one_then(client, world):
    for _attempt in range(4):
        assert sign_in(client, "adviser", "wrong-guess").status_code == 200
    assert sign_in(client, "adviser", "wrong-guess").status_code == 429  # the fifth failure locks
    locked = sign_in(client, "adviser", factories.PASSWORD)
    assert locked.status_code == 429
    assert "Wait 15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_after_the_cool_off_time(client, world, settings):
    from axes.models import AccessAttempt

    for _attempt in range(5):
        sign_in(client, "adviser", "wrong-guess")
    assert sign_in(client, "adviser", factories.PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))  # time moves on
    assert sign_in(client, "adviser", factories.PASSWORD).status_code == 302


def test_the_admin_sign_in_is_locked_too(client, world):
    for _attempt in range(5):
        client.post(reverse("admin:login"), {"username": "manager", "password": "wrong-guess"})
    response = client.post(reverse("admin:login"), {"username": "manager", "password": factories.PASSWORD})
    assert response.status_code == 429


def test_the_token_endpoint_is_locked_too(world):
    api = APIClient()
    for _attempt in range(4):
        assert api.post(reverse("api-token"), {"username": "adviser", "password": "x"}).status_code == 400
    api.post(reverse("api-token"), {"username": "adviser", "password": "x"})
    locked = api.post(reverse("api-token"), {"username": "adviser", "password": factories.PASSWORD})
    assert locked.status_code == 429 and locked.json()["code"] == "locked_out"
    assert not ApiToken.objects.exists()


def test_the_token_endpoint_is_throttled_per_address_beyond_the_lockout(world, settings):
    settings.AXES_ENABLED = False  # the throttle alone: ten tries a minute, whatever the user names
    api = APIClient()
    for n in range(10):
        assert api.post(reverse("api-token"), {"username": f"user{n}", "password": "x"}).status_code == 400
    throttled = api.post(reverse("api-token"), {"username": "adviser", "password": factories.PASSWORD})
    assert throttled.status_code == 429 and throttled["Retry-After"]


def test_a_token_expires(world):
    token, key = token_create(user=world.adviser)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api-reviews")).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = api.get(reverse("api-reviews"))
    assert response.status_code == 401 and "expired" in response.json()["detail"]


def test_tokens_are_listed_and_revoked_by_their_owner_only(world):
    api = APIClient()
    made = api.post(reverse("api-token"), {"username": "adviser", "password": factories.PASSWORD, "name": "laptop"})
    assert made.status_code == 200
    key = made.json()["token"]
    assert ApiToken.objects.get().key_hash != key  # only its hash is kept
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    listed = api.get(reverse("api-tokens")).json()["results"]
    assert [(t["name"], t["prefix"]) for t in listed] == [("laptop", key[:8])] and "token" not in listed[0]
    other = APIClient()
    other.force_authenticate(world.manager)
    assert other.delete(reverse("api-token-detail", args=[listed[0]["id"]])).status_code == 404
    assert api.delete(reverse("api-token")).status_code == 204
    assert api.get(reverse("api-reviews")).status_code == 401
