import secrets
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError

from iomborder.tasks import PING_KEY, ping


class Command(BaseCommand):
    help = "Send a task through the broker and wait for a Celery worker to answer it."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=20.0, help="Seconds to wait (default 20).")

    def handle(self, *args, timeout, **options):
        token = secrets.token_hex(8)
        ping.delay(token)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            host = cache.get(PING_KEY.format(token=token))
            if host:
                self.stdout.write(self.style.SUCCESS(f"A worker on {host} answered."))
                return
            time.sleep(0.2)
        raise CommandError(f"No worker answered within {timeout:g} seconds: is a Celery worker running?")
