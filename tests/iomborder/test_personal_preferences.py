"""Each person's language and time zone (issue 12): the pages, the dates and the e-mails follow them."""

import pytest
from django.core import mail
from django.urls import reverse

from consultation import notifications
from consultation import services as consultation
from iomborder.models import User
from reviews.models import ReviewCycle
from reviews.services import review_transition
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_preferences_set_the_language_and_time_zone_of_the_pages(client, world):
    client.force_login(world.adviser)
    response = client.post(
        reverse("preferences"),
        {
            "first_name": "Ada",
            "last_name": "Adviser",
            "email": world.adviser.email,
            "language": "es",
            "time_zone": "America/Bogota",
        },
    )
    assert response.status_code == 302
    world.adviser.refresh_from_db()
    assert (world.adviser.language, world.adviser.time_zone) == ("es", "America/Bogota")
    page = client.get(reverse("reviews:history", args=[world.review.pk]), HTTP_ACCEPT_LANGUAGE="fr")
    assert 'lang="es"' in page.content.decode()  # theirs, not the browser's
    assert "-05" in page.content.decode()  # the times in Bogotá, with the zone said

    refused = client.post(
        reverse("preferences"),
        {"first_name": "Ada", "last_name": "Adviser", "email": world.adviser.email, "time_zone": "Mars/Olympus"},
    )
    assert refused.status_code == 200 and "Mars/Olympus" in refused.content.decode()


def test_the_language_chosen_in_the_header_is_kept_for_the_next_visit(client, world):
    client.force_login(world.counterpart)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert User.objects.get(pk=world.counterpart.pk).language == "fr"


def test_each_reader_gets_the_e_mail_in_their_language(world):
    second = factories.counterpart("second", world.demoland, email="second@example.org")
    factories.grant_role(review=world.review, user=second, role=factories.Role.COUNTERPART)
    User.objects.filter(pk=world.counterpart.pk).update(language="es")
    User.objects.filter(pk=second.pk).update(language="fr")
    review_transition(review=world.review, to_state=ReviewCycle.State.ASSESSMENT, by=world.adviser)
    draft = consultation.draft_publish(review=world.review, by=world.adviser)
    mail.outbox.clear()
    notifications.draft_published(draft.pk)
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert "borrador 1" in subjects[world.counterpart.email].lower()
    assert "projet 1" in subjects[second.email].lower()
