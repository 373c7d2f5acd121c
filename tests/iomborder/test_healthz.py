import threading
import time

import pytest
from django.core.cache import cache
from django.test import override_settings

from core.workers import PREFIX, beat_forever, forget_all, live_workers, worker_alive
from core.workers import record_heartbeat as record_worker_heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_heartbeat():
    forget_all()


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


def test_a_heartbeat_whose_time_ran_out_does_not_count(client):
    record_worker_heartbeat("celery@gone")
    cache.delete(PREFIX + "celery@gone")  # what its time-to-live does three intervals after the last beat
    assert client.get("/healthz").json()["workers"]["alive"] == []
    assert not worker_alive("celery@gone")


def test_the_heartbeat_thread_survives_an_unreachable_cache_and_beats_again_when_it_returns():
    unreachable = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    stop = threading.Event()
    thread = threading.Thread(target=beat_forever, args=("celery@blip", stop), daemon=True)
    with override_settings(CACHES=unreachable):
        thread.start()
        thread.join(timeout=2.5)  # a few failed writes, each caught and tried again a second later
        assert thread.is_alive()
    deadline = time.monotonic() + 5
    while not worker_alive("celery@blip") and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    thread.join(timeout=5)
    assert worker_alive("celery@blip")
    assert not thread.is_alive()


def test_a_worker_is_alive_while_its_own_key_lives_even_if_the_registry_lost_its_name():
    record_worker_heartbeat("celery@one")
    cache.delete("iomborder:workers")
    assert worker_alive("celery@one")
    record_worker_heartbeat("celery@two")
    assert live_workers() == {"celery@two"}  # listed again on its next beat


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_it_answers_503_naming_the_broker_when_it_is_unreachable(client):
    record_worker_heartbeat("celery@test")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["broker"]
    assert "error" in body["broker"]
