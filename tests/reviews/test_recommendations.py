import pytest
from django.urls import reverse

from frameworks.models import InternationalReference, SupportArea
from reviews.models import Recommendation
from reviews.selectors import history_for
from reviews.services import recommendation_create

pytestmark = pytest.mark.django_db


def add(world, text, area="legal_policy"):
    return recommendation_create(
        review=world.review, by=world.adviser, text=text, support_area=SupportArea.objects.get(code=area)
    )


def form_data(**overrides):
    return {
        "text": "Amend the Border Management Act to give written reasons for refusals of entry.",
        "rationale": "Article 13 of the Act is silent.",
        "support_area": SupportArea.objects.get(code="legal_policy").pk,
        "thematic_area": "",
        "priority": "high",
        "time_frame": "short",
        "responsible_institution": "Ministry of the Interior",
        **overrides,
    }


def test_an_adviser_writes_a_recommendation_with_its_links(client, world):
    client.force_login(world.adviser)
    criterion = world.review.assessments.select_related("criterion").first().criterion
    reference = InternationalReference.objects.get(code="gcm-11")
    response = client.post(
        reverse("reviews:recommendation_create", args=[world.review.pk]),
        form_data(criteria=[criterion.pk], references=[reference.pk]),
    )
    assert response.status_code == 302
    recommendation = world.review.recommendations.get()
    assert (recommendation.priority, recommendation.time_frame) == ("high", "short")
    assert list(recommendation.criteria.all()) == [criterion]
    assert list(recommendation.references.all()) == [reference]
    page = client.get(reverse("reviews:recommendations", args=[world.review.pk])).content.decode()
    assert "Amend the Border Management Act" in page


def test_a_missing_text_is_refused_with_the_form_kept(client, world):
    client.force_login(world.adviser)
    response = client.post(reverse("reviews:recommendation_create", args=[world.review.pk]), form_data(text=""))
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert "Article 13 of the Act is silent." in response.content.decode()
    assert not world.review.recommendations.exists()


def test_recommendations_are_reordered_within_their_area(client, world):
    first, _second, third = add(world, "First"), add(world, "Second"), add(world, "Third")
    client.force_login(world.adviser)
    client.post(reverse("reviews:recommendation_move", args=[world.review.pk, third.pk]), {"direction": "up"})
    order = list(
        world.review.recommendations.filter(support_area__code="legal_policy")
        .order_by("order")
        .values_list("text", flat=True)
    )
    assert order == ["First", "Third", "Second"]
    client.post(reverse("reviews:recommendation_move", args=[world.review.pk, first.pk]), {"direction": "up"})
    assert world.review.recommendations.order_by("order").first().text == "First"


def test_a_stale_edit_shows_the_other_text_and_keeps_mine(client, world):
    recommendation = add(world, "Original")
    client.force_login(world.adviser)
    url = reverse("reviews:recommendation_edit", args=[world.review.pk, recommendation.pk])
    assert client.post(url, form_data(text="Their change", version=1)).status_code == 302
    response = client.post(url, form_data(text="My change", version=1))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Their change" in page and "My change" in page
    assert Recommendation.objects.get(pk=recommendation.pk).text == "Their change"
    assert client.post(url, form_data(text="My change", version=2)).status_code == 302
    assert Recommendation.objects.get(pk=recommendation.pk).text == "My change"


def test_changes_deletion_and_restoring_are_kept_in_the_history(client, world):
    recommendation = add(world, "Original")
    client.force_login(world.adviser)
    client.post(
        reverse("reviews:recommendation_edit", args=[world.review.pk, recommendation.pk]),
        form_data(text="Changed", version=1),
    )
    delete_url = reverse("reviews:recommendation_delete", args=[world.review.pk, recommendation.pk])
    asked = client.post(delete_url)
    assert asked.status_code == 200 and "Delete this recommendation?" in asked.content.decode()
    assert world.review.recommendations.filter(pk=recommendation.pk).exists()  # nothing happens before the answer
    client.post(delete_url, {"confirmed": "1"})
    assert not world.review.recommendations.exists()
    bin_page = client.get(reverse("reviews:recommendation_bin", args=[world.review.pk])).content.decode()
    assert "Changed" in bin_page and "deleted by adviser" in bin_page
    client.post(reverse("reviews:recommendation_restore", args=[world.review.pk, recommendation.pk]))
    assert world.review.recommendations.get().text == "Changed"
    entries = history_for(world.review, recommendation_id=recommendation.pk).order_by("pk")
    assert [(e.action, e.data.get("changes", {}).get("text")) for e in entries] == [
        ("review.recommendation.created", ["", "Original"]),
        ("review.recommendation.changed", ["Original", "Changed"]),
        ("review.recommendation.deleted", None),
        ("review.recommendation.restored", None),
    ]
    page = client.get(reverse("reviews:history", args=[world.review.pk])).content.decode()
    assert "Recommendation moved to the bin" in page and "Recommendation restored from the bin" in page


def test_only_criteria_in_scope_can_be_linked(world):
    from django.core.exceptions import ValidationError

    outside = world.review.framework.criteria.exclude(pk__in=world.review.assessments.values("criterion")).first()
    with pytest.raises(ValidationError, match=outside.code):
        recommendation_create(
            review=world.review,
            by=world.adviser,
            text="x",
            support_area=SupportArea.objects.first(),
            criteria=[outside],
        )


def test_the_history_speaks_in_words_and_filters_by_person_and_day(client, world):
    import datetime

    from django.utils import timezone

    from core.models import ActionLog
    from reviews.services import assessment_update, recommendation_update
    from tests import factories

    colleague = factories.adviser("colleague", first_name="Colette", last_name="Lègue")
    factories.grant_role(review=world.review, user=colleague, role=factories.Role.ADVISER)
    recommendation = recommendation_create(
        review=world.review, by=world.adviser, text="Adopt the decree.", support_area=SupportArea.objects.first()
    )
    recommendation_update(recommendation=recommendation, by=colleague, version=1, priority="high")
    assessment = world.review.assessments.first()
    assessment_update(assessment=assessment, by=colleague, version=1, rating=2, is_restricted=True)
    ActionLog.objects.filter(action="review.recommendation.created").update(
        at=timezone.now() - datetime.timedelta(days=3)
    )

    client.force_login(world.adviser)
    url = reverse("reviews:history", args=[world.review.pk])
    page = client.get(url).content.decode()
    assert "Priority" in page and "High" in page and ">high<" not in page
    assert "2 – Partially aligned" in page
    assert '<span class="before">No</span> → <span class="after">Yes</span>' in page

    mine = client.get(url, {"by": colleague.pk}).content.decode()
    created = '<span class="after">Adopt the decree.</span>'  # the creation's entry, by the adviser
    assert created in page and created not in mine and "High" in mine
    today = timezone.localdate().isoformat()
    recent = client.get(url, {"since": today}).content.decode()
    assert "High" in recent and created not in recent  # created three days ago
    assert client.get(url, {"since": today, "until": "2000-01-01"}).status_code == 400
    assert client.get(url, {"by": world.counterpart_other_state.pk}).status_code == 400  # nobody from outside
