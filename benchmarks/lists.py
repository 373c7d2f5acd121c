"""Benchmark: the lists of reviews at 1,000 and at 10,000 reviews, as a manager and as an adviser.

    .venv/bin/python benchmarks/lists.py [--rounds 10]

Builds a portfolio in bulk on a throw-away test database (PostgreSQL when DATABASE_URL is set: the goal is
stated for it): 300 advisers and 30 assessments a review; 10,000 object permissions at 1,000 reviews and
100,000 at 10,000. For the review list, the API's list and the manager's portfolio it prints the median server
time, the time spent in SQL and the number of statements. Goal (issue 11): under 100 ms of SQL at 10,000
reviews, and flat from 1,000 to 10,000.
"""

import argparse

from common import measure, row, test_database
from django.db import connection
from django.test import Client
from django.urls import reverse


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()

    with test_database():
        from django.core.management import call_command

        from tests import factories

        call_command("load_framework", verbosity=0)
        people = factories.make_people(300)
        manager = factories.UserFactory(username="bench-manager", groups=["Managers"])
        adviser = people[0]
        pages = {
            "review list": reverse("reviews:list"),
            "API list of reviews": reverse("api-reviews"),
            "portfolio": reverse("reviews:portfolio"),
        }
        made = 0
        print(f"{'page':<46} {'median':>11}   SQL time, statements")
        for size in (1_000, 10_000):
            factories.make_portfolio(
                reviews=size - made, people=people, permissions=10 * (size - made), criteria_per_review=30
            )
            made = size
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE") if connection.vendor == "postgresql" else None
            for who, user in (("manager", manager), ("adviser", adviser)):
                client = Client()
                client.force_login(user)
                for label, url in pages.items():
                    if label == "portfolio" and who == "adviser":
                        continue
                    total, sql, count, _weight = measure(client, url, args.rounds)
                    print(
                        row(
                            f"{label}, {size:,} reviews, as {who}",
                            total,
                            f"SQL {sql:6.1f} ms (goal < 100, flat)",
                            f"{count:3d} statements",
                        )
                    )


if __name__ == "__main__":
    main()
