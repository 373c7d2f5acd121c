import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.selectors import history_for
from tests import factories

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def save(client, review, assessment, **data):
    payload = {"version": assessment.version, "rating": "", "finding": "", "internal_note": "", **data}
    return client.post(reverse("reviews:assessment", args=[review.pk, assessment.pk]), payload, **HTMX)


def test_the_workspace_groups_the_criteria_by_support_area_in_order(client, world):
    client.force_login(world.adviser)
    page = client.get(reverse("reviews:workspace", args=[world.review.pk])).content.decode()
    positions = [page.index(f'id="area-{code}"') for code in ("strategic_documents", "legal_policy", "processes")]
    assert positions == sorted(positions)
    criterion = world.review.assessments.select_related("criterion").first().criterion
    assert criterion.guidance[:40] in page


def test_an_autosave_stores_the_rating_finding_evidence_and_note(client, world):
    client.force_login(world.adviser)
    instrument = factories.make_instrument(world.demoland)
    assessment = world.review.assessments.first()
    response = save(
        client,
        world.review,
        assessment,
        rating="2",
        finding="Partly aligned.",
        internal_note="Ask the ministry.",
        evidence=[instrument.pk],
    )
    assert response.status_code == 200
    assert "Saved at" in response.content.decode()
    assert 'value="2"' in response.content.decode()  # the new version, swapped into the form
    assessment.refresh_from_db()
    assert (assessment.rating, assessment.finding, assessment.internal_note) == (
        2,
        "Partly aligned.",
        "Ask the ministry.",
    )
    assert list(assessment.evidence.all()) == [instrument]


def test_not_applicable_is_a_choice_of_the_scale(client, world):
    client.force_login(world.adviser)
    assessment = world.review.assessments.first()
    save(client, world.review, assessment, rating="na")
    assessment.refresh_from_db()
    assert assessment.not_applicable and assessment.rating is None


def test_a_stale_save_answers_409_with_the_other_persons_text_and_changes_nothing(client, world):
    client.force_login(world.adviser)
    assessment = world.review.assessments.first()
    assert save(client, world.review, assessment, finding="The first adviser's finding").status_code == 200
    response = save(client, world.review, assessment, finding="The second adviser's finding")  # still version 1
    assert response.status_code == 409
    assert "The first adviser&#x27;s finding" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.finding == "The first adviser's finding"


def test_keeping_mine_after_a_conflict_saves_over_theirs(client, world):
    client.force_login(world.adviser)
    assessment = world.review.assessments.first()
    save(client, world.review, assessment, finding="Theirs")
    assessment.refresh_from_db()
    assert save(client, world.review, assessment, finding="Mine").status_code == 200
    assessment.refresh_from_db()
    assert assessment.finding == "Mine"


def test_a_bad_rating_answers_400_and_changes_nothing(client, world):
    client.force_login(world.adviser)
    assessment = world.review.assessments.first()
    response = save(client, world.review, assessment, rating="7", finding="Kept?")
    assert response.status_code == 400
    assessment.refresh_from_db()
    assert assessment.finding == ""


def test_without_javascript_the_save_button_saves_and_returns_to_the_criterion(client, world):
    client.force_login(world.adviser)
    assessment = world.review.assessments.first()
    response = client.post(
        reverse("reviews:assessment", args=[world.review.pk, assessment.pk]),
        {"version": 1, "rating": "3", "finding": "Saved by the button"},
    )
    assert response.status_code == 302
    assert response.url.endswith(f"#criterion-{assessment.pk}")
    assessment.refresh_from_db()
    assert assessment.finding == "Saved by the button"


def test_each_change_is_kept_in_the_history(client, world):
    client.force_login(world.adviser)
    assessment = world.review.assessments.first()
    save(client, world.review, assessment, finding="First")
    assessment.refresh_from_db()
    save(client, world.review, assessment, finding="Second", rating="1")
    entries = history_for(world.review, assessment_id=assessment.pk).order_by("pk")
    assert [(e.action, e.data["changes"], e.by) for e in entries] == [  # one entry per save, with its fields
        ("review.assessment.changed", {"finding": ["", "First"]}, world.adviser),
        ("review.assessment.changed", {"rating": ["", "1"], "finding": ["First", "Second"]}, world.adviser),
    ]
    page = client.get(reverse("reviews:history", args=[world.review.pk]) + f"?assessment={assessment.pk}")
    assert "Second" in page.content.decode()


def test_the_progress_counts_rated_and_not_applicable_criteria(client, world):
    client.force_login(world.adviser)
    first, second = world.review.assessments.all()[:2]
    save(client, world.review, first, rating="4")
    response = save(client, world.review, second, rating="na")
    total = world.review.assessments.count()
    assert f"2 of {total} assessed" in response.content.decode()


def test_a_manager_reads_the_workspace_but_cannot_save(client, world):
    client.force_login(world.manager)
    assert client.get(reverse("reviews:workspace", args=[world.review.pk])).status_code == 200
    assessment = world.review.assessments.first()
    assert save(client, world.review, assessment, finding="x").status_code == 404


def workspace_queries(client, review) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reviews:workspace", args=[review.pk])).status_code == 200
    return len(queries)


def test_the_workspace_query_count_does_not_grow_with_the_number_of_criteria(client, world, tmp_path):
    client.force_login(world.adviser)
    small = factories.make_review_on(factories.make_library(tmp_path, 50, "small"), world.adviser, world.demoland)
    large = factories.make_review_on(factories.make_library(tmp_path, 200, "large"), world.adviser, world.demoland)
    for review in (small, large):
        factories.make_instrument(world.demoland, f"Act for {review.pk}")
        assessment = review.assessments.first()
        save(client, review, assessment, rating="2", finding="x", evidence=[world.demoland.instruments.first().pk])
    assert large.assessments.count() == 200
    small_count, large_count = workspace_queries(client, small), workspace_queries(client, large)
    assert 0 < small_count == large_count
