import datetime
import logging
import socket
from contextlib import contextmanager

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init, worker_ready
from django.conf import settings
from django.db import InterfaceError, OperationalError

from core.queue import FILE_TASK
from reports import parts
from reports.models import ReportJob
from reports.services import (
    html_to_pdf,
    report_failed,
    report_failed_when_database_returns,
    report_render,
    requeue_abandoned_reports,
    word_import_failed,
    word_import_read,
)

logger = logging.getLogger(__name__)


# The message is acknowledged only when the task ends, and given back if the worker dies: a job is never lost with
# a worker. One message is prefetched per process (CELERY_WORKER_PREFETCH_MULTIPLIER). Below the broker's
# visibility timeout (settings), so a running job is not handed to a second worker.
@shared_task(bind=True, name="reviews.render_report", **FILE_TASK)
def render_report(self, job_id: int) -> int:
    with failures_reported(self, job_id):
        if report_render(job_id, worker=self.request.hostname or ""):
            parts.start(ReportJob.objects.get(pk=job_id))  # a long report: its parts go to every worker
    return job_id


# A long report's parts (reports/parts.py): the same acknowledgement and retries as a whole report.
@shared_task(bind=True, name="reports.render_part", **FILE_TASK)
def render_part(self, job_id: int, index: int, stage: int) -> None:
    with failures_reported(self, job_id):
        parts.part_run(job_id, index, stage, worker=self.request.hostname or "")


@shared_task(bind=True, name="reports.merge_parts", **FILE_TASK)
def merge_parts(self, job_id: int) -> None:
    with failures_reported(self, job_id):
        parts.merge(job_id, worker=self.request.hostname or "")


@contextmanager
def failures_reported(task, job_id: int):
    """A rendering that fails marks its job failed, with the reason people are told (and a long report's parts
    are discarded); a database away is retried, then waited for."""
    try:
        yield
    except SoftTimeLimitExceeded:
        failed(job_id, ReportJob.Error.TIMEOUT)
    except (OperationalError, InterfaceError):
        if task.request.retries >= task.max_retries:
            # The database is still away: the job is marked failed as soon as it is back, not when the beat
            # task finds it stale minutes later.
            report_failed_when_database_returns(job_id, ReportJob.Error.RENDER)
            return
        raise
    except Exception:
        logger.exception("report job %s failed", job_id)
        failed(job_id, ReportJob.Error.RENDER)


def failed(job_id: int, error: str) -> None:
    report_failed(job_id, error)
    parts.discard(job_id)


@shared_task(name="reports.read_word_import", **FILE_TASK)
def read_word_import(import_id: int) -> None:
    try:
        word_import_read(import_id)
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        logger.exception("Word import %s could not be read", import_id)
        word_import_failed(import_id)


@shared_task(name="reviews.requeue_abandoned_reports", ignore_result=True)
def requeue_abandoned() -> None:
    requeued = requeue_abandoned_reports() + requeue_abandoned_parts()
    if requeued:
        logger.warning("requeued report jobs abandoned by a dead worker: %s", requeued)


def requeue_abandoned_parts(dead_workers: set[str] | None = None) -> list[int]:
    limit = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    return parts.requeue_abandoned_parts(dead_workers=dead_workers, older_than=limit)


@worker_ready.connect
def requeue_the_jobs_of_a_replaced_worker(sender, **kwargs) -> None:
    """A worker that starts under the name of one that was rendering has replaced it: that one is dead, so its
    jobs are queued again instead of waiting for the broker to give their messages back."""
    hostname = getattr(sender, "hostname", None) or socket.gethostname()
    try:
        requeue_abandoned_reports(dead_workers={hostname})
        requeue_abandoned_parts(dead_workers={hostname})
    except Exception:  # the worker still serves: the beat task will try again in a minute
        logger.exception("could not requeue abandoned report jobs")


@worker_process_init.connect
def warm_the_pdf_engine(**kwargs) -> None:
    """Each worker process imports WeasyPrint and lays out a line of text when it starts, so that its first
    report does not also pay for the import and the font setup (1.2 s and more on this machine)."""
    try:
        html_to_pdf("<p>iomborder</p>")
    except Exception:  # a worker that cannot warm up still serves; its first report will say what is wrong
        logger.exception("could not warm up the PDF engine")
