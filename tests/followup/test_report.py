"""The follow-up report: made by the reports pipeline from the content fixed when it was asked for, in the
language asked, for the team and for the state's counterparts."""

import datetime

import pytest
from django.urls import reverse

from followup import services
from reports.models import ReportJob
from reports.services import can_download, report_request
from tests.consultation.test_integrity import pdf_text

pytestmark = pytest.mark.django_db


def test_the_follow_up_report_shows_positions_plan_progress_and_what_is_overdue(world, followed, focal_point):
    action, report = followed
    review = action.review
    services.progress_review(report=report, by=world.adviser, accept=True)
    services.action_update(action=action, by=world.adviser, version=action.version, due_date=action.start_date)
    job = report_request(review=review, by=focal_point, kind="followup", language="fr")
    services.progress_submit(
        action=action,
        by=focal_point,
        period=report.period_start - datetime.timedelta(days=1),
        progress="Written after the report was asked for.",
    )
    text = pdf_text(job)
    assert "Rapport de suivi" in text and "Positions du gouvernement" in text
    assert "Acceptée avec une formulation modifiée" in text and "Train." in text  # R2's agreed wording
    assert "Adopt the SOPs for secondary inspection" in text and "En retard" in text
    assert "The draft SOPs went to the minister." in text
    assert "Written after the report was asked for." not in text  # the content was fixed when asked
    later = report_request(review=review, by=world.adviser, kind="followup", language="fr")
    assert later.pk != job.pk and "Written after the report was asked for." in pdf_text(later)
    again = report_request(review=review, by=world.counterpart, kind="followup", language="fr")
    assert again.state == ReportJob.State.READY and again.file.name == later.file.name  # identical: the same file
    assert can_download(world.counterpart, job) and not can_download(world.counterpart_other_state, job)


def test_the_page_asks_for_it_and_the_review_page_follows_the_job(client, world, followed):
    review = followed[0].review
    client.force_login(world.counterpart)
    response = client.post(reverse("reviews:followup_report", args=[review.pk]), {"language": "es"})
    assert response["Location"].endswith("#reports")
    job = ReportJob.objects.get(kind="followup")
    assert job.language == "es" and job.requested_by == world.counterpart
    panel = client.get(reverse("reviews:reports", args=[review.pk])).content.decode()
    assert "Follow-up report" in panel
    client.force_login(world.counterpart_other_state)
    assert client.post(reverse("reviews:followup_report", args=[review.pk])).status_code == 404
