"""Settings of a benchmark run: the test settings, with the floors of benchmarks/floors.py beside the pages."""

from iomborder.settings_test import *  # noqa: F403

ROOT_URLCONF = "benchmarks.floors"
