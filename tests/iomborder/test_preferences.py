import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_person_chooses_the_daily_digest(client, world):
    client.force_login(world.counterpart)
    response = client.post(
        reverse("preferences"),
        {"first_name": "Claire", "last_name": "Martin", "email": "claire@interior.example", "daily_digest": "on"},
    )
    assert response.status_code == 302
    world.counterpart.refresh_from_db()
    assert world.counterpart.daily_digest and world.counterpart.email == "claire@interior.example"
