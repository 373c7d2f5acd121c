"""What the benchmarks share: Django set up on a throw-away test database, a query counter, timings."""

import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402


@contextmanager
def test_database():
    """A new test database (SQLite by default, PostgreSQL when DATABASE_URL is set), dropped at the end. Django's
    test environment is not set up: it wraps every template rendering to record its context, which would weigh
    on the pages measured (the test client's host is allowed in benchmarks/settings.py instead)."""
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield connection.settings_dict["NAME"]
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


class QueryCounter:
    """Counts the SQL statements run while it is active, and the time they took."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


def timed(call, rounds: int) -> list[float]:
    """The milliseconds of each of `rounds` calls."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def median(times: list[float]) -> float:
    return statistics.median(times)


def p90(times: list[float]) -> float:
    return statistics.quantiles(times, n=10)[-1] if len(times) > 1 else times[0]


def row(label: str, ms: float, *columns: str) -> str:
    return f"{label:<46} {ms:8.1f} ms   " + "   ".join(columns)


def measure(client, url: str, rounds: int) -> tuple[float, float, int, int]:
    """A page asked for `rounds` times: its median server time and SQL time (ms), its statements, its bytes."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    sql = []

    def call():
        with QueryCounter() as queries:
            client.get(url)
        sql.append(queries.seconds * 1000)

    with QueryCounter() as queries:
        client.get(url)
    return median(timed(call, rounds)), median(sql), queries.count, len(response.content)
