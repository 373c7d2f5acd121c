"""Two factors (issue 16, item 2: TOTP with recovery codes, and security keys, whose full ceremony runs in the
browser tests with Chromium's virtual authenticator): required for the groups named, enrolled on first sign-in
before anything else, asked after the password, counted by the lockout, and needed for an API token."""

import re

import pyotp
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from core.models import ActionLog
from iomborder.models import SecurityKey
from iomborder.two_factor import secret_text
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def required(settings):
    cache.clear()
    settings.MFA_REQUIRED_GROUPS = ["Managers", "Administrators", "Counterparts"]


def password(client, username):
    return client.post(reverse("login"), {"username": username, "password": factories.PASSWORD})


def code_of(device) -> str:
    """The code an authenticator app shows now (pyotp, not our code), from the secret the page gives."""
    return pyotp.TOTP(secret_text(device).replace(" ", "")).now()


def enrolled(username) -> tuple[Client, list[str], TOTPDevice]:
    client = Client()
    password(client, username)
    page = client.get(reverse("two_factor_setup")).content.decode()
    assert "<svg" in page  # the QR code, made here
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    done = client.post(reverse("two_factor_setup"), {"code": code_of(device), "next": "/"}).content.decode()
    codes = re.findall(r"<code>([0-9a-f]{10})</code>", done)
    assert len(codes) == 10
    return client, codes, device


def test_a_manager_must_enrol_before_anything_else_then_signs_in_with_a_code(world):
    client = Client()
    password(client, "manager")
    answer = client.get(reverse("reviews:portfolio"))
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("two_factor_setup"))
    assert client.get(reverse("api-reviews")).status_code == 403
    client, _codes, device = enrolled("manager")
    assert client.get(reverse("reviews:portfolio")).status_code == 200

    again = Client()
    password(again, "manager")
    assert again.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))
    device.refresh_from_db()
    device.last_t = -1  # a code may be used once: a new one for this sign-in
    device.save()
    assert again.post(reverse("two_factor_verify"), {"code": code_of(device), "next": "/"}).status_code == 302
    assert again.get(reverse("reviews:portfolio")).status_code == 200
    methods = list(
        ActionLog.objects.filter(action="accounts.second_factor.verified").values_list("data__method", flat=True)
    )
    assert methods == ["totp"]


def test_a_recovery_code_works_once(world):
    _client, codes, _device = enrolled("counterpart")
    first, second = Client(), Client()
    password(first, "counterpart")
    assert first.post(reverse("two_factor_verify"), {"code": codes[0]}).status_code == 302
    assert first.get(reverse("home")).status_code == 200
    password(second, "counterpart")
    reused = second.post(reverse("two_factor_verify"), {"code": codes[0]})
    assert reused.status_code == 400 and "wrong or has expired" in reused.content.decode()


def test_five_wrong_codes_lock_the_account_until_the_lock_expires(world):
    from axes.models import AccessAttempt

    _client, _codes, device = enrolled("manager")
    client = Client()
    password(client, "manager")
    statuses = [client.post(reverse("two_factor_verify"), {"code": "000000"}).status_code for _ in range(5)]
    assert statuses[:4] == [400] * 4 and statuses[4] in (400, 429)
    locked = client.post(reverse("two_factor_verify"), {"code": code_of(device)})
    assert locked.status_code == 429
    # The cool-off passes (the attempts are moved back in time, not slept through).
    from django.conf import settings
    from django.utils import timezone

    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    cache.clear()
    device.refresh_from_db()
    device.last_t, device.throttling_failure_count, device.throttling_failure_timestamp = -1, 0, None
    device.save()
    fresh = Client()
    password(fresh, "manager")
    assert fresh.post(reverse("two_factor_verify"), {"code": code_of(device)}).status_code == 302


