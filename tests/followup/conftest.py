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


@pytest.fixture
def focal_point(world, in_validation):
    """A counterpart of Demoland invited to the review as its focal point (world.counterpart is a plain one)."""
    from reviews.permissions import Role, grant_role
    from tests import factories

    user = factories.counterpart("focal", world.demoland)
    grant_role(review=in_validation, user=user, role=Role.FOCAL_POINT)
    return user


@pytest.fixture
def with_positions(world, in_validation, focal_point):
    """The government accepted R1, accepted R2 with amended wording, rejected R3."""
    from followup.services import position_record

    first, second, third = in_validation.recommendations.order_by("pk")
    position_record(review=in_validation, recommendation_id=first.pk, by=world.adviser, stance="accepted")
    position_record(
        review=in_validation, recommendation_id=second.pk, by=world.adviser, stance="amended", agreed_text="Train."
    )
    position_record(review=in_validation, recommendation_id=third.pk, by=world.adviser, stance="rejected")
    return in_validation


@pytest.fixture
def followed(world, with_positions, focal_point):
    """One action implementing R1, with the focal point's report for this period, evidence attached."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from followup.services import action_create, progress_submit

    today = timezone.localdate()
    action = action_create(
        review=with_positions,
        by=world.adviser,
        recommendations=[with_positions.recommendations.order_by("pk").first()],
        title="Adopt the SOPs for secondary inspection",
        responsible_institution="Border Police",
        focal_point=focal_point,
        start_date=today - datetime.timedelta(days=100),
        due_date=today + datetime.timedelta(days=60),
        indicator="SOPs adopted",
        baseline="none",
        target="adopted",
    )
    report = progress_submit(
        action=action,
        by=focal_point,
        period=today,
        progress="The draft SOPs went to the minister.",
        evidence_file=SimpleUploadedFile("sops.pdf", b"%PDF-1.4 the SOPs"),
    )
    return action, report
