"""A draft's deadline for comments: chosen when publishing, shown to the counterparts, movable by the team, and
reminded by e-mail and in the inbox three days before it, once."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consultation import notifications
from consultation import services as consultation
from consultation.models import DraftVersion
from core.models import ActionLog, Notification
from reviews.models import ReviewCycle
from reviews.services import review_transition

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def assessing(world):
    review_transition(review=world.review, to_state=ReviewCycle.State.ASSESSMENT, by=world.adviser)
    return world.review


def test_publishing_asks_for_the_deadline_fourteen_days_ahead_and_keeps_the_one_chosen(client, world, assessing):
    client.force_login(world.adviser)
    url = reverse("reviews:draft_publish", args=[assessing.pk])
    asked = client.post(url).content.decode()
    assert f'value="{days(14).isoformat()}"' in asked and "Comments due by" in asked
    refused = client.post(url, {"confirmed": "1", "comments_due": days(-1).isoformat()})
    assert refused.status_code == 400 and not DraftVersion.objects.exists()
    assert "cannot be in the past" in refused.content.decode()
    assert days(-1).isoformat() in refused.content.decode()  # what was typed is shown again
    client.post(url, {"confirmed": "1", "comments_due": days(21).isoformat()})
    assert DraftVersion.objects.get().comments_due == days(21)


def test_the_counterparts_see_the_deadline_and_whether_it_has_passed(client, world, assessing):
    draft = consultation.draft_publish(review=assessing, by=world.adviser)
    assert draft.comments_due == days(consultation.COMMENT_DAYS)
    client.force_login(world.counterpart)
    page = client.get(reverse("reviews:draft", args=[assessing.pk, 1])).content.decode()
    assert "Comments are due by" in page and "Move the deadline" not in page
    assert "comments due by" in client.get(reverse("home")).content.decode()
    DraftVersion.objects.filter(pk=draft.pk).update(comments_due=days(-2))
    page = client.get(reverse("reviews:draft", args=[assessing.pk, 1])).content.decode()
    assert "Comments were due on" in page


def test_the_team_moves_the_deadline_of_the_open_draft_only(client, world, assessing):
    first = consultation.draft_publish(review=assessing, by=world.adviser)
    url = reverse("reviews:comments_due", args=[assessing.pk, 1])
    client.force_login(world.counterpart)
    assert client.post(url, {"comments_due": days(30).isoformat()}).status_code == 404
    client.force_login(world.adviser)
    client.post(url, {"comments_due": days(30).isoformat()})
    first.refresh_from_db()
    assert first.comments_due == days(30)
    entry = ActionLog.objects.get(action="consultation.deadline.changed")
    assert entry.data["changes"]["comments_due"] == [days(14).isoformat(), days(30).isoformat()]
    consultation.draft_publish(review=assessing, by=world.adviser)
    client.post(url, {"comments_due": days(40).isoformat()})  # draft 1 is superseded
    first.refresh_from_db()
    assert first.comments_due == days(30)


def test_the_counterparts_are_reminded_three_days_before_once_and_again_if_it_moves(world, assessing):
    world.counterpart.daily_digest = True  # a deadline does not wait for the digest
    world.counterpart.save(update_fields=["daily_digest"])
    draft = consultation.draft_publish(review=assessing, by=world.adviser, comments_due=days(5))
    assert notifications.comment_deadlines() == 0  # five days ahead: not yet
    assert notifications.comment_deadlines(today=days(2)) == 1
    (message,) = mail.outbox
    assert message.to == [world.counterpart.email] and "are due on" in message.subject
    assert Notification.objects.filter(recipient=world.counterpart, kind="comments_due").count() == 1
    assert notifications.comment_deadlines(today=days(2)) == 0  # once
    consultation.comments_due_change(draft=draft, by=world.adviser, comments_due=days(8))
    assert notifications.comment_deadlines(today=days(5)) == 1
    assert ActionLog.objects.filter(action="consultation.deadline.reminded").count() == 2


def test_no_reminder_once_the_consultation_has_moved_on(world, assessing):
    consultation.draft_publish(review=assessing, by=world.adviser, comments_due=days(3))
    consultation.submit_for_validation(review=assessing, by=world.adviser)
    assert notifications.comment_deadlines() == 0 and mail.outbox == []


def test_the_api_publishes_with_a_deadline(client, world, assessing):
    client.force_login(world.adviser)
    url = reverse("api-drafts", args=[assessing.pk])
    refused = client.post(url, {"comments_due": "next week"}, content_type="application/json")
    assert refused.status_code == 400 and "comments_due" in refused.json()
    answer = client.post(url, {"comments_due": days(10).isoformat()}, content_type="application/json")
    assert answer.status_code == 201 and answer.json()["comments_due"] == days(10).isoformat()
