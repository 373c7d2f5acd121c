"""GET /healthz: the state of the database, the broker and the workers, for people and for probes."""

import hmac

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.workers import live_workers


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True, "vendor": connection.vendor}


def _broker() -> dict:
    from iomborder.celery import app

    with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        transport = conn.transport_cls
    return {"ok": True, "transport": str(transport)}


def _workers() -> dict:
    alive = sorted(live_workers())
    return {"ok": bool(alive), "alive": alive}


CHECKS = {"database": _database, "broker": _broker, "workers": _workers}


LOOPBACK = {"127.0.0.1", "::1"}


def _may_see_details(request) -> bool:
    """Probes on the machine itself, or whoever holds HEALTHZ_TOKEN; the outside sees the status code only."""
    if request.META.get("REMOTE_ADDR") in LOOPBACK:
        return True
    token = settings.HEALTHZ_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


@never_cache
@require_GET
def healthz(request):
    report = {}
    for name, check in CHECKS.items():
        try:
            report[name] = check()
        except Exception as exc:
            report[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    down = [name for name, result in report.items() if not result["ok"]]
    status = 503 if down else 200
    if not _may_see_details(request):
        return JsonResponse({"status": "down" if down else "ok"}, status=status)
    body = {"status": "down" if down else "ok", "down": down, **report}
    return JsonResponse(body, status=status)
