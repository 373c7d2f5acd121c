"""Length limits on every free-text field: model, form, serializer and database alike (issue 8, item 10)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from frameworks.models import SupportArea
from reviews.models import MAX_FINDING, MAX_RECOMMENDATION, Assessment
from reviews.services import assessment_update, recommendation_create

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * (MAX_FINDING + 1)


def test_a_finding_too_long_is_refused_by_the_service_the_autosave_and_the_api(client, world):
    assessment = world.review.assessments.first()
    with pytest.raises(ValidationError, match="at most 20000 characters"):
        assessment_update(assessment=assessment, by=world.adviser, version=1, finding=TOO_LONG)
    client.force_login(world.adviser)
    response = client.post(
        reverse("reviews:assessment", args=[world.review.pk, assessment.pk]),
        {"version": 1, "finding": TOO_LONG, "rating": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400 and "at most 20000 characters" in response.content.decode()
    api = APIClient()
    api.force_authenticate(world.adviser)
    response = api.patch(
        reverse("api-assessment", args=[world.review.pk, assessment.pk]),
        {"finding": TOO_LONG, "version": 1},
        format="json",
    )
    assert response.status_code == 400 and "finding" in response.json()
    assessment.refresh_from_db()
    assert assessment.finding == "" and assessment.version == 1


def test_the_database_refuses_a_finding_too_long_written_around_the_service(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.filter(review=world.review).update(finding=TOO_LONG)


def test_a_recommendation_too_long_keeps_its_text_in_the_form_with_the_error(client, world):
    client.force_login(world.adviser)
    text = "y" * (MAX_RECOMMENDATION + 1)
    area = SupportArea.objects.get(code="processes")
    response = client.post(
        reverse("reviews:recommendation_create", args=[world.review.pk]),
        {"text": text, "support_area": area.pk, "priority": "high", "time_frame": "short"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and text in page and "at most 5000 characters" in page
    assert 'maxlength="5000"' not in page  # a browser would cut a paste short without a word
    with pytest.raises(ValidationError):
        recommendation_create(review=world.review, by=world.adviser, text=text, support_area=area)
