import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from core.queue import FILE_TASK
from reviews.provisions import provisions_split_failed, provisions_split_run

logger = logging.getLogger(__name__)


@shared_task(name="reviews.split_provisions", **FILE_TASK)
def split_provisions(split_id: int) -> None:
    """Split an instrument's file into articles (reviews.provisions): a file that cannot be split says so."""
    try:
        provisions_split_run(split_id)
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        logger.exception("instrument split %s failed", split_id)
        provisions_split_failed(split_id)
