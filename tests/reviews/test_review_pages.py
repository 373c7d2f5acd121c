import pytest
from django.urls import reverse

from frameworks.models import ThematicArea
from reviews.models import ReviewCycle
from reviews.permissions import Perm, has_perm
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_adviser_opens_a_review_and_its_criteria_are_proposed(client, world):
    client.force_login(world.adviser)
    areas = ThematicArea.objects.filter(code__in=["regularization", "migrant_smuggling"])
    response = client.post(
        reverse("reviews:create"),
        {
            "member_state": world.demoland.pk,
            "title": "Second review of Demoland",
            "framework": factories.framework().pk,
            "report_language": "fr",
            "start_date": "2027-01-10",
            "due_date": "2027-06-30",
            "thematic_areas": [a.pk for a in areas],
        },
    )
    review = ReviewCycle.objects.get(title="Second review of Demoland")
    assert response.url == reverse("reviews:scope", args=[review.pk])
    assert set(review.assessments.values_list("criterion__thematic_area__code", flat=True)) == {
        "regularization",
        "migrant_smuggling",
    }
    assert review.report_language == "fr"
    assert has_perm(world.adviser, review, Perm.CHANGE)


def test_a_due_date_before_the_start_is_refused_and_nothing_is_lost(client, world):
    client.force_login(world.adviser)
    response = client.post(
        reverse("reviews:create"),
        {
            "member_state": world.demoland.pk,
            "title": "Backwards review",
            "framework": factories.framework().pk,
            "report_language": "en",
            "start_date": "2027-06-30",
            "due_date": "2027-01-10",
            "thematic_areas": [ThematicArea.objects.first().pk],
        },
    )
    assert response.status_code == 200
    assert "Backwards review" in response.content.decode()
    assert not ReviewCycle.objects.filter(title="Backwards review").exists()


def test_counterparts_cannot_open_reviews(client, world):
    client.force_login(world.counterpart)
    assert client.get(reverse("reviews:create")).status_code == 404


def test_criteria_are_added_to_and_removed_from_the_scope(client, world):
    client.force_login(world.adviser)
    kept = list(world.review.assessments.values_list("criterion", flat=True)[:2])
    extra = world.review.framework.criteria.get(code="AP-04")
    client.post(reverse("reviews:scope", args=[world.review.pk]), {"criteria": [*kept, extra.pk]})
    assert set(world.review.assessments.values_list("criterion", flat=True)) == {*kept, extra.pk}


def test_the_team_and_counterparts_are_named(client, world):
    client.force_login(world.adviser)
    colleague = factories.adviser("colleague")
    response = client.post(
        reverse("reviews:team", args=[world.review.pk]),
        {"advisers": [world.adviser.pk, colleague.pk], "counterparts": [world.counterpart_not_invited.pk]},
    )
    assert response.status_code == 302
    assert has_perm(colleague, world.review, Perm.CHANGE)
    assert has_perm(world.counterpart_not_invited, world.review, Perm.VIEW_DRAFTS)
    assert not has_perm(world.counterpart, world.review, Perm.VIEW_DRAFTS)


def test_another_states_counterpart_is_not_offered(client, world):
    client.force_login(world.adviser)
    response = client.post(
        reverse("reviews:team", args=[world.review.pk]),
        {"advisers": [world.adviser.pk], "counterparts": [world.counterpart_other_state.pk]},
    )
    assert response.status_code == 200
    assert not has_perm(world.counterpart_other_state, world.review, Perm.VIEW_DRAFTS)


def test_the_review_moves_from_scoping_to_assessment(client, world):
    client.force_login(world.adviser)
    client.post(reverse("reviews:transition", args=[world.review.pk]), {"to_state": "assessment"})
    world.review.refresh_from_db()
    assert world.review.state == "assessment"
    page = client.get(reverse("reviews:detail", args=[world.review.pk])).content.decode()
    assert "moved the review from Scoping to Assessment" in page


def test_the_list_is_filtered_and_paginated(client, world):
    client.force_login(world.adviser)
    for n in range(25):
        factories.make_review(world.adviser, world.examplia, f"Examplia follow-up {n:02d}")
    page = client.get(reverse("reviews:list"), {"member_state": world.examplia.pk}).content.decode()
    assert "Page 1 of 2" in page and "Demoland review" not in page
    assert "Demoland review" in client.get(reverse("reviews:list"), {"q": "demoland"}).content.decode()
    assert (
        "No review matches these filters." in client.get(reverse("reviews:list"), {"state": "final"}).content.decode()
    )


def test_the_review_page_checks_permissions_once_per_request(client, world, django_assert_max_num_queries):
    """The user's permissions on the review are read once and kept for the request (it took 41 queries for
    an adviser when every check asked the database again)."""
    from reviews.services import review_transition

    review_transition(review=world.review, to_state="assessment", by=world.adviser)
    client.force_login(world.adviser)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("reviews:detail", args=[world.review.pk])).status_code == 200
    client.force_login(world.counterpart)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("reviews:detail", args=[world.review.pk])).status_code == 200


def test_the_review_list_counts_progress_for_its_page_only(client, world):
    """Progress is counted for the page's reviews in one grouped query: the list costs the same with 2 or 7
    reviews, no query of the list joins the assessments, and the counts are right."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reviews.services import assessment_update

    assessment = world.review.assessments.first()
    assessment_update(assessment=assessment, by=world.adviser, version=1, rating=3)
    client.force_login(world.adviser)
    counts = []
    for extra in (0, 5):
        for n in range(extra):
            factories.make_review(world.adviser, world.demoland, f"Extra {n}")
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("reviews:list")).content.decode()
        counts.append(len(captured.captured_queries))
        listing = [q["sql"] for q in captured.captured_queries if 'FROM "reviews_reviewcycle"' in q["sql"]]
        assert listing and not any('JOIN "reviews_assessment"' in sql for sql in listing)
    assert counts[0] == counts[1], counts
    assert f"1 of {world.review.assessments.count()} criteria" in page
