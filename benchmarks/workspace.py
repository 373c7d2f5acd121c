"""Benchmark: the assessment workspace's server time for 50 and for 200 criteria, and the autosave's.

    .venv/bin/python benchmarks/workspace.py [--rounds 30]

Builds a throw-away test database (SQLite by default, PostgreSQL when DATABASE_URL is set), loads the
catalogue, opens a review of 50 and one of 200 criteria, and prints the median and 90th percentile of the
server time (Django's test client, no network) and the number of SQL queries of each page. Compare the
ratios within one run: the machine's load changes the absolute figures.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iomborder.settings_test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402


class QueryCounter:
    """Counts the SQL statements run while it is active (robust to the connection closing between requests)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)

    def __len__(self):
        return self.count


def timed(call, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(label: str, times: list[float], queries: int) -> str:
    p90 = statistics.quantiles(times, n=10)[-1]
    return f"{label:<34} median {statistics.median(times):7.1f} ms   p90 {p90:7.1f} ms   {queries:3d} queries"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("load_framework", verbosity=0)
        from tests import factories

        adviser = factories.adviser("bench-adviser")
        state = factories.MemberStateFactory(code="XB", name_en="Benchland")
        for n in range(12):
            factories.make_instrument(state, f"Instrument {n}")
        client = Client()
        client.force_login(adviser)
        results = {}
        with tempfile.TemporaryDirectory() as folder:
            for size in (50, 200):
                review = factories.make_review_on(
                    factories.make_library(Path(folder), size, f"bench-{size}"), adviser, state
                )
                url = reverse("reviews:workspace", args=[review.pk])
                with QueryCounter() as queries:
                    response = client.get(url)
                assert response.status_code == 200, response.status_code
                results[size] = timed(lambda url=url: client.get(url), args.rounds)
                print(summary(f"workspace, {size} criteria", results[size], len(queries)))

            assessment = review.assessments.first()
            save_url = reverse("reviews:assessment", args=[review.pk, assessment.pk])
            instruments = list(state.instruments.values_list("pk", flat=True)[:3])

            def autosave():
                current = type(assessment).objects.get(pk=assessment.pk)
                response = client.post(
                    save_url,
                    {
                        "version": current.version,
                        "rating": "2",
                        "finding": f"Finding {time.perf_counter()}",
                        "evidence": instruments,
                    },
                    HTTP_HX_REQUEST="true",
                )
                assert response.status_code == 200, response.status_code

            with QueryCounter() as queries:
                autosave()
            print(summary("autosave of one criterion", timed(autosave, args.rounds), len(queries)))
        ratio = statistics.median(results[200]) / statistics.median(results[50])
        print(f"workspace time ratio 200/50 criteria: {ratio:.2f} (criteria ratio 4.00)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
