"""The approved text is the text: approval freezes it, the final report is made from it, and a report is
exactly the content that was asked for (issue 8, items 1 and 5; issue 9, defect 2)."""

import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from consultation import services as consultation
from frameworks.models import SupportArea
from reports.models import ReportJob
from reports.services import report_render, report_request
from reviews.models import ReviewCycle
from reviews.services import (
    ReviewFrozen,
    assessment_update,
    recommendation_create,
    recommendation_delete,
    recommendation_move,
    recommendation_update,
    review_set_members,
    review_set_scope,
    review_transition,
    review_update,
)

pytestmark = pytest.mark.django_db
State = ReviewCycle.State


def _finding(review, code, text, **fields):
    assessment = review.assessments.get(criterion__code=code)
    return assessment_update(
        assessment=assessment, by=review.created_by, version=assessment.version, finding=text, **fields
    )


@pytest.fixture
def consulted(world):
    """Demoland's review in consultation: draft 1 published, then the working text edited."""
    review = world.review
    review_transition(review=review, to_state=State.ASSESSMENT, by=world.adviser)
    _finding(review, "LP-01", "Published finding on the Border Act.", rating=2)
    recommendation_create(
        review=review,
        by=world.adviser,
        text="Adopt SOPs for secondary inspection.",
        support_area=SupportArea.objects.get(code="processes"),
    )
    consultation.draft_publish(review=review, by=world.adviser)
    _finding(review, "LP-01", "Edited after draft 1 and never published.", rating=3)
    return review


@pytest.fixture
def approved(world, consulted):
    consultation.submit_for_validation(review=consulted, by=world.adviser)
    consultation.draft_approve(review=consulted, by=world.manager)
    consulted.refresh_from_db()
    return consulted


def pdf_text(job) -> str:
    report_render(job.pk)
    job.refresh_from_db()
    assert job.state == ReportJob.State.READY
    with job.file.open("rb") as fh:
        return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(fh.read())).pages))


def test_it_refuses_every_edit_of_an_approved_review(world, approved):
    review, adviser = approved, world.adviser
    assessment = review.assessments.get(criterion__code="LP-01")
    recommendation = review.recommendations.get()
    edits = [
        lambda: assessment_update(assessment=assessment, by=adviser, version=assessment.version, finding="Changed"),
        lambda: recommendation_create(
            review=review, by=adviser, text="New", support_area=SupportArea.objects.get(code="processes")
        ),
        lambda: recommendation_update(
            recommendation=recommendation, by=adviser, version=recommendation.version, text="Changed"
        ),
        lambda: recommendation_delete(recommendation=recommendation, by=adviser),
        lambda: recommendation_move(recommendation=recommendation, by=adviser, step=1),
        lambda: review_set_scope(review=review, criteria=[], by=adviser),
        lambda: review_update(review=review, by=adviser, title="Renamed"),
        lambda: review_set_members(review=review, by=adviser, advisers=[adviser], counterparts=[]),
    ]
    for edit in edits:
        with pytest.raises(ReviewFrozen) as refused:
            edit()
        assert "approved for release by manager" in refused.value.messages[0]
    assessment.refresh_from_db()
    assert assessment.finding == "Edited after draft 1 and never published."
    assert review.recommendations.get().text == "Adopt SOPs for secondary inspection."
    assert review.assessments.count() > 0


def test_the_api_answers_409_with_the_reason(world, approved):
    client = APIClient()
    client.force_authenticate(world.adviser)
    assessment = approved.assessments.get(criterion__code="LP-01")
    response = client.patch(
        reverse("api-assessment", args=[approved.pk, assessment.pk]),
        {"finding": "Changed", "version": assessment.version},
        format="json",
    )
    assert response.status_code == 409
    assert "can no longer change" in response.json()["detail"]


