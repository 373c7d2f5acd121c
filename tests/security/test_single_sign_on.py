"""Single sign-on of IOM staff (issue 16, item 1), against a real OpenID Connect provider started on the loopback
address (django-oauth-toolkit in a second Django process: tests/oidc_provider): discovery, the code flow with
PKCE, RS256-signed ID tokens, the group claim; a token for another client and an expired token refused."""

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from core.models import ActionLog
from iomborder.models import User
from tests import factories

pytestmark = pytest.mark.django_db

CLIENT_ID, CLIENT_SECRET = "iomborder-tests", "a-secret-of-the-tests"
PEOPLE = [
    ("amina", "amina.diallo@iom.int", ["iom-advisers"]),
    ("boss", "boss@iom.int", ["iom-managers", "iom-everyone"]),
    ("boss-mfa", "boss.mfa@iom.int", ["iom-managers"]),
    ("linked", "Existing.Adviser@IOM.int", ["iom-advisers"]),
    ("nogroup", "nogroup@iom.int", ["iom-everyone"]),
    ("ministry", "official@interior.example", ["iom-advisers"]),
    ("unverified", "unverified@iom.int", ["iom-advisers"]),
    ("wrong-audience", "wrong.audience@iom.int", ["iom-advisers"]),
    ("expired", "expired@iom.int", ["iom-advisers"]),
]


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    folder = tmp_path_factory.mktemp("provider")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = {
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uri": "http://testserver/accounts/oidc/callback/",
        },
        "people": [
            {"username": u, "password": "pw", "email": e, "groups": g, "first_name": u.title(), "last_name": "Staff"}
            for u, e, g in PEOPLE
        ],
    }
    (folder / "config.json").write_text(json.dumps(config))
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port), str(folder / "config.json")],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "PROVIDER_DB": str(folder / "provider.sqlite3")},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready"
    yield f"http://127.0.0.1:{port}/o"
    process.terminate()
    process.wait(10)


@pytest.fixture
def sso(settings, provider):
    cache.clear()
    settings.OIDC_ISSUER = provider
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_GROUP_MAP = "iom-advisers=Advisers,iom-managers=Managers"
    factories.ensure_groups()
    return provider


