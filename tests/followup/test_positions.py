import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.models import ActionLog
from followup.models import Position
from followup.services import position_record
from frameworks.models import SupportArea
from reviews.models import ReviewCycle
from reviews.services import recommendation_create
from tests.followup.conftest import TEXTS

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def workshop_url(review, number):
    return reverse("reviews:workshop", args=[review.pk, number])


def test_the_workshop_records_a_position_per_recommendation_and_goes_to_the_next(client, world, in_validation):
    review = in_validation
    client.force_login(world.adviser)
    page = client.get(workshop_url(review, 1)).content.decode()
    assert TEXTS[0] in page and "Recommendation 1 of 3" in page

    response = client.post(workshop_url(review, 1), {"stance": "accepted", "reason": ""})
    assert response.status_code == 302 and response["Location"] == workshop_url(review, 2)
    # With htmx the next card comes in place, and the address follows.
    response = client.post(
        workshop_url(review, 2),
        {"stance": "amended", "agreed_text": "Train border and police officers.", "reason": "Police too."},
        **HTMX,
    )
    assert response.status_code == 200 and response["HX-Push-Url"] == workshop_url(review, 3)
    card = response.content.decode()
    assert TEXTS[2] in card and "2 recorded" in card and "<html" not in card
    response = client.post(workshop_url(review, 3), {"stance": "rejected", "reason": "Only one language is official."})
    assert response["Location"] == reverse("reviews:positions", args=[review.pk])

    positions = {p.original_text: p for p in Position.objects.filter(recommendation__review=review)}
    assert [positions[text].stance for text in TEXTS] == ["accepted", "amended", "rejected"]
    amended = positions[TEXTS[1]]
    assert amended.agreed_text == "Train border and police officers." and amended.text == amended.agreed_text
    assert amended.draft.number == 1 and amended.recorded_by == world.adviser
    assert ActionLog.objects.filter(action="followup.position.recorded", review_id=review.pk).count() == 3

    listing = client.get(reverse("reviews:positions", args=[review.pk])).content.decode()
    assert "Accepted with amended wording" in listing and "Train border and police officers." in listing
    assert TEXTS[1] in listing  # the draft's text beside the agreed one
    assert "Only one language is official." in listing


def test_a_position_that_cannot_be_recorded_is_refused_with_what_was_typed_kept(client, world, in_validation):
    review = in_validation
    client.force_login(world.adviser)
    response = client.post(workshop_url(review, 1), {"stance": "amended", "agreed_text": " ", "reason": "Wording"})
    assert response.status_code == 400
    assert "Write the wording the government agreed to." in response.content.decode()
    response = client.post(workshop_url(review, 1), {"stance": "accepted", "agreed_text": "A new wording"})
    assert response.status_code == 400
    assert "A new wording" in response.content.decode()  # nothing typed is lost
    assert client.post(workshop_url(review, 1), {"stance": "maybe"}).status_code == 400
    assert not Position.objects.exists()


def test_changing_a_position_keeps_one_per_recommendation_and_logs_what_changed(world, in_validation):
    review = in_validation
    first = review.recommendations.order_by("pk").first()
    position_record(review=review, recommendation_id=first.pk, by=world.adviser, stance="noted")
    position_record(review=review, recommendation_id=first.pk, by=world.manager, stance="accepted", reason="Agreed")
    position = Position.objects.get()
    assert (position.stance, position.reason, position.recorded_by) == ("accepted", "Agreed", world.manager)
    last = ActionLog.objects.filter(action="followup.position.recorded").latest("pk")
    assert last.data["changes"] == {"stance": ["noted", "accepted"], "reason": ["", "Agreed"]}


def test_positions_are_taken_on_the_draft_put_to_the_government_only(client, world, in_validation):
    elsewhere = recommendation_create(
        review=world.other_review, by=world.adviser, text="Examplia's.", support_area=an_area()
    )
    with pytest.raises(ValidationError):
        position_record(review=in_validation, recommendation_id=elsewhere.pk, by=world.adviser, stance="noted")
    client.force_login(world.adviser)
    assert client.get(workshop_url(in_validation, 4)).status_code == 404
    assert client.get(workshop_url(in_validation, 0)).status_code == 404
    assert not Position.objects.exists()


def an_area():
    return SupportArea.objects.order_by("order").first()


def test_before_validation_there_is_nothing_to_record(client, world):
    review = world.review
    client.force_login(world.adviser)
    assert client.get(workshop_url(review, 1)).status_code == 404
    page = client.get(reverse("reviews:positions", args=[review.pk])).content.decode()
    assert "once the review goes to it for validation" in page
    recommendation = recommendation_create(review=review, by=world.adviser, text="Too early.", support_area=an_area())
    with pytest.raises(ValidationError):
        position_record(review=review, recommendation_id=recommendation.pk, by=world.adviser, stance="accepted")


def test_the_database_keeps_an_agreed_wording_for_amended_positions_only(world, in_validation):
    recommendation = in_validation.recommendations.first()
    draft = in_validation.drafts.get()
    for stance, agreed in (("accepted", "New words"), ("amended", "")):
        with pytest.raises(IntegrityError), transaction.atomic():
            Position.objects.create(
                recommendation=recommendation,
                draft=draft,
                stance=stance,
                original_text="x",
                agreed_text=agreed,
                recorded_by=world.adviser,
            )


def test_the_counterpart_reads_the_positions_and_cannot_record_them(client, world, in_validation):
    review = in_validation
    client.force_login(world.counterpart)
    assert client.get(reverse("reviews:positions", args=[review.pk])).status_code == 200
    assert client.get(workshop_url(review, 1)).status_code == 404
    assert client.post(workshop_url(review, 1), {"stance": "accepted"}).status_code == 404
    assert not Position.objects.exists()
    assert review.state == ReviewCycle.State.VALIDATION