def test_an_api_token_needs_the_second_factor(world):
    _client, _codes, device = enrolled("manager")
    api = APIClient()
    url = reverse("api-token")
    refused = api.post(url, {"username": "manager", "password": factories.PASSWORD})
    assert refused.status_code == 400 and "otp" in refused.json()
    device.refresh_from_db()
    device.last_t = -1
    device.save()
    given = api.post(url, {"username": "manager", "password": factories.PASSWORD, "otp": code_of(device)})
    assert given.status_code == 200 and given.json()["token"]
    unenrolled = api.post(url, {"username": "counterpart", "password": factories.PASSWORD})
    assert unenrolled.status_code == 400 and "set it up" in str(unenrolled.json())


def test_an_adviser_outside_the_groups_is_not_asked(world):
    client = Client()
    password(client, "adviser")
    assert client.get(reverse("home")).status_code == 200


def test_a_session_that_owes_its_second_factor_cannot_add_another(world):
    """With the password alone, setting up a new authenticator or key would let the password in by itself."""
    enrolled("manager")
    client = Client()
    password(client, "manager")
    answer = client.get(reverse("two_factor_setup"))
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("two_factor_verify"))
    assert client.post(reverse("two_factor_setup"), {"code": "123456"}).status_code == 302
    assert client.post(reverse("security_key_register_begin")).status_code == 403
    assert client.post(reverse("security_key_register"), "{}", content_type="application/json").status_code == 403
    assert TOTPDevice.objects.filter(user__username="manager").count() == 1


def test_security_key_options_name_this_site_and_exclude_the_keys_one_has(world):
    client = Client()
    password(client, "adviser")  # no second factor yet: may add one
    options = client.post(reverse("security_key_register_begin")).json()["publicKey"]
    assert options["rp"] == {"name": "iomborder", "id": "testserver"}
    assert options["user"]["name"] == "adviser" and options["excludeCredentials"] == []
    assert len(options["challenge"]) >= 43  # 32 random bytes, base64url
    assert client.post(reverse("security_key_sign_in_begin")).status_code == 400  # no key to use


def test_wrong_security_key_answers_count_towards_the_lockout(world, settings):
    client, _codes, device = enrolled("manager")
    key = SecurityKey.objects.create(user=device.user, name="key", confirmed=True, credential_id="abc", credential=b"")
    again = Client()
    password(again, "manager")
    unreadable = again.post(reverse("security_key_sign_in"), "not json", content_type="application/json")
    assert unreadable.status_code == 400
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        forged = {"credential": {"id": "abc", "rawId": "abc", "type": "public-key", "response": {}}}
        answer = again.post(reverse("security_key_sign_in"), forged, content_type="application/json")
    assert answer.status_code in (400, 429)
    locked = again.post(reverse("security_key_sign_in"), forged, content_type="application/json")
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.json()["error"]
    assert ActionLog.objects.filter(action="accounts.second_factor.failed", data__method="security key").count() >= 5
    # Someone else's key cannot be removed (404), one's own can, with a line in the log.
    other = Client()
    other.force_login(world.adviser)
    assert other.post(reverse("security_key_remove", args=[key.pk])).status_code == 404
    assert client.post(reverse("security_key_remove", args=[key.pk])).status_code == 302
    assert not SecurityKey.objects.filter(pk=key.pk).exists()
    assert ActionLog.objects.filter(action="accounts.security_key.removed").count() == 1


def test_names_of_keys_and_tokens_too_long_or_with_a_nul_are_refused_not_cut(world):
    client = Client()
    password(client, "adviser")
    for name in ("x" * 101, "my\x00script"):
        answer = client.post(reverse("api_token_new"), {"name": name}, follow=True)
        assert answer.status_code == 200 and answer.redirect_chain[-1][0] == reverse("preferences")
        assert "form-errors" in answer.content.decode() or "message-error" in answer.content.decode()
    assert not world.adviser.api_tokens.exists()
    body = {"credential": {"id": "a", "rawId": "a", "type": "public-key", "response": {}}, "name": "k" * 65}
    client.post(reverse("security_key_register_begin"))
    refused = client.post(reverse("security_key_register"), body, content_type="application/json")
    assert refused.status_code == 400 and "at most 64 characters" in refused.json()["error"]
    assert not SecurityKey.objects.exists()
