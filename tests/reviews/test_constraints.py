import pytest
from django.db import IntegrityError, transaction

from consultation.models import DraftVersion
from reviews.models import Assessment

pytestmark = pytest.mark.django_db


def test_one_assessment_per_criterion_per_review(world):
    existing = world.review.assessments.first()
    with pytest.raises(IntegrityError):
        Assessment.objects.create(review=world.review, criterion=existing.criterion)


@pytest.mark.parametrize("rating", [5, 9])
def test_ratings_stay_on_the_scale(world, rating):
    assessment = world.review.assessments.first()
    with pytest.raises(IntegrityError):
        Assessment.objects.filter(pk=assessment.pk).update(rating=rating)


def test_a_criterion_not_applicable_has_no_rating(world):
    assessment = world.review.assessments.first()
    with pytest.raises(IntegrityError):
        Assessment.objects.filter(pk=assessment.pk).update(rating=2, not_applicable=True)


def test_every_rating_of_the_scale_is_accepted(world):
    assessment = world.review.assessments.first()
    for rating in range(5):
        with transaction.atomic():
            Assessment.objects.filter(pk=assessment.pk).update(rating=rating)


def test_draft_numbers_are_unique_within_a_review(world):
    DraftVersion.objects.create(
        review=world.review, number=1, snapshot={}, content_hash="a", published_by=world.adviser
    )
    with pytest.raises(IntegrityError):
        DraftVersion.objects.create(
            review=world.review, number=1, snapshot={}, content_hash="b", published_by=world.adviser
        )
