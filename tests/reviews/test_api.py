import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from frameworks.models import ThematicArea
from iomborder.tokens import token_create
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=world.adviser)[1]}")
    return client


def test_a_token_is_obtained_with_a_password(world):
    response = APIClient().post(reverse("api-token"), {"username": "adviser", "password": factories.PASSWORD})
    assert response.status_code == 200 and response.json()["token"]


def test_reviews_are_listed_and_opened(api, world):
    listed = api.get(reverse("api-reviews")).json()
    assert {r["title"] for r in listed["results"]} == {"Demoland review", "Examplia review"}
    response = api.post(
        reverse("api-reviews"),
        {"member_state": "XD", "title": "API review", "thematic_areas": ["regularization"], "report_language": "es"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "scoping" and body["progress"]["total"] > 0


def test_bad_input_answers_400_with_the_field_errors(api, world):
    response = api.post(
        reverse("api-reviews"),
        {"member_state": "ZZ", "title": "", "thematic_areas": ["nowhere"], "due_date": "soon"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"member_state", "title", "thematic_areas", "due_date"}


def test_an_assessment_is_changed_with_its_version_and_a_stale_one_answers_409(api, world):
    assessment = world.review.assessments.first()
    url = reverse("api-assessment", args=[world.review.pk, assessment.pk])
    first = api.patch(url, {"rating": 3, "finding": "Largely aligned.", "version": 1}, format="json")
    assert first.status_code == 200
    assert (first.json()["rating"], first.json()["version"]) == (3, 2)
    stale = api.patch(url, {"finding": "Overwrite?", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["finding"] == "Largely aligned."
    assert api.patch(url, {"rating": "na", "version": 2}, format="json").json()["rating"] == "na"
    assert api.patch(url, {"finding": "No version"}, format="json").status_code == 400


def test_a_foreign_instrument_cannot_be_cited(api, world):
    assessment = world.review.assessments.first()
    foreign = factories.make_instrument(world.examplia, "Examplia Act")
    response = api.patch(
        reverse("api-assessment", args=[world.review.pk, assessment.pk]),
        {"evidence": [foreign.pk], "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert "evidence" in response.json()


def test_recommendations_are_created_changed_and_deleted(api, world):
    url = reverse("api-recommendations", args=[world.review.pk])
    code = world.review.assessments.select_related("criterion").first().criterion.code
    created = api.post(
        url,
        {
            "text": "Adopt SOPs for second-line checks.",
            "support_area": "processes",
            "thematic_area": "border_management",
            "priority": "high",
            "time_frame": "short",
            "criteria": [code],
            "references": ["gcm-11"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    rec = created.json()
    assert (rec["order"], rec["criteria"], rec["references"]) == (1, [code], ["gcm-11"])
    detail = reverse("api-recommendation", args=[world.review.pk, rec["id"]])
    changed = api.patch(detail, {"priority": "low", "version": rec["version"]}, format="json")
    assert changed.status_code == 200 and changed.json()["priority"] == "low"
    assert api.patch(detail, {"priority": "high", "version": rec["version"]}, format="json").status_code == 409
    assert api.delete(detail).status_code == 204
    assert not world.review.recommendations.exists()


def test_instruments_of_a_state_are_listed_and_added(api, world):
    url = reverse("api-instruments", args=["XD"])
    response = api.post(
        url,
        {"title": "Decree 5", "instrument_type": "regulation", "support_area": "legal_policy", "status": "draft"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert [i["title"] for i in api.get(url).json()["results"]] == ["Decree 5"]


def test_a_manager_reads_but_cannot_change(world):
    client = APIClient()
    client.force_authenticate(world.manager)
    assessment = world.review.assessments.first()
    url = reverse("api-assessment", args=[world.review.pk, assessment.pk])
    assert client.get(url).status_code == 200
    assert client.patch(url, {"finding": "x", "version": 1}, format="json").status_code == 403


def test_the_schema_and_its_documentation_are_served(client, world):
    client.force_login(world.adviser)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/reviews/{review_pk}/assessments/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()


def test_the_review_can_be_changed(api, world):
    response = api.patch(
        reverse("api-review", args=[world.review.pk]),
        {"title": "Renamed", "thematic_areas": ["border_management", "regularization"]},
        format="json",
    )
    assert response.status_code == 200
    world.review.refresh_from_db()
    assert world.review.title == "Renamed"
    assert set(world.review.thematic_areas.values_list("code", flat=True)) == set(
        ThematicArea.objects.filter(code__in=["border_management", "regularization"]).values_list("code", flat=True)
    )
