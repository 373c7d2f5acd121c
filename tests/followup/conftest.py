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
    from reviews.services import assessment_update

    review = world.review
    review_transition(review=review, to_state=ReviewCycle.State.ASSESSMENT, by=world.adviser)
    lp01 = review.assessments.get(criterion__code="LP-01")
    assessment_update(
        assessment=lp01, by=world.adviser, version=lp01.version, rating=2, finding="The Aliens Act lacks a decree."
    )
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


@pytest.fixture
def approved(world, followed, focal_point):
    """The review approved for release: R1 implemented (its one action completed), R2 accepted with amended
    wording and without action, R3 rejected; LP-01 was rated 2 with a finding before the draft."""
    from consultation import services as consultation
    from followup.services import progress_review, progress_submit

    action, report = followed
    review = action.review
    progress_review(report=report, by=world.adviser, accept=False, question="Adopted?")
    done = progress_submit(
        action=action, by=focal_point, period=report.period_start, progress="Adopted.", completed=True
    )
    progress_review(report=done, by=world.adviser, accept=True)
    consultation.draft_approve(review=review, by=world.manager)
    review.refresh_from_db()
    return review
