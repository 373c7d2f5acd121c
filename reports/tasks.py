import logging
import socket

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init, worker_ready
from django.db import InterfaceError, OperationalError

from core.queue import FILE_TASK
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
    try:
        report_render(job_id, worker=self.request.hostname or "")
    except SoftTimeLimitExceeded:
        report_failed(job_id, ReportJob.Error.TIMEOUT)
    except (OperationalError, InterfaceError):
        if self.request.retries >= self.max_retries:
            # The database is still away: the job is marked failed as soon as it is back, not when the beat
            # task finds it stale minutes later.
            report_failed_when_database_returns(job_id, ReportJob.Error.RENDER)
            return job_id
        raise
    except Exception:
        logger.exception("report job %s failed", job_id)
        report_failed(job_id, ReportJob.Error.RENDER)
    return job_id


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
    requeued = requeue_abandoned_reports()
    if requeued:
        logger.warning("requeued report jobs abandoned by a dead worker: %s", requeued)


@worker_ready.connect
def requeue_the_jobs_of_a_replaced_worker(sender, **kwargs) -> None:
    """A worker that starts under the name of one that was rendering has replaced it: that one is dead, so its
    jobs are queued again instead of waiting for the broker to give their messages back."""
    hostname = getattr(sender, "hostname", None) or socket.gethostname()
    try:
        requeue_abandoned_reports(dead_workers={hostname})
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
