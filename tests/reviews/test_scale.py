"""The lists of reviews at the size of the division's portfolio (issue 11): the permissions in the reviews' own
tables, the lists' queries the same at any size, and PostgreSQL reading the lists from their indexes."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.models import ReviewCycle, ReviewUserPermission
from reviews.permissions import Perm, Role, grant_role, has_perm, reviews_for
from reviews.selectors import review_list_for
from tests import factories

pytestmark = pytest.mark.django_db

LISTS = {"list": "reviews:list", "api": "api-reviews", "portfolio": "reviews:portfolio"}


def test_a_role_is_granted_in_the_reviews_own_permission_table(world):
    colleague = factories.adviser("colleague")
    grant_role(review=world.review, user=colleague, role=Role.ADVISER)
    rows = ReviewUserPermission.objects.filter(user=colleague)
    assert {row.content_object for row in rows} == {world.review}
    assert has_perm(colleague, world.review, Perm.CHANGE)
    assert list(reviews_for(colleague, Perm.CHANGE)) == [world.review]
    from guardian.models import UserObjectPermission

    assert not UserObjectPermission.objects.exists()  # nothing left in guardian's generic table


def statements(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["manager", "adviser"])
def test_the_lists_cost_the_same_number_of_queries_at_any_size(client, world, who):
    people = factories.make_people(5)
    user = people[0] if who == "adviser" else world.manager
    client.force_login(user)
    counts = []
    for size in (30, 300):
        factories.make_portfolio(reviews=size, people=people, permissions=10 * size, criteria_per_review=3)
        counts.append(
            {
                name: statements(client, reverse(url))
                for name, url in LISTS.items()
                if who == "manager" or name != "portfolio"
            }
        )
    assert counts[0] == counts[1]
    assert review_list_for(user).count() > 30


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="runs where PostgreSQL is the database")
def test_at_ten_thousand_reviews_the_lists_are_read_from_their_indexes(world):
    people = factories.make_people(300)
    factories.make_portfolio(reviews=10_000, people=people, permissions=100_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    assert ReviewUserPermission.objects.count() >= 90_000

    # An adviser's reviews: their grants found by the index that leads with the person, never a scan of them all.
    mine = plan(review_list_for(people[0])[:20])
    assert "Seq Scan on reviews_reviewuserpermission" not in mine, mine
    assert "reviews_reviewuserpermission_user_id" in mine or "user_id_permission_id" in mine, mine

    # A manager's page of every review: read in the list's order from its index, not sorted out of 10,000.
    every = plan(review_list_for(world.manager)[:20])
    assert "review_list_order" in every and "Sort" not in every, every

    # The portfolio: state by state in name order (each state's reviews sorted alone), until the page is full.
    portfolio = review_list_for(world.manager).order_by("member_state__name_en", "due_date")[:50]
    text = plan(portfolio)
    assert "member_state_by_name" in text and "Seq Scan on reviews_reviewcycle" not in text, text


@pytest.mark.django_db(transaction=True)
def test_the_permissions_granted_before_move_to_the_reviews_table_and_back(django_user_model):
    call_command("load_framework", verbosity=0)
    target = [("reviews", "0010_history_into_the_action_log")]
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(target)
    before = [node for node in leaves if node[0] != "reviews"] + target  # every other app as it is today
    old = executor.loader.project_state(before).apps
    user = old.get_model("iomborder", "User").objects.create(username="kept", email="kept@example.org")
    review = old.get_model("reviews", "ReviewCycle").objects.create(
        member_state=old.get_model("frameworks", "MemberState").objects.get(code="FR"),
        title="Granted before",
        framework=old.get_model("frameworks", "AssessmentFramework").objects.first(),
        created_by=user,
    )
    review_type = old.get_model("contenttypes", "ContentType").objects.get(app_label="reviews", model="reviewcycle")
    change = old.get_model("auth", "Permission").objects.get(codename="change_reviewcycle")
    generic = old.get_model("guardian", "UserObjectPermission")
    generic.objects.create(user=user, permission=change, content_type=review_type, object_pk=str(review.pk))
    generic.objects.create(user=user, permission=change, content_type=review_type, object_pk="999999")  # deleted

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    moved = ReviewUserPermission.objects.get()
    assert (moved.user_id, moved.content_object_id, moved.permission) == (
        user.pk,
        review.pk,
        Permission.objects.get(codename="change_reviewcycle"),
    )
    assert has_perm(django_user_model.objects.get(pk=user.pk), ReviewCycle.objects.get(pk=review.pk), Perm.CHANGE)
    assert not generic.objects.exists()

    executor = MigrationExecutor(connection)
    executor.migrate(target)
    back = executor.loader.project_state(before).apps.get_model("guardian", "UserObjectPermission")
    assert list(back.objects.values_list("object_pk", flat=True)) == [str(review.pk)]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
