import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from followup.models import Action, ProgressReport

pytestmark = pytest.mark.django_db


def days(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def test_the_team_adds_an_action_and_bad_input_keeps_what_was_typed(client, world, with_positions, focal_point):
    client.force_login(world.adviser)
    url = reverse("reviews:action_create", args=[with_positions.pk])
    form = client.get(url).content.decode()
    first, _second, rejected = with_positions.recommendations.order_by("pk")
    assert f'value="{first.pk}"' in form and f'value="{rejected.pk}"' not in form  # accepted ones only
    data = {
        "title": "Adopt the SOPs",
        "recommendations": [first.pk],
        "responsible_institution": "Border Police",
        "focal_point": focal_point.pk,
        "start_date": days(10),
        "due_date": days(5),
        "indicator": "SOPs adopted",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400 and not Action.objects.exists()
    assert "Adopt the SOPs" in refused.content.decode() and "Border Police" in refused.content.decode()
    assert client.post(url, {**data, "due_date": days(90)}).status_code == 302
    dashboard = client.get(reverse("reviews:followup", args=[with_positions.pk])).content.decode()
    row = dashboard[dashboard.index('<tr id="action-') :].split("</tr>")[0]
    assert "Adopt the SOPs" in row and "Not started</span>" in row and "R1" in row


def test_the_focal_point_reports_and_the_adviser_accepts_and_the_rate_follows(client, world, followed, focal_point):
    action, first_report = followed
    review = action.review
    page_url = reverse("reviews:action_progress", args=[review.pk, action.pk])
    client.force_login(world.adviser)
    client.post(reverse("reviews:progress_review", args=[review.pk, first_report.pk]), {"decision": "accept"})
    client.force_login(focal_point)
    page = client.get(page_url).content.decode()
    assert "Report the progress" in page and "The draft SOPs went to the minister." in page
    report = client.post(
        page_url,
        {
            "period": _period_choices(page)[1],  # the action began about three months ago: the period before
            "progress": "The SOPs are adopted and applied.",
            "indicator_value": "adopted",
            "completed": "on",
            "evidence_file": SimpleUploadedFile("decree.pdf", b"%PDF-1.4 decree"),
        },
    )
    assert report.status_code == 302
    latest = ProgressReport.objects.exclude(pk=first_report.pk).get()
    assert latest.state == "submitted" and latest.completed

    client.force_login(world.adviser)
    refused = client.post(reverse("reviews:progress_review", args=[review.pk, latest.pk]), {"decision": "return"})
    assert refused.status_code == 302
    latest.refresh_from_db()
    assert latest.state == "submitted"  # a question is needed to send it back
    client.post(reverse("reviews:progress_review", args=[review.pk, latest.pk]), {"decision": "accept"})
    dashboard = client.get(reverse("reviews:followup", args=[review.pk])).content.decode()
    assert "100 % of the actions completed (1 of 1" in dashboard
    assert "<svg" in dashboard and "timeline-chart" in dashboard


def _period_choices(page: str) -> list[str]:
    import re

    return re.findall(r'<option value="(\d{4}-\d{2}-\d{2})"', page)


def test_a_counterpart_who_is_not_a_focal_point_reads_but_does_not_report(client, world, followed):
    action, _report = followed
    client.force_login(world.counterpart)
    url = reverse("reviews:action_progress", args=[action.review.pk, action.pk])
    page = client.get(url).content.decode()
    assert "Report the progress" not in page and "The draft SOPs went to the minister." in page
    assert client.post(url, {"progress": "Not mine to say."}).status_code == 404
    assert ProgressReport.objects.count() == 1


def test_a_bad_evidence_file_is_refused_with_the_text_kept(client, world, followed, focal_point):
    action, _report = followed
    client.force_login(focal_point)
    url = reverse("reviews:action_progress", args=[action.review.pk, action.pk])
    answer = client.post(
        url,
        {
            "period": _period_choices(client.get(url).content.decode())[-1],
            "progress": "Kept text.",
            "evidence_file": SimpleUploadedFile("tool.exe", b"MZ nothing good"),
        },
    )
    assert answer.status_code == 400 and "Kept text." in answer.content.decode()
    assert ProgressReport.objects.count() == 1


def test_the_evidence_is_served_to_the_reviews_readers_only(client, world, followed):
    action, report = followed
    url = reverse("reviews:progress_evidence", args=[action.review.pk, report.pk])
    client.force_login(world.counterpart)
    answer = client.get(url)
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == b"%PDF-1.4 the SOPs"
    client.force_login(world.counterpart_other_state)
    assert client.get(url).status_code == 404


def test_a_focal_point_is_invited_as_one_and_may_then_report(
    client, world, with_positions, monkeypatch, django_capture_on_commit_callbacks
):
    import re

    from django.core import mail

    from iomborder.celery import app
    from reviews.permissions import Perm, has_perm

    client.force_login(world.adviser)
    monkeypatch.setitem(app.conf, "task_always_eager", True)  # the e-mail is sent in this process
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reviews:invite", args=[with_positions.pk]),
            {"email": "focal@interior.example", "focal_point": "on"},
        )
    link = re.search(r"https?://\S+(/invitations/\S+/)", mail.outbox[-1].body).group(1)
    client.logout()
    password = "a-long-pass-phrase-2026"
    client.post(link, {"first_name": "Fo", "last_name": "Cal", "password": password, "password_again": password})
    user = type(world.adviser).objects.get(email="focal@interior.example")
    assert has_perm(user, with_positions, Perm.REPORT_PROGRESS) and has_perm(user, with_positions, Perm.COMMENT)
