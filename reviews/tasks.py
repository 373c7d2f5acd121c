import logging

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from reviews.provisions import provisions_split_failed, provisions_split_run

logger = logging.getLogger(__name__)


@shared_task(
    name="reviews.split_provisions",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    max_retries=3,
)
def split_provisions(split_id: int) -> None:
    """Split an instrument's file into articles (reviews.provisions): a file that cannot be split says so."""
    try:
        provisions_split_run(split_id)
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        logger.exception("instrument split %s failed", split_id)
        provisions_split_failed(split_id)
