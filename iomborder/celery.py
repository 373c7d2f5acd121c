"""The Celery application, configured from Django's settings (the CELERY_ names)."""

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
    from core.workers import beat_forever

    hostname = getattr(sender, "hostname", None) or socket.gethostname()
    threading.Thread(
        target=beat_forever, args=(hostname, _stop_heartbeat), name="iomborder-heartbeat", daemon=True
    ).start()


@worker_shutdown.connect
def _stop(sender=None, **kwargs) -> None:
    _stop_heartbeat.set()
