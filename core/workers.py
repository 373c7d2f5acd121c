"""Which Celery workers are alive, from the heartbeats they write to the shared cache (no Celery import here).

Each worker writes a key of its own, with a time-to-live of three intervals: a worker is alive while its key
exists. A registry key lists the names seen, so that /healthz can list them; whether a given worker is alive
is always read from its own key, so a worker is never taken for dead because the registry missed a write.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

PREFIX = "iomborder:worker:"
REGISTRY_KEY = "iomborder:workers"


def _key(hostname: str) -> str:
    return PREFIX + hostname


def _ttl() -> int:
    return 3 * settings.WORKER_HEARTBEAT_INTERVAL


def record_heartbeat(hostname: str) -> None:
    cache.set(_key(hostname), time.time(), timeout=_ttl())
    names = cache.get(REGISTRY_KEY) or set()
    if hostname not in names:
        # Read-modify-write: two workers registering at once may drop one name, written again on its next beat.
        cache.set(REGISTRY_KEY, {*names, hostname}, timeout=None)


def worker_alive(hostname: str) -> bool:
    return bool(hostname) and cache.get(_key(hostname)) is not None


def live_workers() -> set[str]:
    names = cache.get(REGISTRY_KEY) or set()
    beats = cache.get_many([_key(name) for name in names])
    alive = {name for name in names if _key(name) in beats}
    if len(alive) < len(names) and len(names) > 50:
        cache.set(REGISTRY_KEY, alive, timeout=None)  # forget long-gone names, so the registry does not grow
    return alive


def forget_all() -> None:
    """Tests: no worker known."""
    names = cache.get(REGISTRY_KEY) or set()
    cache.delete_many([_key(name) for name in names] + [REGISTRY_KEY])


def beat_forever(hostname: str, stop: threading.Event) -> None:
    """The heartbeat loop of a worker's thread. A failed write (Redis restarting, a network blip) is logged and
    tried again a second later, then at the usual interval: the thread never dies of it."""
    while not stop.is_set():
        try:
            record_heartbeat(hostname)
        except Exception:
            logger.warning("worker heartbeat not written; trying again", exc_info=True)
            stop.wait(1)
            continue
        stop.wait(settings.WORKER_HEARTBEAT_INTERVAL)
