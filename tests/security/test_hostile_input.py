"""Odd input gets a clear 4xx, never a 500, and loses nothing (issue 8 item 11, issue 9 defect 8).

Runs on the database of the suite (PostgreSQL in CI, which refuses NUL bytes in text)."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from guardian.shortcuts import assign_perm
from rest_framework.test import APIClient

from consultation import services as consultation
from consultation.models import Comment
from frameworks.models import SupportArea
from reviews.models import ReviewCycle
from reviews.permissions import revoke_access
from reviews.services import review_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world):
    review_transition(review=world.review, to_state=ReviewCycle.State.ASSESSMENT, by=world.adviser)
    return consultation.draft_publish(review=world.review, by=world.adviser)


@pytest.fixture
def adviser(client, world):
    client.force_login(world.adviser)
    return client


@pytest.fixture
def api(world):
    client = APIClient()
    client.force_authenticate(world.adviser)
    return client


def test_a_history_filter_that_is_not_a_number_answers_400(adviser, world):
    response = adviser.get(reverse("reviews:history", args=[world.review.pk]), {"assessment": "abc"})
    assert response.status_code == 400
    assert response.get("Content-Type").startswith("text/html")


def test_a_report_of_a_draft_that_is_not_a_number_answers_400(adviser, world, draft):
    url = reverse("reviews:reports", args=[world.review.pk])
    assert adviser.post(url, {"draft": "abc", "edition": "full"}, HTTP_HX_REQUEST="true").status_code == 400
    assert adviser.post(url, {"draft": "99", "edition": "full"}, HTTP_HX_REQUEST="true").status_code == 404


def test_a_reply_to_a_parent_that_is_not_a_number_keeps_the_text(adviser, world, draft):
    url = reverse("reviews:comment_create", args=[world.review.pk, draft.number])
    response = adviser.post(url, {"body": "My reply, kept.", "parent": "abc"}, follow=True)
    assert response.status_code == 200
    assert "My reply, kept." in response.content.decode()
    assert not Comment.objects.exists()


def test_an_answer_with_a_draft_that_is_not_a_number_is_saved_and_answers_a_redirect(adviser, world, draft):
    thread = consultation.comment_create(draft=draft, by=world.counterpart, body="Please clarify.")
    url = reverse("reviews:thread_answer", args=[world.review.pk, thread.pk])
    response = adviser.post(url, {"status": "addressed", "answer": "Clarified.", "draft": "abc"})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.answer == "Clarified."


def test_comments_filtered_by_an_odd_draft_number_answer_400(api, world, draft):
    response = api.get(reverse("api-comments", args=[world.review.pk]), {"draft": "²"})
    assert response.status_code == 400


@pytest.mark.parametrize("field", ["body"])
def test_nul_bytes_in_a_comment_are_refused_with_a_message(adviser, api, world, draft, field):
    url = reverse("reviews:comment_create", args=[world.review.pk, draft.number])
    response = adviser.post(url, {"body": "Nul\x00byte"}, follow=True)
    assert response.status_code == 200
    assert not Comment.objects.exists()
    response = api.post(reverse("api-comments", args=[world.review.pk]), {"draft": 1, "body": "x\x00y"}, format="json")
    assert response.status_code == 400


def test_nul_bytes_in_an_answer_are_refused(adviser, world, draft):
    thread = consultation.comment_create(draft=draft, by=world.counterpart, body="Please clarify.")
    url = reverse("reviews:thread_answer", args=[world.review.pk, thread.pk])
    assert adviser.post(url, {"status": "addressed", "answer": "A\x00B"}).status_code == 302
    thread.refresh_from_db()
    assert thread.answer == "" and thread.status == "open"


def test_a_nul_byte_in_a_state_code_answers_404(adviser, api):
    assert adviser.get("/states/XD%00/instruments/").status_code == 404
    assert api.get("/api/v1/states/XD%00/instruments/").status_code == 404


def test_deeply_nested_json_answers_400(api, world):
    deep = "[" * 100_000 + "]" * 100_000
    for url in (reverse("api-token"), reverse("api-reviews")):
        response = api.generic("POST", url, deep, content_type="application/json")
        assert response.status_code == 400, url


def test_a_criterion_is_found_by_code_when_two_library_versions_are_loaded(api, world, tmp_path):
    import yaml

    from frameworks.services import library_load
    from tests.factories import framework

    v1 = framework()
    data = {
        "library": {"code": v1.code, "version": 2, "name": {"en": "v2", "fr": "v2", "es": "v2"}},
        "criteria": [
            {
                "code": c.code,
                "support_area": c.support_area.code,
                "thematic_area": c.thematic_area.code,
                "title": {"en": c.title_en, "fr": c.title_fr, "es": c.title_es},
                "guidance": {"en": "g", "fr": "g", "es": "g"},
            }
            for c in v1.criteria.select_related("support_area", "thematic_area")
        ],
    }
    path = tmp_path / "v2.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    library_load(paths=[path])
    code = world.review.assessments.first().criterion.code
    response = api.post(
        reverse("api-recommendations", args=[world.review.pk]),
        {"text": "Linked.", "support_area": "processes", "criteria": [code]},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["criteria"] == [code]


def test_access_is_withdrawn_from_someone_holding_a_permission_outside_the_project_list(world):
    assign_perm("reviews.delete_reviewcycle", world.counterpart, world.review)
    revoke_access(review=world.review, user=world.counterpart)
    assert not world.counterpart.has_perm("reviews.delete_reviewcycle", world.review)
    assert not world.counterpart.has_perm("reviews.view_drafts_reviewcycle", world.review)
    assert Permission.objects.filter(codename="delete_reviewcycle").exists()


def test_a_recommendation_with_a_nul_byte_through_the_page_is_refused(adviser, world):
    url = reverse("reviews:recommendation_create", args=[world.review.pk])
    area = SupportArea.objects.get(code="processes")
    response = adviser.post(
        url, {"text": "Bad\x00text", "support_area": area.pk, "priority": "high", "time_frame": "short"}
    )
    assert response.status_code == 200  # the form again, with the error and the text
    assert not world.review.recommendations.exists()


def test_json_bodies_that_are_not_objects_answer_400(api, world):
    response = api.generic("POST", reverse("api-reviews"), json.dumps([1, 2]), content_type="application/json")
    assert response.status_code == 400
