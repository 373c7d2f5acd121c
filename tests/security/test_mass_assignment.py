"""A review's member state and criteria library are fixed when it is opened (security review, defect 1)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from frameworks.models import AssessmentFramework
from reviews.services import review_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world):
    client = APIClient()
    client.force_authenticate(world.adviser)
    return client


def test_it_refuses_to_move_a_review_to_another_state_through_the_api(api, world):
    response = api.patch(reverse("api-review", args=[world.review.pk]), {"member_state": "XE"}, format="json")
    assert response.status_code == 400
    assert "member_state" in response.json()
    world.review.refresh_from_db()
    assert world.review.member_state == world.demoland


def test_it_refuses_to_change_the_library_through_the_api(api, world):
    other = AssessmentFramework.objects.create(code="other", version=1, name_en="Other")
    response = api.patch(reverse("api-review", args=[world.review.pk]), {"framework": other.pk}, format="json")
    assert response.status_code == 400
    world.review.refresh_from_db()
    assert world.review.framework.code == "iom-ibm-policy-review"


def test_it_accepts_the_same_state_and_the_changeable_fields(api, world):
    response = api.patch(
        reverse("api-review", args=[world.review.pk]), {"member_state": "XD", "title": "Renamed"}, format="json"
    )
    assert response.status_code == 200, response.json()
    world.review.refresh_from_db()
    assert world.review.title == "Renamed"


def test_the_service_accepts_only_the_changeable_fields(world):
    with pytest.raises(TypeError):
        review_update(review=world.review, by=world.adviser, member_state=world.examplia)
    world.review.refresh_from_db()
    assert world.review.member_state == world.demoland


@pytest.mark.parametrize(
    ("method", "name", "body"),
    [
        ("patch", "api-review", {"title": ""}),
        ("patch", "api-assessment", {"finding": "x" * 30_000}),
        ("post", "api-recommendations", {"support_area": "nowhere"}),
        ("post", "api-drafts", {}),
        ("post", "api-instruments", {"title": ""}),
    ],
)
def test_permission_is_checked_before_the_body_is_validated(world, method, name, body):
    """A manager sees the review but may not change it: 403 whatever the body, never its validation errors."""
    client = APIClient()
    client.force_authenticate(world.manager)
    args = {
        "api-review": [world.review.pk],
        "api-assessment": [world.review.pk, world.review.assessments.first().pk],
        "api-recommendations": [world.review.pk],
        "api-drafts": [world.review.pk],
        "api-instruments": ["XD"],
    }[name]
    response = getattr(client, method)(reverse(name, args=args), body, format="json")
    assert response.status_code == 403, response.content
