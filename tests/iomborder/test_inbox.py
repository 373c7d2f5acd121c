"""The inbox: the e-mails' events kept on the site for everyone concerned, in the reader's language, read and
marked read by its owner only (issue 12)."""

import pytest
from django.urls import reverse

from consultation import notifications
from consultation import services as consultation
from core.models import Notification
from reviews.models import ReviewCycle
from reviews.services import review_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world):
    review_transition(review=world.review, to_state=ReviewCycle.State.ASSESSMENT, by=world.adviser)
    return consultation.draft_publish(review=world.review, by=world.adviser)


def test_the_events_of_the_e_mails_reach_the_inbox_also_of_those_who_turned_the_e_mails_off(client, world, draft):
    world.counterpart.daily_digest = True  # no e-mail for each event
    world.counterpart.save()
    notifications.draft_published(draft.pk)
    thread = consultation.comment_create(draft=draft, by=world.counterpart, body="Which decree?")
    notifications.comment_posted(thread.pk)
    consultation.thread_answer(thread=thread, by=world.adviser, status="addressed", answer="The 2025 one.")
    notifications.thread_answered(thread.pk)

    assert Notification.objects.filter(recipient=world.counterpart).count() == 2  # the draft, the answer
    assert Notification.objects.filter(recipient=world.adviser, kind="comment_posted").count() == 1

    client.force_login(world.counterpart)
    page = client.get(reverse("inbox"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Le projet 1 de « Demoland review » est ouvert aux commentaires" in page
    assert '<span class="badge unread">2' in page  # the header's count

    answered = Notification.objects.get(recipient=world.counterpart, kind="thread_answered")
    response = client.get(reverse("inbox_open", args=[answered.pk]))
    assert response.status_code == 302 and response.url.endswith(f"#thread-{thread.pk}")
    answered.refresh_from_db()
    assert answered.read_at is not None

    client.post(reverse("inbox_read"))
    assert not Notification.objects.filter(recipient=world.counterpart, read_at__isnull=True).exists()


def test_nobody_opens_or_marks_another_persons_notification(client, world, draft):
    notifications.draft_published(draft.pk)
    theirs = Notification.objects.get(recipient=world.counterpart)
    client.force_login(world.counterpart_other_state)
    assert client.get(reverse("inbox_open", args=[theirs.pk])).status_code == 404
    client.post(reverse("inbox_read"), {"notification": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "Demoland" not in client.get(reverse("inbox")).content.decode()
    client.logout()
    assert client.get(reverse("inbox")).status_code == 302
