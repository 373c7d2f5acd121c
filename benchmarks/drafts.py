"""Benchmark: a busy consultation, at 100 and at 500 threads (with half as many replies again).

    .venv/bin/python benchmarks/drafts.py [--rounds 5]

On a throw-away test database (PostgreSQL when DATABASE_URL is set), a review of 200 criteria, every finding
written and 40 recommendations, its draft published and commented in bulk: threads on the findings, the
recommendations and the sections, and 1.5 replies a thread. Prints the median server time, SQL time and
statements of the draft page, of the comments API and of the comment-response matrix, then those of publishing
the next draft after editing 50 and 100 items. Goals (issue 11): the draft page under 1 s of server time at
500 threads, the matrix and publishing in a number of statements that does not grow.
"""

import argparse
import tempfile
from pathlib import Path

from common import QueryCounter, measure, row, test_database, timed
from django.test import Client
from django.urls import reverse


def build(folder: Path):
    from consultation import services as consultation
    from reviews.models import Assessment, ReviewCycle
    from reviews.permissions import Role, grant_role
    from reviews.services import recommendation_create, review_transition
    from tests import factories

    adviser = factories.adviser("bench-adviser")
    state = factories.MemberStateFactory(code="XC", name_en="Consultland")
    counterpart = factories.counterpart("bench-counterpart", state)
    review = factories.make_review_on(factories.make_library(folder, 200, "bench-consult"), adviser, state)
    grant_role(review=review, user=counterpart, role=Role.COUNTERPART)
    review_transition(review=review, to_state=ReviewCycle.State.ASSESSMENT, by=adviser)
    Assessment.objects.filter(review=review).update(rating=2, finding="The Act gives no right to written reasons.")
    first = review.assessments.select_related("criterion").first()
    for n in range(40):
        recommendation_create(
            review=review,
            by=adviser,
            text=f"Adopt the implementing decree {n}.",
            support_area=first.criterion.support_area,
            thematic_area=first.criterion.thematic_area,
            priority="high",
        )
    draft = consultation.draft_publish(review=review, by=adviser)
    return review, draft, adviser, counterpart


def add_threads(draft, review, counterpart, adviser, count: int, offset: int) -> None:
    from consultation.markup import render_comment as render
    from consultation.models import Comment

    codes = list(review.assessments.values_list("criterion__code", flat=True))
    recommendations = [str(pk) for pk in review.recommendations.values_list("pk", flat=True)]
    targets = [("finding", code) for code in codes] + [("recommendation", pk) for pk in recommendations]
    targets += [("section", "legal_policy"), ("draft", "")]
    body = "The decree of 2025 gives written reasons; **please** cite it and its article 12."
    threads = Comment.objects.bulk_create(
        Comment(
            draft=draft,
            author=counterpart,
            body=f"{body} ({offset + n})",
            body_html=str(render(f"{body} ({offset + n})")),
            target_type=targets[(offset + n) % len(targets)][0],
            target_key=targets[(offset + n) % len(targets)][1],
        )
        for n in range(count)
    )
    Comment.objects.bulk_create(
        Comment(
            draft=draft,
            author=adviser if k else counterpart,
            parent=thread,
            body="Noted, thank you.",
            body_html=str(render("Noted, thank you.")),
            target_type=thread.target_type,
            target_key=thread.target_key,
        )
        for n, thread in enumerate(threads)
        for k in range(1 + n % 2)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    with test_database(), tempfile.TemporaryDirectory() as folder:
        from django.core.management import call_command

        from consultation import services as consultation
        from reviews.services import assessment_update

        call_command("load_framework", verbosity=0)
        review, draft, adviser, counterpart = build(Path(folder))
        client = Client()
        client.force_login(adviser)
        pages = {
            "draft page": reverse("reviews:draft", args=[review.pk, draft.number]),
            "comments API": reverse("api-comments", args=[review.pk]),
            "comment-response matrix": reverse("reviews:comment_matrix", args=[review.pk, draft.number]),
        }
        print(f"{'page':<46} {'median':>11}   SQL time, statements, weight")
        made = 0
        for size in (100, 500):
            add_threads(draft, review, counterpart, adviser, size - made, made)
            made = size
            for label, url in pages.items():
                total, sql, count, weight = measure(client, url, args.rounds)
                print(
                    row(
                        f"{label}, {size} threads",
                        total,
                        f"SQL {sql:6.1f} ms",
                        f"{count:3d} statements",
                        f"{weight / 1000:6.0f} kB",
                    )
                )

        for edited in (50, 100):
            for assessment in review.assessments.all()[:edited]:
                assessment_update(
                    assessment=assessment, by=adviser, version=assessment.version, finding=f"Rewritten {edited}."
                )
            with QueryCounter() as queries:
                publish = timed(lambda: consultation.draft_publish(review=review, by=adviser), 1)
            print(row(f"publishing after editing {edited} items", publish[0], f"{queries.count:3d} statements"))


if __name__ == "__main__":
    main()
