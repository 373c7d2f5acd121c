"""Benchmark: a review's follow-up dashboard and the portfolio's follow-up at 50 and 500 actions.

    .venv/bin/python benchmarks/followup.py [--rounds 10]

On a throw-away test database (PostgreSQL when DATABASE_URL is set): a review gone to validation with 20
recommendations, all accepted, then 50 and 500 actions each implementing two of them, a third with an accepted
progress report (half of those completed) and a fifth past their due date. Prints the median server time, SQL
time and statements of the dashboard (as the adviser) and of the portfolio's follow-up (as a manager) at both
sizes: the statements must not grow.
"""

import argparse
import datetime

from common import measure, row, test_database
from django.test import Client
from django.urls import reverse


def build(adviser):
    from consultation import services as consultation
    from followup.services import position_record
    from frameworks.models import SupportArea
    from reviews.models import ReviewCycle
    from reviews.permissions import Role, grant_role
    from reviews.services import recommendation_create, review_transition
    from tests import factories

    state = factories.MemberStateFactory(code="XF", name_en="Followland")
    review = factories.make_review(adviser, state, "Followland review")
    review_transition(review=review, to_state=ReviewCycle.State.ASSESSMENT, by=adviser)
    areas = list(SupportArea.objects.order_by("order"))
    for n in range(20):
        recommendation_create(review=review, by=adviser, text=f"Recommendation {n}", support_area=areas[n % 6])
    consultation.draft_publish(review=review, by=adviser)
    consultation.submit_for_validation(review=review, by=adviser)
    for recommendation in review.recommendations.all():
        position_record(review=review, recommendation_id=recommendation.pk, by=adviser, stance="accepted")
    focal = factories.counterpart("bench-focal", state)
    grant_role(review=review, user=focal, role=Role.FOCAL_POINT)
    return review, focal


def add_actions(review, adviser, focal, count: int, made: int) -> None:
    from django.utils import timezone

    from followup.models import Action, ProgressReport

    today = timezone.localdate()
    recommendations = list(review.recommendations.order_by("pk"))
    actions = Action.objects.bulk_create(
        Action(
            review=review,
            title=f"Action {made + n}",
            responsible_institution="Ministry of the Interior",
            focal_point=focal,
            start_date=today - datetime.timedelta(days=200),
            due_date=today + datetime.timedelta(days=(-10 if n % 5 == 0 else 30 + n)),
            indicator="Adopted",
            created_by=adviser,
        )
        for n in range(count)
    )
    through = Action.recommendations.through
    through.objects.bulk_create(
        through(action_id=action.pk, recommendation_id=recommendations[(n + k) % 20].pk)
        for n, action in enumerate(actions)
        for k in range(2)
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(
            action=action,
            period_start=today.replace(day=1),
            progress="Done in part.",
            completed=n % 2 == 0,
            state=ProgressReport.State.ACCEPTED,
            submitted_by=focal,
            submitted_at=timezone.now(),
        )
        for n, action in enumerate(actions)
        if n % 3 == 0
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()

    with test_database():
        from django.core.management import call_command

        from tests import factories

        call_command("load_framework", verbosity=0)
        adviser = factories.adviser("bench-adviser")
        manager = factories.UserFactory(username="bench-manager", groups=["Managers"])
        review, focal = build(adviser)
        adviser_client, manager_client = Client(), Client()
        adviser_client.force_login(adviser)
        manager_client.force_login(manager)
        print(f"{'page':<46} {'median':>11}   SQL time, statements, weight")
        made = 0
        for size in (50, 500):
            add_actions(review, adviser, focal, size - made, made)
            made = size
            for label, client, url in (
                ("follow-up dashboard", adviser_client, reverse("reviews:followup", args=[review.pk])),
                ("portfolio's follow-up", manager_client, reverse("reviews:followup_portfolio")),
            ):
                total, sql, count, weight = measure(client, url, args.rounds)
                print(
                    row(
                        f"{label}, {size} actions",
                        total,
                        f"SQL {sql:6.1f} ms",
                        f"{count:3d} statements",
                        f"{weight / 1000:5.0f} kB",
                    )
                )


if __name__ == "__main__":
    main()
