import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(reverse("reviews:detail", args=[world.review.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", ["adviser_off_team", "counterpart_not_invited", "counterpart_other_state"])
def test_a_review_the_user_may_not_see_answers_404(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(reverse("reviews:detail", args=[world.review.pk])).status_code == 404


def test_the_list_shows_only_the_reviews_the_user_may_see(client, world):
    client.force_login(world.counterpart)
    page = client.get(reverse("reviews:list")).content.decode()
    assert "Demoland review" in page
    assert "Examplia review" not in page


def test_the_team_sees_the_criteria_in_scope_and_a_counterpart_does_not(client, world):
    code = world.review.assessments.select_related("criterion").first().criterion.code
    client.force_login(world.adviser)
    assert code in client.get(reverse("reviews:workspace", args=[world.review.pk])).content.decode()
    client.force_login(world.counterpart)
    response = client.get(reverse("reviews:detail", args=[world.review.pk]))
    assert response.status_code == 200
    assert code not in response.content.decode()
    assert client.get(reverse("reviews:workspace", args=[world.review.pk])).status_code == 404


def test_pages_come_in_french_and_spanish(client, world):
    client.force_login(world.adviser)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert "Examens" in client.get(reverse("reviews:list")).content.decode()
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert "Revisiones" in client.get(reverse("reviews:list")).content.decode()


def test_a_counterpart_does_not_see_the_progress_of_the_working_state(client, world):
    client.force_login(world.counterpart)
    assert "criteria" not in client.get(reverse("reviews:list")).content.decode()
    client.force_login(world.adviser)
    assert f"0 of {world.review.assessments.count()} criteria" in client.get(reverse("reviews:list")).content.decode()
