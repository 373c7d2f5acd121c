"""The follow-up's URLs and endpoints x every role (as tests/reviews/test_permission_matrix.py does for the
rest, on a review gone to the government for validation). Another state's counterpart gets 404 on every one."""

import pytest
from django.urls import reverse

from followup.models import Position
from tests.reviews.test_permission_matrix import ROLES, unexpected_answers

pytestmark = pytest.mark.django_db

READERS = {"adviser", "manager", "counterpart"}
RECORDERS = {"adviser", "manager"}


def urls(review):
    return [
        ("get", reverse("reviews:positions", args=[review.pk]), READERS),
        ("get", reverse("reviews:workshop", args=[review.pk, 1]), RECORDERS),
        ("get", reverse("api-positions", args=[review.pk]), READERS),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_follow_up_url_answers_each_role_as_expected(client, world, in_validation, role):
    assert unexpected_answers(client, world, role, urls(in_validation)) == {}


@pytest.mark.parametrize("role", ROLES)
def test_recording_a_position_answers_each_role_as_expected(client, world, in_validation, role):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    recommendation = in_validation.recommendations.order_by("pk").first()
    data = {"recommendation": recommendation.pk, "stance": "accepted"}
    page = client.post(reverse("reviews:workshop", args=[in_validation.pk, 1]), {"stance": "accepted"})
    api = client.post(reverse("api-positions", args=[in_validation.pk]), data, content_type="application/json")
    if role in RECORDERS:
        assert (page.status_code, api.status_code) == (302, 201)
        assert Position.objects.get().stance == "accepted"
        return
    if role == "anonymous":
        assert (page.status_code, api.status_code) in ((302, 401), (302, 403))
    elif role == "counterpart":  # reads the positions, does not record them
        assert (page.status_code, api.status_code) == (404, 403)
    else:
        assert (page.status_code, api.status_code) == (404, 404)
    assert not Position.objects.exists()


def test_the_api_lists_the_positions_and_refuses_what_it_cannot_apply(client, world, in_validation):
    client.force_login(world.adviser)
    url = reverse("api-positions", args=[in_validation.pk])
    first, second, _third = in_validation.recommendations.order_by("pk")
    answer = client.post(
        url,
        {"recommendation": second.pk, "stance": "amended", "agreed_text": "Train police too."},
        content_type="application/json",
    )
    assert answer.status_code == 201
    assert answer.json()["number"] == "R2" and answer.json()["agreed_text"] == "Train police too."
    refused = client.post(url, {"recommendation": first.pk, "stance": "amended"}, content_type="application/json")
    assert refused.status_code == 400 and "agreed_text" in refused.json()
    rows = client.get(url).json()
    assert [(row["number"], row["stance"]) for row in rows] == [("R1", None), ("R2", "amended"), ("R3", None)]
