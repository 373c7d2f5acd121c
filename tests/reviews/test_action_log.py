"""One action log for every write: who, when, which object, what action, and what changed (issue 10)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from consultation import services as consultation
from core.models import ActionLog
from frameworks.models import SupportArea
from iomborder.tokens import token_create
from reports.services import report_render, report_request
from reviews.models import ReviewCycle
from reviews.services import assessment_update, recommendation_create, review_transition
from tests import factories

pytestmark = pytest.mark.django_db


def actions(review) -> list[str]:
    return list(ActionLog.objects.filter(review_id=review.pk).order_by("pk").values_list("action", flat=True))


def test_each_write_leaves_one_entry_with_its_action_and_author(client, world):
    review = world.review
    assert actions(review) == ["review.created"]
    review_transition(review=review, to_state=ReviewCycle.State.ASSESSMENT, by=world.adviser)
    assessment = review.assessments.first()
    assessment_update(assessment=assessment, by=world.adviser, version=1, rating=2, finding="A finding.")
    recommendation_create(
        review=review, by=world.adviser, text="Adopt SOPs.", support_area=SupportArea.objects.get(code="processes")
    )
    draft = consultation.draft_publish(review=review, by=world.adviser)
    thread = consultation.comment_create(draft=draft, by=world.counterpart, body="A comment.")
    consultation.thread_answer(thread=thread, by=world.adviser, status="addressed", answer="Done.")
    job = report_request(review=review, by=world.adviser, draft=draft)
    report_render(job.pk)
    client.force_login(world.adviser)
    client.get(reverse("reviews:report_download", args=[job.pk]))
    assert actions(review) == [
        "review.created",
        "review.moved",
        "review.assessment.changed",
        "review.recommendation.created",
        "review.moved",  # into consultation, with the publication of draft 1
        "consultation.draft.published",
        "consultation.comment.created",
        "consultation.comment.answered",
        "reports.report.requested",
        "reports.report.downloaded",
    ]
    answered = ActionLog.objects.get(action="consultation.comment.answered")
    assert answered.by == world.adviser and answered.data["status"] == "addressed"
    changed = ActionLog.objects.get(action="review.assessment.changed")
    assert changed.data["changes"]["rating"] == ["", "2"] and changed.object_repr.endswith(assessment.criterion.code)


def test_accounts_and_tokens_are_in_the_log_too(world):
    token, _key = token_create(user=world.adviser)
    entry = ActionLog.objects.get(action="accounts.token.created")
    assert (entry.by, entry.object_id) == (world.adviser, str(token.pk))


def test_the_history_page_and_the_api_read_the_log_and_hide_it_from_counterparts(client, world):
    assessment_update(assessment=world.review.assessments.first(), by=world.adviser, version=1, finding="Visible")
    client.force_login(world.adviser)
    page = client.get(reverse("reviews:history", args=[world.review.pk])).content.decode()
    assert "Assessment changed" in page and "Visible" in page
    api = APIClient()
    api.force_authenticate(world.adviser)
    listed = api.get(reverse("api-history", args=[world.review.pk])).json()["results"]
    assert listed[0]["action"] == "review.assessment.changed" and listed[0]["label"] == "Assessment changed"
    api.force_authenticate(world.counterpart)
    assert api.get(reverse("api-history", args=[world.review.pk])).status_code == 404


def test_nobody_changes_or_deletes_the_log_in_the_admin(client, world):
    root = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    entry = ActionLog.objects.first()
    assert client.get(reverse("admin:core_actionlog_changelist")).status_code == 200
    assert client.post(reverse("admin:core_actionlog_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert 'name="_save"' not in client.get(reverse("admin:core_actionlog_change", args=[entry.pk])).content.decode()
