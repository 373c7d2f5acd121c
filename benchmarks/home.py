"""Benchmark: the home page of an adviser and of a counterpart on 50 reviews with 2,000 open threads.

    .venv/bin/python benchmarks/home.py [--rounds 10]

On a throw-away test database (PostgreSQL when DATABASE_URL is set): 10 and then 50 reviews in consultation,
each with a published draft, and 40 open threads a review (400, then 2,000). Prints the median server time,
SQL time and statements of each person's home page at both sizes: the statements must not grow.
"""

import argparse

from common import measure, row, test_database
from django.test import Client
from django.urls import reverse


def add_reviews(count: int, adviser, counterpart, state, threads_each: int) -> None:
    from consultation import services as consultation
    from consultation.markup import render_comment
    from consultation.models import Comment
    from reviews.models import ReviewCycle
    from reviews.permissions import Role, grant_role
    from reviews.services import review_transition
    from tests import factories

    comments = []
    for _ in range(count):
        review = factories.make_review(adviser, state, f"Review {ReviewCycle.objects.count() + 1}")
        grant_role(review=review, user=counterpart, role=Role.COUNTERPART)
        review_transition(review=review, to_state=ReviewCycle.State.ASSESSMENT, by=adviser)
        draft = consultation.draft_publish(review=review, by=adviser)
        comments += [
            Comment(draft=draft, author=counterpart, body=f"Comment {k}", body_html=str(render_comment(f"Comment {k}")))
            for k in range(threads_each)
        ]
    Comment.objects.bulk_create(comments, batch_size=2000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()

    with test_database():
        from django.core.management import call_command

        from tests import factories

        call_command("load_framework", verbosity=0)
        adviser = factories.adviser("bench-adviser")
        state = factories.MemberStateFactory(code="XH", name_en="Homeland")
        counterpart = factories.counterpart("bench-counterpart", state)
        print(f"{'page':<46} {'median':>11}   SQL time, statements")
        made = 0
        for reviews in (10, 50):
            add_reviews(reviews - made, adviser, counterpart, state, 40)
            made = reviews
            for who, user in (("adviser", adviser), ("counterpart", counterpart)):
                client = Client()
                client.force_login(user)
                total, sql, count, _weight = measure(client, reverse("home"), args.rounds)
                label = f"home page of {'an' if who == 'adviser' else 'a'} {who}, {reviews} reviews"
                print(
                    row(
                        f"{label}, {reviews * 40} threads",
                        total,
                        f"SQL {sql:6.1f} ms",
                        f"{count:3d} statements",
                    )
                )


if __name__ == "__main__":
    main()
