"""An administrator (staff, not superuser) cannot raise anyone's rights; nobody deletes a review's record."""

import pytest
from django.urls import reverse

from consultation import services as consultation
from reviews.models import ReviewCycle
from reviews.services import review_transition
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(client, world):
    user = factories.UserFactory(username="administrator", groups=["Administrators"], is_staff=True)
    client.force_login(user)
    return user


def test_an_administrator_cannot_make_anyone_superuser_or_staff(client, world, administrator):
    target = world.counterpart
    url = reverse("admin:iomborder_user_change", args=[target.pk])
    page = client.get(url).content.decode()
    assert page and 'name="is_superuser"' not in page and 'name="groups"' not in page
    response = client.post(
        url,
        {
            "username": target.username,
            "email": target.email,
            "first_name": "Raised",
            "last_name": "",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "member_state": target.member_state_id,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    target.refresh_from_db()
    assert target.first_name == "Raised"
    assert not target.is_superuser and not target.is_staff


def test_an_administrator_cannot_change_their_own_or_another_staff_account(client, world, administrator):
    url = reverse("admin:iomborder_user_change", args=[administrator.pk])
    assert 'name="_save"' not in client.get(url).content.decode()  # shown, read-only
    assert client.post(url, {"username": "administrator", "is_superuser": "on"}).status_code == 403
    administrator.refresh_from_db()
    assert not administrator.is_superuser


def test_a_superuser_still_manages_rights(client, world):
    root = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    page = client.get(reverse("admin:iomborder_user_change", args=[world.counterpart.pk])).content.decode()
    assert 'name="is_superuser"' in page


def test_nobody_deletes_reviews_drafts_validations_or_history_in_the_admin(client, world):
    review_transition(review=world.review, to_state=ReviewCycle.State.ASSESSMENT, by=world.adviser)
    draft = consultation.draft_publish(review=world.review, by=world.adviser)
    root = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    for name, pk in [("reviews_reviewcycle", world.review.pk), ("consultation_draftversion", draft.pk)]:
        assert client.get(reverse(f"admin:{name}_delete", args=[pk])).status_code == 403
        assert client.post(reverse(f"admin:{name}_delete", args=[pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:iomborder_user_delete", args=[world.counterpart.pk])).status_code == 403
    assert ReviewCycle.objects.filter(pk=world.review.pk).exists()
    assert world.review.drafts.exists()


def test_nobody_makes_a_counterpart_in_the_admin_only_an_invitation_does(client, world):
    root = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    target = world.adviser
    url = reverse("admin:iomborder_user_change", args=[target.pk])
    assert 'name="member_state"' not in client.get(url).content.decode()  # shown, read-only
    client.post(
        url,
        {
            "username": target.username,
            "email": target.email,
            "first_name": target.first_name,
            "last_name": target.last_name,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "member_state": world.demoland.pk,
        },
    )
    target.refresh_from_db()
    assert target.member_state_id is None
