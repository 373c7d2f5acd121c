import datetime

import pytest
from django.core import mail
from django.utils import timezone

from core.models import Notification
from followup import services
from followup.notifications import progress_reminders
from followup.selectors import period_start

pytestmark = pytest.mark.django_db


def test_the_focal_point_is_reminded_of_a_missing_report_weekly_until_it_comes(world, followed, focal_point):
    action, _report = followed  # started 100 days ago: the last quarter has ended without a report
    today = timezone.localdate()
    assert progress_reminders(today) == 1
    (message,) = mail.outbox
    assert message.to == [focal_point.email] and "is missing" in message.body and action.title in message.body
    assert Notification.objects.filter(recipient=focal_point, kind="progress_due").count() == 1
    assert progress_reminders(today + datetime.timedelta(days=3)) == 0  # once a week at most
    assert progress_reminders(today + datetime.timedelta(days=7)) == 1
    last_quarter = period_start(period_start(today, "quarter") - datetime.timedelta(days=1), "quarter")
    services.progress_submit(action=action, by=focal_point, period=last_quarter, progress="Late, but here.")
    assert progress_reminders(today + datetime.timedelta(days=14)) == 0


def test_an_overdue_action_is_reminded_and_a_completed_one_is_not(world, followed, focal_point):
    action, report = followed
    services.action_update(action=action, by=world.adviser, version=action.version, due_date=action.start_date)
    today = timezone.localdate()
    last_quarter = period_start(period_start(today, "quarter") - datetime.timedelta(days=1), "quarter")
    services.progress_submit(action=action, by=focal_point, period=last_quarter, progress="Nearly there.")
    assert progress_reminders(today) == 1
    assert "not completed" in mail.outbox[0].body
    services.progress_review(report=report, by=world.adviser, accept=False, question="Done?")
    done = services.progress_submit(action=action, by=focal_point, period=today, progress="Done.", completed=True)
    services.progress_review(report=done, by=world.adviser, accept=True)
    assert progress_reminders(today + datetime.timedelta(days=8)) == 0
