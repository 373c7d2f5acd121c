import time

import pytest
from django.core.cache import cache
from django.test import override_settings

from iomborder.health import HEARTBEAT_KEY, record_worker_heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_heartbeat():
    cache.delete(HEARTBEAT_KEY)


def test_it_answers_200_when_the_database_broker_and_a_worker_are_up(client):
    record_worker_heartbeat("celery@test")
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["broker"]["ok"]
    assert body["workers"]["alive"] == ["celery@test"]


def test_it_answers_503_naming_the_workers_when_none_beats(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["workers"]


def test_an_old_heartbeat_does_not_count(client, settings):
    cache.set(HEARTBEAT_KEY, {"celery@gone": time.time() - 10 * settings.WORKER_HEARTBEAT_INTERVAL})
    assert client.get("/healthz").json()["workers"]["alive"] == []


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_it_answers_503_naming_the_broker_when_it_is_unreachable(client):
    record_worker_heartbeat("celery@test")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["broker"]
    assert "error" in body["broker"]