def test_the_autosave_is_refused_with_the_reason_and_the_workspace_is_read_only(client, world, approved):
    client.force_login(world.adviser)
    assessment = approved.assessments.get(criterion__code="LP-01")
    response = client.post(
        reverse("reviews:assessment", args=[approved.pk, assessment.pk]),
        {"version": assessment.version, "finding": "Changed", "rating": "3"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "can no longer change" in response.content.decode()
    page = client.get(reverse("reviews:workspace", args=[approved.pk])).content.decode()
    assert "A manager can reopen it" in page
    assert f'id="finding-{assessment.pk}" rows="4" readonly' in page


def test_the_final_report_is_the_approved_draft_with_who_approved_it_on_the_cover(world, approved):
    consultation.state_validation_record(
        review=approved,
        by=world.manager,
        draft=approved.drafts.get(number=1),
        validated_by_name="Ana Ministra",
        validated_by_title="Minister of the Interior",
        validated_on=datetime.date(2026, 11, 20),
    )
    text = pdf_text(report_request(review=approved, by=world.manager))
    assert "Published finding on the Border Act." in text
    assert "Edited after draft 1" not in text
    assert "Final report" in text and "DRAFT" not in text
    assert "Draft 1 approved for release by manager (IOM)" in text
    assert "Validated for the Government by Ana Ministra, Minister of the Interior on Nov. 20, 2026" in text


def test_a_manager_reopens_with_a_reason_for_a_new_draft_round(world, approved):
    with pytest.raises(PermissionDenied):
        consultation.review_reopen(review=approved, by=world.adviser, reason="Typo")
    with pytest.raises(ValidationError):
        consultation.review_reopen(review=approved, by=world.manager, reason="  ")
    record = consultation.review_reopen(review=approved, by=world.manager, reason="The Act was amended.")
    assert (record.from_state, record.to_state) == (State.FINAL, State.CONSULTATION)
    assert record.note == "The Act was amended."
    _finding(approved, "LP-01", "Updated for the amended Act.")
    assert consultation.draft_publish(review=approved, by=world.adviser).number == 2
    assert approved.drafts.get(number=1).approved_by == world.manager  # the approval stays on record


def test_reopening_is_a_page_action_for_managers(client, world, approved):
    client.force_login(world.manager)
    assert "Reopen for a new draft round" in client.get(reverse("reviews:detail", args=[approved.pk])).content.decode()
    client.post(reverse("reviews:validation_step", args=[approved.pk, "reopen"]), {"note": "Amended Act."})
    approved.refresh_from_db()
    assert approved.state == State.CONSULTATION


def test_a_report_is_the_text_asked_for_even_if_it_is_edited_before_rendering(world, consulted):
    job = report_request(review=consulted, by=world.adviser)
    _finding(consulted, "LP-01", "A later edit, made while the report waited in the queue.")
    text = pdf_text(job)
    assert "Edited after draft 1 and never published." in text
    assert "A later edit" not in text
    later = report_request(review=consulted, by=world.adviser)
    assert later.content_hash != job.content_hash
    assert "A later edit" in pdf_text(later)


def test_a_public_edition_leaves_out_the_threads_on_restricted_items(world, consulted):
    _finding(consulted, "LP-02", "Patrol rota of the northern crossing at 06:00.", is_restricted=True)
    draft = consultation.draft_publish(review=consulted, by=world.adviser)
    consultation.comment_create(
        draft=draft,
        by=world.counterpart,
        body="Please remove the rota.",
        target_type="finding",
        target_key="LP-02",
        quote="northern crossing",
    )
    area = "legal_policy"
    consultation.comment_create(
        draft=draft, by=world.counterpart, body="Section note.", target_type="section", target_key=area, quote="06:00"
    )
    consultation.comment_create(draft=draft, by=world.counterpart, body="A general remark on the draft.")
    public = pdf_text(report_request(review=consulted, by=world.adviser, draft=draft, edition="public"))
    assert "northern crossing" not in public and "06:00" not in public
    assert "Please remove the rota" not in public and "Section note" not in public
    assert "A general remark on the draft." in public
    full = pdf_text(report_request(review=consulted, by=world.adviser, draft=draft, edition="full"))
    assert "Please remove the rota" in full and "northern crossing" in full


def test_identical_requests_share_one_rendering(world, consulted):
    first = report_request(review=consulted, by=world.adviser)
    second = report_request(review=consulted, by=world.manager)
    assert second.pk == first.pk
    assert ReportJob.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportJob.objects.create(
            review=consulted, language="en", requested_by=world.adviser, content_hash=first.content_hash
        )


def test_publishing_submitting_and_approving_ask_first_with_what_is_incomplete(client, world, consulted):
    client.force_login(world.adviser)
    asked = client.post(reverse("reviews:draft_publish", args=[consulted.pk])).content.decode()
    assert "Publish draft 2 for consultation?" in asked
    assert "criteria are not assessed" in asked and "1 recommendation has no responsible institution." in asked
    assert consulted.drafts.count() == 1
    client.post(reverse("reviews:validation_step", args=[consulted.pk, "submit"]))
    consulted.refresh_from_db()
    assert consulted.state == State.CONSULTATION
    client.post(reverse("reviews:validation_step", args=[consulted.pk, "submit"]), {"confirmed": "1"})
    consulted.refresh_from_db()
    assert consulted.state == State.VALIDATION
    client.force_login(world.manager)
    asked = client.post(reverse("reviews:validation_step", args=[consulted.pk, "approve"])).content.decode()
    assert "Approve the latest draft for release?" in asked
    consulted.refresh_from_db()
    assert consulted.state == State.VALIDATION