def through_provider(client: Client, username: str, next_page: str = "/"):
    """What a browser does: our start page sends it to the provider, which signs the person in (its own form)
    and sends it back to our callback with a code."""
    start = client.get(reverse("oidc_start"), {"next": next_page})
    assert start.status_code == 302
    browser = requests.Session()
    authorize = start["Location"]
    origin = authorize.split("/o/", 1)[0]
    browser.post(f"{origin}/login/", data={"username": username, "password": "pw", "next": "/"}, timeout=10)
    answer = browser.get(authorize, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    back = urlsplit(answer.headers["Location"])
    assert back.path == reverse("oidc_callback"), answer.headers["Location"]
    return client.get(f"{back.path}?{back.query}"), authorize


def refusal_of(answer) -> str:
    assert answer.status_code == 302 and answer["Location"] == reverse("login")
    return " ".join(str(message) for message in answer.wsgi_request._messages)


def test_the_button_appears_only_when_single_sign_on_is_configured(settings, sso):
    assert "Sign in with your IOM account" in Client().get(reverse("login")).content.decode()
    settings.OIDC_ISSUER = ""
    assert "Sign in with your IOM account" not in Client().get(reverse("login")).content.decode()
    assert Client().get(reverse("oidc_start"))["Location"] == reverse("login")


def test_a_first_sign_in_creates_the_account_with_the_groups_of_the_claim(sso):
    client = Client()
    answer, authorize = through_provider(client, "amina", next_page="/reviews/")
    # Discovery gave the endpoint; the code flow carried PKCE (S256) and a nonce; the provider requires PKCE.
    assert authorize.startswith(f"{sso}/authorize/")
    asked = parse_qs(urlsplit(authorize).query)
    assert asked["code_challenge_method"] == ["S256"] and asked["code_challenge"] and asked["nonce"]
    assert answer.status_code == 302 and answer["Location"] == "/reviews/"
    user = User.objects.get(email="amina.diallo@iom.int")
    assert set(user.groups.values_list("name", flat=True)) == {"Advisers"}
    assert user.oidc_subject and user.email_verified and not user.has_usable_password()
    assert (user.first_name, user.last_name) == ("Amina", "Staff")
    assert client.get(reverse("reviews:list")).status_code == 200
    signed_in = ActionLog.objects.filter(action="accounts.signed_in", object_id=str(user.pk)).get()
    assert signed_in.data["method"] == "oidc" and signed_in.data["second_factor"] == "none"
    assert ActionLog.objects.filter(action="accounts.staff_account.created", object_id=str(user.pk)).exists()
    assert user.signed_in_sessions.get().method == "oidc"

    # The next sign-in finds the same account by the provider's id of the person.
    through_provider(Client(), "amina")
    assert User.objects.filter(email__iexact="amina.diallo@iom.int").count() == 1


def test_an_existing_account_is_linked_by_its_verified_address_and_its_groups_follow_the_provider(sso):
    existing = factories.UserFactory(username="existing", email="existing.adviser@iom.int", groups=["Managers"])
    answer, _ = through_provider(Client(), "linked")
    assert answer.status_code == 302 and answer["Location"] == "/"
    existing.refresh_from_db()
    assert existing.oidc_subject and existing.username == "existing"
    assert set(existing.groups.values_list("name", flat=True)) == {"Advisers"}
    changed = ActionLog.objects.get(action="accounts.groups.changed", object_id=str(existing.pk))
    assert changed.data["added"] == "Advisers" and changed.data["removed"] == "Managers"


def test_the_second_factor_is_owed_unless_the_provider_checked_one(settings, sso):
    settings.MFA_REQUIRED_GROUPS = ["Managers"]
    client = Client()
    through_provider(client, "boss")
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_setup"))

    client = Client()
    through_provider(client, "boss-mfa")
    assert client.get(reverse("home")).status_code == 200
    boss = User.objects.get(email="boss.mfa@iom.int")
    assert ActionLog.objects.get(action="accounts.signed_in", object_id=str(boss.pk)).data["second_factor"] == (
        "provider (mfa)"
    )

    settings.OIDC_TRUST_PROVIDER_MFA = False
    client = Client()
    through_provider(client, "boss-mfa")
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_setup"))


@pytest.mark.parametrize(
    ("username", "told", "reason"),
    [
        ("wrong-audience", "could not be verified", "InvalidAudience"),
        ("expired", "has expired", "expired"),
        ("nogroup", "in no group that has access", "no group"),
        ("unverified", "no verified e-mail address", "no verified"),
        ("ministry", "government counterpart", "counterpart"),
    ],
)
def test_refused_sign_ins_say_why_log_it_and_create_nothing(sso, world, username, told, reason):
    factories.counterpart("official", world.demoland, email="official@interior.example")
    people = User.objects.count()
    client = Client()
    answer, _ = through_provider(client, username)
    assert told in refusal_of(answer)
    assert User.objects.count() == people
    assert User.objects.filter(oidc_subject__isnull=False).count() == 0
    assert "_auth_user_id" not in client.session
    failed = ActionLog.objects.get(action="accounts.sign_in_failed")
    assert failed.data["method"] == "oidc" and reason.lower() in failed.data["reason"].lower()


def test_a_replayed_or_forged_callback_is_refused(sso):
    client = Client()
    answer, _ = through_provider(client, "amina")
    client.logout()
    replay = client.get(answer.wsgi_request.get_full_path())
    assert "already used or has expired" in refusal_of(replay)
    assert "_auth_user_id" not in client.session


def test_a_deactivated_staff_member_is_refused_and_their_session_ends(sso):
    client = Client()
    through_provider(client, "amina")
    user = User.objects.get(email="amina.diallo@iom.int")
    user.is_active = False
    user.save()
    assert client.get(reverse("home")).status_code == 302  # the open session ended at once
    answer, _ = through_provider(Client(), "amina")
    assert "deactivated" in refusal_of(answer)


def test_password_sign_in_for_staff_can_be_switched_off(settings, sso, world):
    settings.STAFF_PASSWORD_SIGNIN = False
    page = Client().get(reverse("login")).content.decode()
    assert "Government counterparts" in page
    for username, allowed in (("adviser", False), ("manager", False), (world.counterpart.username, True)):
        client = Client()
        client.post(reverse("login"), {"username": username, "password": factories.PASSWORD})
        assert ("_auth_user_id" in client.session) is allowed, username
    factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    client = Client()
    client.post(reverse("login"), {"username": "root", "password": factories.PASSWORD})
    assert "_auth_user_id" in client.session  # the way in when the provider is down


def test_staff_signed_in_through_the_provider_make_and_revoke_api_tokens_on_the_site(sso, world):
    client = Client()
    through_provider(client, "amina")
    page = client.post(reverse("api_token_new"), {"name": "my script"}).content.decode()
    key = re.search(r'<code class="token-key">([^<]+)</code>', page).group(1)
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api-reviews")).status_code == 200
    token = User.objects.get(email="amina.diallo@iom.int").api_tokens.get()
    assert token.name == "my script"
    other = Client()
    other.force_login(world.adviser)
    assert other.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 302
    assert api.get(reverse("api-reviews")).status_code == 401
