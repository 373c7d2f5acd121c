"""The follow-up's URLs and endpoints x every role (as tests/reviews/test_permission_matrix.py does for the
rest, on a review gone to the government for validation). Another state's counterpart gets 404 on every one."""

import pytest
from django.urls import reverse

from followup.models import Position
from tests.reviews.test_permission_matrix import EVERYONE_SIGNED_IN, ROLES, unexpected_answers

pytestmark = pytest.mark.django_db

READERS = {"adviser", "manager", "counterpart"}
RECORDERS = {"adviser", "manager"}


READERS_AND_FOCAL_POINT = READERS | {"focal_point"}
TEAM = {"adviser"}


def urls(review, action, report):
    r = review.pk
    return [
        ("get", reverse("reviews:positions", args=[r]), READERS_AND_FOCAL_POINT),
        ("get", reverse("reviews:workshop", args=[r, 1]), RECORDERS),
        ("get", reverse("reviews:followup", args=[r]), READERS_AND_FOCAL_POINT),
        ("get", reverse("reviews:action_create", args=[r]), TEAM),
        ("get", reverse("reviews:action_edit", args=[r, action.pk]), TEAM),
        ("get", reverse("reviews:action_progress", args=[r, action.pk]), READERS_AND_FOCAL_POINT),
        ("get", reverse("reviews:progress_evidence", args=[r, report.pk]), READERS_AND_FOCAL_POINT),
        ("get", reverse("reviews:followup_portfolio"), EVERYONE_SIGNED_IN | {"focal_point"}),
        ("get", reverse("reviews:plan_download", args=[r]), READERS_AND_FOCAL_POINT),
        ("get", reverse("reviews:plan_upload", args=[r]), {"focal_point"}),
        ("get", reverse("api-positions", args=[r]), READERS_AND_FOCAL_POINT),
        ("get", reverse("api-actions", args=[r]), READERS_AND_FOCAL_POINT),
        ("get", reverse("api-action", args=[r, action.pk]), READERS_AND_FOCAL_POINT),
        ("get", reverse("api-action-progress", args=[action.pk]), READERS_AND_FOCAL_POINT),
    ]


@pytest.mark.parametrize("role", [*ROLES, "focal_point"])
def test_every_follow_up_url_answers_each_role_as_expected(client, world, followed, focal_point, role):
    world.focal_point = focal_point
    assert unexpected_answers(client, world, role, urls(followed[0].review, *followed)) == {}


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


@pytest.mark.parametrize("role", [*ROLES, "focal_point"])
def test_writes_to_the_plan_answer_each_role_as_expected(client, world, followed, focal_point, role):
    """Only the team changes the plan and reviews reports, only a focal point reports; readers get 403, others 404."""
    action, report = followed
    world.focal_point = focal_point
    if role != "anonymous":
        client.force_login(getattr(world, role))
    json = {"content_type": "application/json"}
    answers = {
        "change": client.patch(
            reverse("api-action", args=[action.review_id, action.pk]), {"version": 1, "target": "x"}, **json
        ).status_code,
        "report": client.post(
            reverse("api-action-progress", args=[action.pk]),
            {"period": report.period_start.isoformat(), "progress": "Again"},
            **json,
        ).status_code,
        "accept": client.patch(
            reverse("api-action-progress", args=[action.pk]), {"report": report.pk, "decision": "accept"}, **json
        ).status_code,
    }
    expected = {
        "anonymous": {"change": 403, "report": 403, "accept": 403},
        "adviser": {"change": 200, "report": 403, "accept": 200},
        "manager": {"change": 403, "report": 403, "accept": 403},
        "counterpart": {"change": 403, "report": 403, "accept": 403},
        "focal_point": {"change": 403, "report": 201, "accept": 403},
    }.get(role, {"change": 404, "report": 404, "accept": 404})
    if role == "anonymous":
        assert all(status in (401, 403) for status in answers.values())
    else:
        assert answers == expected


@pytest.mark.parametrize("role", [*ROLES, "focal_point"])
def test_the_comparison_of_cycles_answers_each_role_as_expected(client, world, approved, focal_point, role):
    from followup.services import next_cycle_open

    following = next_cycle_open(review=approved, by=world.adviser)
    world.focal_point = focal_point
    entries = [
        ("get", reverse("reviews:cycle_comparison", args=[following.pk]), RECORDERS),
        ("get", reverse("api-comparison", args=[following.pk]), RECORDERS),
    ]
    assert unexpected_answers(client, world, role, entries) == {}


@pytest.mark.parametrize("role", [*ROLES, "focal_point"])
def test_opening_the_next_cycle_and_asking_for_the_follow_up_report_answer_each_role(
    client, world, approved, focal_point, role
):
    from reports.models import ReportJob
    from reviews.models import ReviewCycle

    world.focal_point = focal_point
    if role != "anonymous":
        client.force_login(getattr(world, role))
    report = client.post(reverse("reviews:followup_report", args=[approved.pk]), {"language": "en"})
    opened = client.post(reverse("reviews:next_cycle", args=[approved.pk]), {"confirmed": "1"})
    made = ReportJob.objects.filter(kind="followup").exists()
    followed_up = ReviewCycle.objects.filter(carried_over_from=approved).exists()
    if role == "anonymous":
        assert (report.status_code, opened.status_code, made, followed_up) == (302, 302, False, False)
    elif role == "adviser":
        assert (made, followed_up) == (True, True)
    elif role in READERS_AND_FOCAL_POINT:  # the report, yes; a new cycle is the team's to open
        assert (report.status_code, opened.status_code, made, followed_up) == (302, 404, True, False)
    else:
        assert (report.status_code, opened.status_code, made, followed_up) == (404, 404, False, False)
