"""Every page and endpoint of the adviser's work answers 404 to a counterpart or an adviser off the team."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

OUTSIDERS = ["counterpart", "counterpart_other_state", "adviser_off_team"]


@pytest.fixture
def items(world):
    assessment = world.review.assessments.first()
    recommendation = factories_recommendation(world)
    instrument = factories.make_instrument(
        world.demoland, file=SimpleUploadedFile("act.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    )
    return world, assessment, recommendation, instrument


def factories_recommendation(world):
    from frameworks.models import SupportArea
    from reviews.services import recommendation_create

    return recommendation_create(
        review=world.review, by=world.adviser, text="Adopt a law", support_area=SupportArea.objects.first()
    )


def endpoints(world, assessment, recommendation, instrument):
    r, a, rec, code, i = world.review.pk, assessment.pk, recommendation.pk, world.demoland.code, instrument.pk
    return [
        ("get", reverse("reviews:edit", args=[r])),
        ("post", reverse("reviews:edit", args=[r])),
        ("get", reverse("reviews:scope", args=[r])),
        ("post", reverse("reviews:scope", args=[r])),
        ("get", reverse("reviews:team", args=[r])),
        ("post", reverse("reviews:team", args=[r])),
        ("post", reverse("reviews:transition", args=[r])),
        ("get", reverse("reviews:workspace", args=[r])),
        ("get", reverse("reviews:assessment", args=[r, a])),
        ("post", reverse("reviews:assessment", args=[r, a])),
        ("get", reverse("reviews:recommendations", args=[r])),
        ("get", reverse("reviews:recommendation_create", args=[r])),
        ("post", reverse("reviews:recommendation_create", args=[r])),
        ("get", reverse("reviews:recommendation_edit", args=[r, rec])),
        ("post", reverse("reviews:recommendation_edit", args=[r, rec])),
        ("post", reverse("reviews:recommendation_move", args=[r, rec])),
        ("post", reverse("reviews:recommendation_delete", args=[r, rec])),
        ("get", reverse("reviews:history", args=[r])),
        ("get", reverse("instruments:instruments", args=[code])),
        ("get", reverse("instruments:instrument_create", args=[code])),
        ("post", reverse("instruments:instrument_create", args=[code])),
        ("get", reverse("instruments:instrument_edit", args=[code, i])),
        ("post", reverse("instruments:instrument_edit", args=[code, i])),
        ("get", reverse("instruments:instrument_file", args=[code, i])),
        ("get", reverse("api-review", args=[r])),
        ("patch", reverse("api-review", args=[r])),
        ("get", reverse("api-assessments", args=[r])),
        ("get", reverse("api-assessment", args=[r, a])),
        ("patch", reverse("api-assessment", args=[r, a])),
        ("get", reverse("api-recommendations", args=[r])),
        ("post", reverse("api-recommendations", args=[r])),
        ("get", reverse("api-recommendation", args=[r, rec])),
        ("patch", reverse("api-recommendation", args=[r, rec])),
        ("delete", reverse("api-recommendation", args=[r, rec])),
        ("get", reverse("api-instruments", args=[code])),
        ("post", reverse("api-instruments", args=[code])),
        ("get", reverse("api-instrument", args=[code, i])),
        ("patch", reverse("api-instrument", args=[code, i])),
    ]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_every_page_and_endpoint_answers_404_to_outsiders(client, items, who):
    world, *objects = items
    client.force_login(getattr(world, who))
    answers = {
        (method, url): getattr(client, method)(
            url, content_type="application/json" if method == "patch" else None
        ).status_code
        if method == "patch"
        else getattr(client, method)(url).status_code
        for method, url in endpoints(world, *objects)
    }
    assert {key: code for key, code in answers.items() if code != 404} == {}
    # Nothing was changed on the way.
    assert world.review.recommendations.count() == 1


def test_the_team_reaches_every_page_and_endpoint(client, items):
    world, *objects = items
    client.force_login(world.adviser)
    for method, url in endpoints(world, *objects):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_anonymous_visitors_are_sent_to_sign_in_or_refused(client, items):
    world, *objects = items
    for method, url in endpoints(world, *objects):
        code = getattr(client, method)(url).status_code
        assert code in (302, 401, 403), (method, url, code)


def test_the_api_lists_only_the_users_reviews(client, world):
    client.force_login(world.counterpart)
    assert client.get(reverse("api-reviews")).json()["count"] == 0
    client.force_login(world.adviser_off_team)
    assert client.get(reverse("api-reviews")).json()["count"] == 0


@pytest.mark.parametrize("who", ["counterpart_other_state", "adviser_off_team", "counterpart_not_invited"])
def test_report_pages_and_endpoints_answer_404_to_outsiders(client, world, who):
    client.force_login(getattr(world, who))
    r = world.review.pk
    for method, url in [
        ("get", reverse("reviews:reports", args=[r])),
        ("post", reverse("reviews:reports", args=[r])),
        ("get", reverse("reviews:recommendations_export", args=[r, "xlsx"])),
        ("get", reverse("reviews:recommendations_export", args=[r, "csv"])),
        ("post", reverse("api-report-request", args=[r])),
    ]:
        assert getattr(client, method)(url).status_code == 404, (method, url)
    assert not world.review.report_jobs.exists()


def test_an_invited_counterpart_cannot_ask_for_the_working_text(client, world):
    client.force_login(world.counterpart)
    client.post(reverse("reviews:reports", args=[world.review.pk]), {"draft": "", "edition": "full"})
    assert not world.review.report_jobs.exists()
    assert client.get(reverse("reviews:recommendations_export", args=[world.review.pk, "csv"])).status_code == 404
