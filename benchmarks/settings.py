"""Settings of a benchmark run: the test settings, with the floors of benchmarks/floors.py beside the pages."""

from iomborder.settings_test import *  # noqa: F403

ROOT_URLCONF = "benchmarks.floors"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver", "127.0.0.1"]  # noqa: F405 - the test client's, gunicorn's

# A database of its own, so that a benchmark runs beside the test suite on the same server.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": "bench_iomborder"}  # noqa: F405
