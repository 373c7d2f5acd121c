import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import ActionLog
from followup import services
from followup.models import Action, ProgressReport
from followup.selectors import actions_of, implementation_rates, period_end, period_label, period_start
from reviews.services import StaleEdit

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def new_action(world, review, focal_point, *recommendations, title="Adopt the SOPs", **fields):
    values = {
        "title": title,
        "responsible_institution": "Border Police",
        "focal_point": focal_point,
        "start_date": days(-100),
        "due_date": days(200),
        "indicator": "SOPs adopted",
        "baseline": "none",
        "target": "adopted",
        **fields,
    }
    chosen = list(recommendations) or [review.recommendations.order_by("pk").first()]
    return services.action_create(review=review, by=world.adviser, recommendations=chosen, **values)


def test_periods_are_quarters_or_half_years():
    day = datetime.date(2026, 8, 17)
    assert period_start(day, "quarter") == datetime.date(2026, 7, 1)
    assert period_end(datetime.date(2026, 10, 1), "quarter") == datetime.date(2026, 12, 31)
    assert period_start(day, "half_year") == datetime.date(2026, 7, 1)
    assert period_end(datetime.date(2026, 1, 1), "half_year") == datetime.date(2026, 6, 30)
    assert period_label(datetime.date(2026, 7, 1), "quarter") == "Q3 2026"
    assert period_label(datetime.date(2026, 7, 1), "half_year") == "H2 2026"


def test_an_action_implements_accepted_recommendations_only(world, with_positions, focal_point):
    first, second, rejected = with_positions.recommendations.order_by("pk")
    action = new_action(world, with_positions, focal_point, first, second)
    assert set(action.recommendations.all()) == {first, second}
    with pytest.raises(ValidationError) as refused:
        new_action(world, with_positions, focal_point, rejected)
    assert "recommendations" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        new_action(world, with_positions, world.counterpart_not_invited, first)
    assert "focal_point" in refused.value.message_dict
    with pytest.raises(ValidationError):
        new_action(world, with_positions, focal_point, first, start_date=days(10), due_date=days(5))
    with pytest.raises(PermissionDenied):
        services.action_create(review=with_positions, by=focal_point, recommendations=[first], title="x")
    assert Action.objects.count() == 1


def test_the_status_comes_from_the_progress_reports(world, with_positions, focal_point):
    action = new_action(world, with_positions, focal_point)
    late = new_action(
        world, with_positions, focal_point, title="Train officers", start_date=days(-300), due_date=days(-1)
    )
    cancelled = new_action(world, with_positions, focal_point, title="Publish")
    services.action_cancel(action=cancelled, by=world.adviser, reason="Done by another programme.")

    def statuses():
        return {a.title: a.status for a in actions_of(with_positions)}

    assert statuses() == {"Adopt the SOPs": "not_started", "Train officers": "delayed", "Publish": "cancelled"}
    report = services.progress_submit(
        action=action, by=focal_point, period=timezone.localdate(), progress="Drafted.", indicator_value="draft"
    )
    assert statuses()["Adopt the SOPs"] == "not_started"  # not before the team accepts it
    services.progress_review(report=report, by=world.adviser, accept=True)
    assert statuses()["Adopt the SOPs"] == "in_progress"
    last = services.progress_submit(action=late, by=focal_point, period=days(-2), progress="Done.", completed=True)
    services.progress_review(report=last, by=world.adviser, accept=True)
    assert statuses()["Train officers"] == "completed"
    assert [a.latest_value for a in actions_of(with_positions) if a.pk == action.pk] == ["draft"]


def test_a_report_sent_back_is_answered_by_reporting_again_and_an_accepted_one_is_final(
    world, with_positions, focal_point
):
    action = new_action(world, with_positions, focal_point)
    report = services.progress_submit(action=action, by=focal_point, period=days(0), progress="Something.")
    with pytest.raises(ValidationError):
        services.progress_review(report=report, by=world.adviser, accept=False, question=" ")
    services.progress_review(report=report, by=world.adviser, accept=False, question="Which decree?")
    report.refresh_from_db()
    assert (report.state, report.question) == ("returned", "Which decree?")
    again = services.progress_submit(action=action, by=focal_point, period=days(0), progress="Decree 12/2026.")
    assert again.pk == report.pk and again.state == "submitted"
    services.progress_review(report=again, by=world.adviser, accept=True)
    with pytest.raises(ValidationError):
        services.progress_submit(action=action, by=focal_point, period=days(0), progress="Changed my mind.")
    with pytest.raises(PermissionDenied):
        services.progress_submit(action=action, by=world.adviser, period=days(0), progress="Not theirs to say.")
    with pytest.raises(ValidationError) as refused:
        services.progress_submit(action=action, by=focal_point, period=days(400), progress="Future.")
    assert "period" in refused.value.message_dict
    assert ProgressReport.objects.count() == 1
    logged = ActionLog.objects.filter(action__startswith="followup.progress.").values_list("action", flat=True)
    assert list(logged.order_by("pk")) == [
        "followup.progress.submitted",
        "followup.progress.returned",
        "followup.progress.submitted",
        "followup.progress.accepted",
    ]


def test_a_stale_edit_of_an_action_is_refused(world, with_positions, focal_point):
    action = new_action(world, with_positions, focal_point)
    services.action_update(action=action, by=world.adviser, version=1, target="adopted and applied")
    with pytest.raises(StaleEdit):
        services.action_update(action=action, by=world.adviser, version=1, target="other")
    action.refresh_from_db()
    assert (action.target, action.version) == ("adopted and applied", 2)
    entry = ActionLog.objects.filter(action="followup.action.changed").get()
    assert entry.data["changes"] == {"target": ["adopted", "adopted and applied"]}


def test_rates_are_counted_by_the_database_in_the_same_queries_for_any_number_of_actions(
    world, with_positions, focal_point
):
    first, second, _rejected = with_positions.recommendations.order_by("pk")
    done = new_action(world, with_positions, focal_point, first)
    report = services.progress_submit(action=done, by=focal_point, period=days(0), progress="x", completed=True)
    services.progress_review(report=report, by=world.adviser, accept=True)
    new_action(world, with_positions, focal_point, second)

    def measured():
        with CaptureQueriesContext(connection) as queries:
            rates = implementation_rates(with_positions, "support_area")
            actions_of(with_positions)
        return rates, len(queries)

    rates, few = measured()
    assert [(r.completed, r.total, r.percent) for r in rates] == [(1, 2, 50)]
    for n in range(10):
        new_action(world, with_positions, focal_point, first, second, title=f"More {n}")
    _rates, many = measured()
    assert few == many


def test_the_portfolio_counts_each_plan_in_the_same_queries_whatever_its_size(client, world, followed, focal_point):
    action, report = followed
    services.progress_review(report=report, by=world.adviser, accept=True)
    client.force_login(world.manager)
    url = reverse("reviews:followup_portfolio")

    def page():
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        return html, len(queries)

    html, few = page()
    assert "Demoland review" in html and "0 % (0 of 1)" in html
    for n in range(5):
        new_action(world, action.review, focal_point, title=f"Late {n}", start_date=days(-50), due_date=days(-1))
    html, many = page()
    assert "0 % (0 of 6)" in html and few == many
    row = html[html.index("Demoland review") :].split("</tr>")[0]
    assert '<td class="overdue">5</td>' in row
    client.force_login(world.counterpart)
    assert "Demoland review" not in client.get(url).content.decode()  # the plans of reviews one sees whole only
