"""The Celery application, configured from Django's settings (the CELERY_ names)."""

import logging
import os
import socket
import threading
from pathlib import Path

from celery import Celery
from celery.signals import worker_ready, worker_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iomborder.settings")

app = Celery("iomborder")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

_stop_heartbeat = threading.Event()


def _ensure_broker_folders() -> None:
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _prepare_embedded_broker(sender, **kwargs) -> None:
    if str(sender.conf.broker_url).startswith("filesystem://"):
        _ensure_broker_folders()


@worker_ready.connect
def _start_heartbeat(sender, **kwargs) -> None:
    # /healthz reads this heartbeat from the shared cache; a worker that stops writing it is reported down.
    from iomborder.workers import beat_forever

    hostname = getattr(sender, "hostname", None) or socket.gethostname()
    threading.Thread(
        target=beat_forever, args=(hostname, _stop_heartbeat), name="iomborder-heartbeat", daemon=True
    ).start()

    # A worker that starts under the name of one that was rendering has replaced it: that one is dead,
    # so its jobs are queued again instead of waiting for the broker to give their messages back.
    from reviews.reports import requeue_abandoned_reports

    try:
        requeue_abandoned_reports(dead_workers={hostname})
    except Exception:  # the worker still serves: the beat task will try again in a minute
        logging.getLogger(__name__).exception("could not requeue abandoned report jobs")


@worker_shutdown.connect
def _stop(sender=None, **kwargs) -> None:
    _stop_heartbeat.set()
