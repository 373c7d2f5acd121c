"""Running manage.py in a fresh interpreter under production variables, as a deployment starts it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "iomborder.settings",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "testserver",
    "DATABASE_URL": "postgres://iomborder@localhost:5432/iomborder",
    "REDIS_URL": "redis://localhost:6379/0",
}


def run_manage(args, **env):
    """manage.py with only what a deployment's environment has: none of the test run's own variables."""
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(ROOT))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
