"""Sending a Celery task to the broker the settings name, without waiting long when it is down.

Tasks are named, not imported: a service queues "reviews.render_report" without importing the module that
defines it (which imports the service), so tasks and services never import each other in a circle."""

import logging

from celery import current_app
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction

logger = logging.getLogger(__name__)

# The options of a task that works on a file (a report, an uploaded Word file, a law to split): its message is
# acknowledged only when it ends and given back if the worker dies; below the broker's visibility timeout; a
# database away is tried again.
FILE_TASK = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "soft_time_limit": settings.CELERY_TASK_SOFT_TIME_LIMIT,
    "time_limit": settings.CELERY_TASK_TIME_LIMIT,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 5,
    "max_retries": 3,
}


def queue(task_name: str, *args) -> bool:
    """Send the task named so; False (and a warning) if the broker cannot be reached. Call it on commit."""
    if current_app.conf.task_always_eager:  # Celery's own switch (tests): run it here, as apply_async would
        current_app.loader.import_default_modules()  # the tasks' modules, as a worker imports them
        current_app.tasks[task_name].apply(args=args, throw=True)
        return True
    try:
        with current_app.connection_for_write(url=settings.CELERY_BROKER_URL) as connection:
            current_app.send_task(
                task_name,
                args=args,
                connection=connection,
                retry=True,
                retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5},
            )
    except Exception as exc:
        logger.warning("task %s%r could not be queued: %s", task_name, args, exc)
        return False
    return True


def queue_on_commit(task_name: str, *args) -> None:
    """Queue the task once the transaction commits: a worker never looks for a row not yet written."""
    transaction.on_commit(lambda: queue(task_name, *args))
