import pytest

from consultation import services as consultation
from frameworks.models import SupportArea
from reviews.models import ReviewCycle
from reviews.services import recommendation_create, review_transition

TEXTS = (
    "Adopt standard operating procedures for secondary inspection.",
    "Train border officers in the identification of victims of trafficking.",
    "Publish the entry requirements in the three official languages.",
)


@pytest.fixture
def in_validation(world):
    """Demoland's review gone to the government for validation: draft 1, with three recommendations."""
    review = world.review
    review_transition(review=review, to_state=ReviewCycle.State.ASSESSMENT, by=world.adviser)
    area = SupportArea.objects.get(code="processes")
    for text in TEXTS:
        recommendation_create(review=review, by=world.adviser, text=text, support_area=area)
    consultation.draft_publish(review=review, by=world.adviser)
    consultation.submit_for_validation(review=review, by=world.adviser)
    review.refresh_from_db()
    return review
