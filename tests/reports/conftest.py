"""What the Word export's and import's tests share: a draft with findings, recommendations and a thread."""

import pytest

from consultation import services as consultation
from frameworks.models import SupportArea
from reports.models import ReportJob
from reports.services import report_render
from reviews.models import ReviewCycle
from reviews.services import assessment_update, recommendation_create, review_transition


@pytest.fixture
def drafted(world):
    review = world.review
    review_transition(review=review, to_state=ReviewCycle.State.ASSESSMENT, by=world.adviser)
    lp01 = review.assessments.get(criterion__code="LP-01")
    assessment_update(assessment=lp01, by=world.adviser, version=lp01.version, rating=2, finding="No written reasons.")
    for code, text in (("legal_policy", "Give written reasons."), ("processes", "Adopt SOPs.")):
        recommendation_create(
            review=review, by=world.adviser, text=text, support_area=SupportArea.objects.get(code=code)
        )
    restricted = recommendation_create(
        review=review,
        by=world.adviser,
        text="Deploy sensors on the eastern border.",
        is_restricted=True,
        support_area=SupportArea.objects.get(code="processes"),
    )
    draft = consultation.draft_publish(review=review, by=world.adviser)
    consultation.comment_create(
        draft=draft,
        by=world.counterpart,
        body="The 2025 decree gives reasons.",
        target_type="finding",
        target_key="LP-01",
    )
    return review, draft, restricted


def made(job) -> bytes:
    report_render(job.pk)
    job.refresh_from_db()
    assert job.state == ReportJob.State.READY and job.file.name.endswith(".docx")
    with job.file.open("rb") as handle:
        return handle.read()
