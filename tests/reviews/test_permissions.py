import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from reviews.permissions import Perm, Role, get_review_for, grant_role, has_perm, members_of, reviews_for, revoke_access
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_counterpart_of_one_state_cannot_reach_another_states_review(world):
    for perm in Perm:
        with pytest.raises(Http404):
            get_review_for(world.counterpart, world.other_review.pk, perm)
    assert list(reviews_for(world.counterpart, Perm.VIEW_DRAFTS)) == [world.review]


def test_a_counterpart_of_another_state_cannot_be_invited(world):
    with pytest.raises(ValidationError, match="is not a counterpart of"):
        grant_role(review=world.review, user=world.counterpart_other_state, role=Role.COUNTERPART)
    assert not has_perm(world.counterpart_other_state, world.review, Perm.VIEW_DRAFTS)


def test_a_counterpart_cannot_join_the_iom_team(world):
    with pytest.raises(ValidationError, match="cannot join the IOM team"):
        grant_role(review=world.review, user=world.counterpart, role=Role.ADVISER)


def test_an_invited_counterpart_reads_drafts_and_comments_but_never_sees_the_working_state(world):
    assert has_perm(world.counterpart, world.review, Perm.VIEW_DRAFTS)
    assert has_perm(world.counterpart, world.review, Perm.COMMENT)
    assert not has_perm(world.counterpart, world.review, Perm.VIEW)
    assert not has_perm(world.counterpart, world.review, Perm.CHANGE)
    with pytest.raises(Http404):
        get_review_for(world.counterpart, world.review.pk, Perm.VIEW)


def test_a_counterpart_who_was_not_invited_sees_nothing(world):
    assert not reviews_for(world.counterpart_not_invited, Perm.VIEW_DRAFTS).exists()
    with pytest.raises(Http404):
        get_review_for(world.counterpart_not_invited, world.review.pk, Perm.VIEW_DRAFTS)


def test_advisers_see_only_the_reviews_they_are_on(world):
    assert get_review_for(world.adviser, world.review.pk, Perm.CHANGE) == world.review
    assert not reviews_for(world.adviser_off_team, Perm.VIEW).exists()
    with pytest.raises(Http404):
        get_review_for(world.adviser_off_team, world.review.pk, Perm.VIEW)


def test_managers_view_approve_and_download_every_review_but_do_not_edit(world):
    assert set(reviews_for(world.manager, Perm.VIEW)) == {world.review, world.other_review}
    assert has_perm(world.manager, world.review, Perm.APPROVE)
    assert has_perm(world.manager, world.review, Perm.DOWNLOAD_REPORT)
    assert not has_perm(world.manager, world.review, Perm.CHANGE)


def test_withdrawn_access_is_gone(world):
    revoke_access(review=world.review, user=world.counterpart)
    with pytest.raises(Http404):
        get_review_for(world.counterpart, world.review.pk, Perm.VIEW_DRAFTS)


def test_members_are_listed_by_role(world):
    assert members_of(world.review, Role.ADVISER) == [world.adviser]
    assert members_of(world.review, Role.COUNTERPART) == [world.counterpart]


def test_ids_that_are_not_reviews_answer_404(world):
    for pk in (999999, "abc", None):
        with pytest.raises(Http404):
            get_review_for(world.adviser, pk)


def test_inactive_and_anonymous_users_have_no_permission(world):
    from django.contrib.auth.models import AnonymousUser

    world.adviser.is_active = False
    world.adviser.save()
    assert not has_perm(world.adviser, world.review, Perm.VIEW)
    assert not has_perm(AnonymousUser(), world.review, Perm.VIEW)
    assert not reviews_for(AnonymousUser()).exists()


def test_a_new_review_makes_its_creator_an_adviser_on_it(db):
    creator = factories.adviser("creator")
    review = factories.make_review(creator, factories.MemberStateFactory(code="XF"))
    assert has_perm(creator, review, Perm.CHANGE)


def test_administrators_keep_the_catalogue_in_the_admin_site(client, world):
    administrator = factories.UserFactory(username="keeper", groups=["Administrators"], is_staff=True)
    client.force_login(administrator)
    assert client.get("/admin/frameworks/criterion/").status_code == 200
    assert client.get("/admin/frameworks/memberstate/add/").status_code == 200
    assert client.get("/admin/reviews/reviewcycle/").status_code == 403


def test_the_admin_shows_the_records_of_what_people_did_without_editing_them(client, world):
    admin = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    for name in ("reviews/editrecord", "consultation/invitation", "consultation/statevalidation"):
        assert client.get(f"/admin/{name}/").status_code == 200
        assert client.get(f"/admin/{name}/add/").status_code == 403
