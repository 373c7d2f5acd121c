"""A real Celery worker process, on the broker the settings name (Redis in CI, the file system otherwise)."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

from iomborder.health import HEARTBEAT_KEY

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.worker, pytest.mark.django_db]


@pytest.fixture(scope="module")
def worker():
    hostname = f"test-{uuid.uuid4().hex[:8]}@localhost"
    process = subprocess.Popen(
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
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "iomborder.settings_test"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    while hostname not in (cache.get(HEARTBEAT_KEY) or {}):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the worker did not start:\n{process.stdout.read()}")
        time.sleep(0.2)
    yield hostname
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_a_real_worker_takes_a_task_from_the_broker(worker, capsys):
    call_command("check_worker", timeout=60)
    assert "answered" in capsys.readouterr().out


def test_healthz_sees_the_running_worker(worker, client):
    body = client.get("/healthz").json()
    assert worker in body["workers"]["alive"]
