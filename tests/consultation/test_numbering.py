"""One number for each recommendation everywhere (issue 12): the list, the draft, the matrix, the API and the
home page say R2 for the same recommendation."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from consultation import notifications
from consultation import services as consultation
from frameworks.models import SupportArea
from reviews.models import ReviewCycle
from reviews.services import recommendation_create, review_transition

pytestmark = pytest.mark.django_db


def test_a_recommendation_has_the_same_number_on_every_page(client, world):
    review = world.review
    review_transition(review=review, to_state=ReviewCycle.State.ASSESSMENT, by=world.adviser)
    areas = list(SupportArea.objects.order_by("order"))
    # Added out of the report's order: the later area first. The numbers follow the report, not the creation.
    later = recommendation_create(
        review=review, by=world.adviser, text="Train the border police.", support_area=areas[3]
    )
    first = recommendation_create(review=review, by=world.adviser, text="Adopt the decree.", support_area=areas[1])
    draft = consultation.draft_publish(review=review, by=world.adviser)
    thread = consultation.comment_create(
        draft=draft, by=world.counterpart, body="Which decree?", target_type="recommendation", target_key=str(later.pk)
    )

    client.force_login(world.adviser)
    listing = client.get(reverse("reviews:recommendations", args=[review.pk])).content.decode()
    assert '<span class="rec-number">R1</span> Adopt the decree.' in listing
    assert '<span class="rec-number">R2</span> Train the border police.' in listing

    page = client.get(reverse("reviews:draft", args=[review.pk, draft.number])).content.decode()
    assert f'id="recommendation-{later.pk}"' in page
    assert page[page.index(f'id="recommendation-{later.pk}"') :].split("</p>")[0].count("R2") == 1

    sheet = load_workbook(io.BytesIO(client.get(reverse("reviews:comment_matrix", args=[review.pk, 1])).content)).active
    assert next(row[1] for row in sheet.iter_rows(min_row=2, values_only=True)).startswith("R2 ")

    api = APIClient()
    api.force_authenticate(world.adviser)
    numbers = {
        r["id"]: r["number"] for r in api.get(reverse("api-recommendations", args=[review.pk])).json()["results"]
    }
    assert numbers == {first.pk: "R1", later.pk: "R2"}
    assert api.get(reverse("api-recommendation", args=[review.pk, later.pk])).json()["number"] == "R2"

    home = client.get(reverse("home")).content.decode()
    assert f"#thread-{thread.pk}" in home and "counterpart on R2, draft 1" in home

    mail.outbox.clear()
    notifications.comment_posted(thread.pk)
    assert "wrote on R2, draft 1" in mail.outbox[0].body
