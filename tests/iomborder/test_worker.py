"""A real Celery worker process, on the broker the settings name (Redis in CI, the file system otherwise)."""

import uuid

import pytest
from django.core.management import call_command

from tests.workers import Worker, purge_queue

pytestmark = [pytest.mark.worker, pytest.mark.django_db]


@pytest.fixture
def worker():
    purge_queue()
    started = Worker(f"test-{uuid.uuid4().hex[:8]}@localhost").wait_ready()
    yield started.hostname
    started.stop()


def test_a_real_worker_takes_a_task_from_the_broker(worker, capsys):
    call_command("check_worker", timeout=60)
    assert "answered" in capsys.readouterr().out


def test_healthz_sees_the_running_worker(worker, client):
    body = client.get("/healthz").json()
    assert worker in body["workers"]["alive"]
