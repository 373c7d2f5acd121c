"""Real Celery worker processes for the tests, on the broker, cache and test database of the test run."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from core.workers import worker_alive
from iomborder.celery import app

ROOT = Path(__file__).resolve().parent.parent


def test_database_url() -> str:
    """The URL of the database this test run uses (the test database, not the one settings name)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def purge_queue() -> None:
    """Drop messages left in the queue by earlier runs, so that a test's worker takes only that test's tasks."""
    with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
        conn.default_channel.queue_purge("celery")


class Worker:
    def __init__(self, hostname: str, **env: str):
        self.hostname = hostname
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "iomborder",
                "worker",
                "--pool=solo",
                "--loglevel=warning",
                f"--hostname={hostname}",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "iomborder.settings_test",
                "DATABASE_URL": test_database_url(),
                "MEDIA_ROOT": str(settings.MEDIA_ROOT),
                **env,
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def wait_ready(self, timeout: float = 60) -> "Worker":
        deadline = time.monotonic() + timeout
        while not worker_alive(self.hostname):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the worker {self.hostname} did not start:\n{self.output()}")
            time.sleep(0.2)
        return self

    def output(self) -> str:
        if self.process.poll() is None:
            return "(still running)"
        return self.process.stdout.read() if self.process.stdout else ""

    def kill(self) -> None:
        self.process.kill()  # SIGKILL: no chance to finish, acknowledge or clean up
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
