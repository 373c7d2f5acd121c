"""Accounts (security review, defects 4, 7 and 9): an invitation cannot be captured by typing the invited
address on one's own account; addresses are unique and verified; passwords change and reset; people are
shown by name; signing out everywhere ends every session and token."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from consultation import services as consultation
from iomborder.accounts import verification_link
from iomborder.models import ApiToken
from iomborder.tokens import token_create
from reviews.permissions import Perm, has_perm
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def eager(monkeypatch):
    """Celery runs queued tasks in this process: the e-mails they send land in the test outbox."""
    from iomborder.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    cache.clear()


def preferences(client, **changes):
    data = {"first_name": "Omar", "last_name": "Haddad", "email": "omar@ministry.example", **changes}
    return client.post(reverse("preferences"), data)


def test_typing_the_invited_address_on_ones_own_account_captures_nothing(
    client, world, django_capture_on_commit_callbacks
):
    intruder = world.counterpart_not_invited  # of the same state, not invited
    client.force_login(intruder)
    with django_capture_on_commit_callbacks(execute=True):
        preferences(client, email="minister@interior.example")
    intruder.refresh_from_db()
    assert intruder.email == "minister@interior.example" and not intruder.email_verified
    with django_capture_on_commit_callbacks(execute=True):
        consultation.counterpart_invite(review=world.review, by=world.adviser, email="minister@interior.example")
    assert not has_perm(intruder, world.review, Perm.VIEW_DRAFTS)
    assert mail.outbox[-1].to == ["minister@interior.example"]  # the link goes to the mailbox, not the account


def test_an_address_is_unique_and_counts_once_verified(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.counterpart_not_invited)
    taken = preferences(client, email=world.counterpart.email.upper())
    assert "address of another account" in taken.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        preferences(client, email="new.address@ministry.example")
    link = re.search(r"https?://\S+(/accounts/verify-email/\S+/)", mail.outbox[-1].body).group(1)
    user = type(world.adviser).objects.get(pk=world.counterpart_not_invited.pk)
    assert not user.email_verified
    assert "is confirmed" in client.get(link).content.decode()
    user.refresh_from_db()
    assert user.email_verified
    user.email = "changed@ministry.example"
    user.save()
    assert client.get(link.replace("/accounts", "/accounts")).status_code == 400  # a link for an old address


def test_names_are_required_and_people_are_shown_by_name(client, world):
    client.force_login(world.counterpart)
    refused = preferences(client, first_name="", last_name="")
    assert refused.status_code == 200 and "This field is required." in refused.content.decode()
    nameless = factories.UserFactory(username="someone@ministry.example", first_name="", member_state=world.demoland)
    assert "@" not in str(nameless)


def test_a_password_is_changed_and_other_sessions_and_tokens_end(client, world):
    _token, key = token_create(user=world.adviser)
    other = type(client)()
    other.force_login(world.adviser)
    client.force_login(world.adviser)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": factories.PASSWORD,
            "new_password1": "a-new-long-phrase-2026",
            "new_password2": "a-new-long-phrase-2026",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("reviews:list")).status_code == 200  # this session goes on
    assert other.get(reverse("reviews:list")).status_code == 302  # the other one ended
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api-reviews")).status_code == 401


def test_a_password_is_reset_by_a_link_sent_through_the_queue_to_a_verified_address(client, world):
    client.post(reverse("password_reset"), {"email": world.adviser.email})
    assert mail.outbox[-1].to == [world.adviser.email]
    link = re.search(r"https?://\S+(/accounts/password/reset/\S+/)", mail.outbox[-1].body).group(1)
    form = client.get(link, follow=True)
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-long-phrase-2026", "new_password2": "a-new-long-phrase-2026"},
    )
    assert response.status_code == 302
    signed_in = client.post(reverse("login"), {"username": "adviser", "password": "a-new-long-phrase-2026"})
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("home")


def test_no_reset_mail_goes_to_an_unverified_address_and_requests_are_throttled(client, world):
    world.counterpart.email_verified = False
    world.counterpart.save()
    sent = len(mail.outbox)
    client.post(reverse("password_reset"), {"email": world.counterpart.email})
    assert len(mail.outbox) == sent
    for _attempt in range(2):
        client.post(reverse("password_reset"), {"email": world.counterpart.email})
    assert client.post(reverse("password_reset"), {"email": world.counterpart.email}).status_code == 429


def test_signing_out_everywhere_ends_every_session_and_token(client, world):
    token_create(user=world.adviser)
    other = type(client)()
    other.force_login(world.adviser)
    client.force_login(world.adviser)
    assert client.post(reverse("sign_out_everywhere")).status_code == 302
    assert other.get(reverse("reviews:list")).status_code == 302
    assert not ApiToken.objects.filter(user=world.adviser).exists()


def test_the_sign_in_page_offers_a_forgotten_password(client):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()


def test_a_verification_link_cannot_be_forged(client, world):
    link = verification_link(world.adviser)
    assert client.get(link.replace(link.split("/")[-2], "forged")).status_code in (400, 404)
