"""Sessions (issue 16, items 3 to 5): every sign-in, failed or not, in the action log with its method; each
person lists their sessions and ends any; a counterpart's ends with the browser; deactivating a person or taking
them out of a group ends every session and API token of theirs at once."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import ActionLog
from iomborder.models import SignedInSession
from iomborder.tokens import token_create
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()


def signed_in(username, agent="Mozilla/5.0 (Windows NT 10.0) Firefox/140.0"):
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR="192.0.2.7")
    answer = client.post(reverse("login"), {"username": username, "password": factories.PASSWORD})
    assert answer.status_code == 302, answer.content
    return client


def test_sign_ins_and_failures_are_logged_with_their_method(world):
    signed_in("adviser")
    Client().post(reverse("login"), {"username": "adviser", "password": "wrong-guess"})
    APIClient().post(reverse("api-token"), {"username": "adviser", "password": factories.PASSWORD})
    entries = ActionLog.objects.filter(action__startswith="accounts.sign").order_by("pk")
    assert [(e.action, e.data.get("method"), e.data.get("channel")) for e in entries] == [
        ("accounts.signed_in", "password", None),
        ("accounts.sign_in_failed", "password", None),
        ("accounts.signed_in", "password", "api"),
    ]
    assert entries[0].by == world.adviser and entries[0].data["address"] == "192.0.2.7"
    assert entries[1].by is None and entries[1].data["username"] == "adviser"


def test_a_person_sees_their_sessions_and_ends_another_one(world):
    laptop, phone = signed_in("adviser"), signed_in("adviser", agent="Mozilla/5.0 (Linux; Android 14) Chrome/140")
    page = laptop.get(reverse("preferences")).content.decode()
    assert "Firefox on Windows" in page and "Chrome on Android" in page and "192.0.2.7" in page
    other = SignedInSession.objects.get(user_agent__contains="Android")
    assert laptop.post(reverse("session_end", args=[other.pk])).status_code == 302
    assert phone.get(reverse("home")).status_code == 302  # signed out: sent to sign in
    assert laptop.get(reverse("home")).status_code == 200
    mine = SignedInSession.objects.get()
    intruder = signed_in("manager")
    assert intruder.post(reverse("session_end", args=[mine.pk])).status_code == 404  # not theirs
    assert laptop.get(reverse("home")).status_code == 200


def test_a_counterparts_session_ends_with_the_browser(world):
    counterpart = signed_in("counterpart")
    assert counterpart.session.get_expire_at_browser_close()
    assert not signed_in("adviser").session.get_expire_at_browser_close()


def test_a_deactivated_person_is_signed_out_everywhere_and_their_tokens_stop(world):
    browser = signed_in("adviser")
    _token, key = token_create(user=world.adviser, name="script")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api-reviews")).status_code == 200
    world.adviser.is_active = False
    world.adviser.save()
    assert browser.get(reverse("home")).status_code == 302
    assert api.get(reverse("api-reviews")).status_code in (401, 403)
    assert not SignedInSession.objects.filter(user=world.adviser).exists()
    assert ActionLog.objects.filter(action="accounts.sessions.ended", data__reason="deactivated").exists()
    world.adviser.is_active = True
    world.adviser.save()
    assert browser.get(reverse("home")).status_code == 302  # reactivated: signs in again


def test_losing_a_group_ends_the_persons_sessions(world):
    manager = signed_in("manager")
    assert manager.get(reverse("reviews:portfolio")).status_code == 200
    world.manager.groups.remove(Group.objects.get(name="Managers"))
    assert manager.get(reverse("home")).status_code == 302


def test_a_group_emptied_from_its_own_side_ends_its_former_members_sessions(world):
    manager, adviser = signed_in("manager"), signed_in("adviser")
    Group.objects.get(name="Managers").user_set.clear()
    assert manager.get(reverse("home")).status_code == 302
    assert adviser.get(reverse("home")).status_code == 200  # not a member: still signed in


def test_last_seen_is_kept_and_a_session_of_before_is_recorded(world, settings):
    settings.SESSION_SEEN_SECONDS = 0
    laptop = signed_in("adviser")
    first = SignedInSession.objects.get().last_seen
    laptop.get(reverse("home"))
    assert SignedInSession.objects.get().last_seen > first
    SignedInSession.objects.all().delete()  # as if signed in before sessions were recorded
    laptop.get(reverse("home"))
    assert SignedInSession.objects.get().user == world.adviser


def test_an_autosave_after_the_session_ended_is_told_so_and_keeps_nothing_it_did_not_save(world):
    """htmx followed the redirect to the sign-in page and put that page in the criterion's status, with the
    typing counted as saved: now a line in the page's banner says what happened and links to signing in again."""
    adviser = signed_in("adviser")
    assessment = world.review.assessments.first()
    save = reverse("reviews:assessment", args=[world.review.pk, assessment.pk])
    workspace = reverse("reviews:workspace", args=[world.review.pk])
    adviser.logout()  # the session ends (idle, or signed out elsewhere)
    here = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": f"http://testserver{workspace}?area=all"}
    for response in (
        adviser.post(save, {"version": assessment.version, "finding": "Typed after the end."}, **here),
        adviser.get(reverse("reviews:workspace_criteria", args=[world.review.pk]), {"area": "legal_policy"}, **here),
    ):
        assert response.status_code == 401
        assert (response["HX-Retarget"], response["HX-Reswap"]) == ("#not-done", "innerHTML")
        text = response.content.decode()
        assert "Your session has ended: nothing is saved or shown until you sign in again." in text
        assert "<html" not in text
        assert f'href="{reverse("login")}?next={workspace.replace("/", "%2F")}%3Farea%3Dall"' in text
    assert world.review.assessments.get(pk=assessment.pk).finding == ""
    foreign = {**here, "HTTP_HX_CURRENT_URL": "https://elsewhere.example/"}  # no way back to another site
    assert "next=" not in adviser.post(save, {}, **foreign).content.decode()
    assert adviser.post(save, {}).status_code == 302  # without htmx: the sign-in page, as before


def test_an_autosave_refused_by_the_csrf_check_gets_a_line_not_a_page(world):
    adviser = Client(enforce_csrf_checks=True)
    adviser.force_login(world.adviser)
    assessment = world.review.assessments.first()
    save = reverse("reviews:assessment", args=[world.review.pk, assessment.pk])
    response = adviser.post(save, {"version": assessment.version, "finding": "x"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403 and response["HX-Retarget"] == "#not-done"
    assert "Not saved: this page no longer matches your sign-in." in response.content.decode()
    assert "<html" not in response.content.decode()
