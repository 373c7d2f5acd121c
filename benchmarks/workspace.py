"""Benchmark: the assessment workspace against the plain-template floor, at two sizes and two instrument counts.

    .venv/bin/python benchmarks/workspace.py [--rounds 20]

Builds a throw-away test database (SQLite by default, PostgreSQL when DATABASE_URL is set) with reviews of 50
and 200 criteria, every criterion rated, with a finding and two instruments cited, for a state of 12 and one
of 60 national instruments. For each it prints the workspace's median server time (Django's test client, no
network), the same rows printed by a plain Django template (benchmarks/floors.py) as the floor, their ratio,
the page's weight and its SQL statements (a review of 200 criteria opens on one support area; it is also
measured with all of them, `?area=all`, whose later areas' criteria come as the reader reaches them: one of
those requests is measured too; and with the cache of rendered criteria empty, as on a first load);
then the autosave of one criterion. Goals (issue 11): the workspace within 1.5 times its floor at 200
criteria, under 300 kB whatever the number of instruments. Compare ratios within one run: the machine's load
changes the absolute figures.
"""

import argparse
import tempfile
import time
from pathlib import Path

from common import QueryCounter, median, row, test_database, timed
from django.test import Client, override_settings
from django.urls import reverse

from reviews.selectors import ONE_AREA_AT_A_TIME_FROM

# A cache that keeps nothing: every page rendered as on its first load.
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
FINDING = (
    "The Aliens Act of 2019 sets out the conditions of entry and stay, but its implementing decree has not been "
    "adopted and the border police apply the earlier circular. Referral of vulnerable migrants is left to the "
    "discretion of the officer on duty; no standard operating procedure was shown to the mission. "
)


def build(folder: Path, criteria: int, instruments: int, adviser):
    from reviews.models import Assessment
    from tests import factories

    state = factories.MemberStateFactory(code=f"{chr(65 + criteria % 26)}{chr(65 + instruments % 26)}")
    cited = [factories.make_instrument(state, f"Law {n} on entry, stay and asylum") for n in range(instruments)]
    review = factories.make_review_on(
        factories.make_library(folder, criteria, f"bench-{criteria}-{instruments}"), adviser, state
    )
    Assessment.objects.filter(review=review).update(rating=2, finding=FINDING, internal_note="Ask the ministry.")
    through = Assessment.evidence.through
    through.objects.bulk_create(
        through(assessment_id=pk, nationalinstrument_id=cited[n % instruments].pk)
        for pk in review.assessments.values_list("pk", flat=True)
        for n in range(2)
    )
    return review


def side_by_side(client, page: str, floor: str, rounds: int, **headers) -> tuple[float, float]:
    """The median times of the page and of its floor, asked in turns so that the machine's load weighs on both."""
    page_times, floor_times = [], []
    for _ in range(rounds):
        page_times += timed(lambda: client.get(page, **headers), 1)
        floor_times += timed(lambda: client.get(floor), 1)
    return median(page_times), median(floor_times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    with test_database(), tempfile.TemporaryDirectory() as folder:
        from django.core.management import call_command

        from tests import factories

        call_command("load_framework", verbosity=0)
        adviser = factories.adviser("bench-adviser")
        client = Client()
        client.force_login(adviser)
        print(f"{'page':<46} {'median':>11}   floor, ratio, weight, queries")
        for criteria in (50, 200):
            for instruments in (12, 60):
                review = build(Path(folder), criteria, instruments, adviser)
                for area in ("", "all") if criteria > ONE_AREA_AT_A_TIME_FROM else ("",):
                    shown = "all areas" if area or criteria <= ONE_AREA_AT_A_TIME_FROM else "first area"
                    page = reverse("reviews:workspace", args=[review.pk]) + f"?area={area}"
                    floor = reverse("bench-plain-workspace", args=[review.pk]) + f"?area={area}"
                    with QueryCounter() as queries:
                        response = client.get(page)
                    assert response.status_code == 200, response.status_code
                    page_ms, floor_ms = side_by_side(client, page, floor, args.rounds)
                    print(
                        row(
                            f"workspace, {criteria} criteria, {instruments} instr., {shown}",
                            page_ms,
                            f"floor {floor_ms:6.1f} ms",
                            f"ratio {page_ms / floor_ms:4.2f} (goal <= 1.5)",
                            f"{len(response.content) / 1000:5.0f} kB (goal <= 300)",
                            f"{queries.count:3d} queries",
                        )
                    )
                    if area:  # each later area's criteria, fetched as the reader scrolls down to it
                        last = review.assessments.order_by("-criterion__support_area__order").first()
                        code = last.criterion.support_area.code
                        later = reverse("reviews:workspace_criteria", args=[review.pk]) + f"?area={code}"
                        floor = reverse("bench-plain-workspace", args=[review.pk]) + f"?area={code}"
                        with QueryCounter() as queries:
                            response = client.get(later, HTTP_HX_REQUEST="true")
                        assert response.status_code == 200, response.status_code
                        page_ms, floor_ms = side_by_side(client, later, floor, args.rounds, HTTP_HX_REQUEST="true")
                        print(
                            row(
                                "  then a later area, as the reader reaches it",
                                page_ms,
                                f"floor {floor_ms:6.1f} ms",
                                f"ratio {page_ms / floor_ms:4.2f}",
                                f"{len(response.content) / 1000:5.0f} kB",
                                f"{queries.count:3d} queries",
                            )
                        )
                    if instruments == 12:  # the same page with no criterion kept (reviews/fragments.py)
                        with override_settings(CACHES=NO_CACHE):
                            page_ms, floor_ms = side_by_side(client, page, floor, args.rounds)
                        print(
                            row(
                                "  the same, fragment cache empty",
                                page_ms,
                                f"floor {floor_ms:6.1f} ms",
                                f"ratio {page_ms / floor_ms:4.2f}",
                            )
                        )

        assessment = review.assessments.first()
        save_url = reverse("reviews:assessment", args=[review.pk, assessment.pk])
        cited = list(review.member_state.instruments.values_list("pk", flat=True)[:3])

        def autosave():
            current = type(assessment).objects.get(pk=assessment.pk)
            response = client.post(
                save_url,
                {
                    "version": current.version,
                    "rating": "2",
                    "finding": f"Finding {time.perf_counter()}",
                    "evidence": cited,
                },
                HTTP_HX_REQUEST="true",
            )
            assert response.status_code == 200, response.status_code

        with QueryCounter() as queries:
            autosave()
        print(row("autosave of one criterion", median(timed(autosave, args.rounds)), f"{queries.count:3d} queries"))


if __name__ == "__main__":
    main()
