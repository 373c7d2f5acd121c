import socket

from celery import shared_task
from django.core.cache import cache

PING_KEY = "iomborder:ping:{token}"


@shared_task(name="iomborder.ping", ignore_result=True, soft_time_limit=20, time_limit=30)
def ping(token: str) -> None:
    """Answer through the shared cache: proves a worker takes tasks from the broker and reaches the cache."""
    cache.set(PING_KEY.format(token=token), socket.gethostname(), timeout=300)
