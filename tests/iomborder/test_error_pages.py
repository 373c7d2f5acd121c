"""The error pages speak the reader's language and say what to do (issue 12): 404, 403 and a refused form."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Page not found"), ("fr", "Page introuvable"), ("es", "Página no encontrada")],
)
def test_a_missing_page_answers_in_the_readers_language(client, language, words):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    assert words in response.content.decode()


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Not allowed"), ("fr", "Non autorisé"), ("es", "No permitido")],
)
def test_a_forbidden_page_answers_in_the_readers_language(client, language, words):
    staff = factories.UserFactory(username="clerk", is_staff=True)  # in the admin, without any model permission
    client.force_login(staff)
    response = client.get(reverse("admin:reviews_reviewcycle_changelist"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    assert words in response.content.decode()


def test_a_form_refused_by_the_csrf_check_says_how_to_send_it_again(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.adviser)
    response = client.post(reverse("preferences"), {"first_name": "x"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 403
    assert "rechargez la page" in response.content.decode()
