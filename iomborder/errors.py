"""The error pages: 500, and 503 when the database (or the cache) is briefly out of reach.

They render without the database: no signed-in user, no session, a template that extends nothing."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from core.http import is_htmx
from iomborder.middleware import not_done

RETRY_AFTER = "30"
OUTAGES = (OperationalError, InterfaceError)


def _is_outage(exc: BaseException | None) -> bool:
    """A database error of connection rather than of a query: the server or the network is away."""
    while exc is not None:
        if isinstance(exc, OUTAGES):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500, called while the exception is being handled."""
    if _is_outage(sys.exc_info()[1]):
        message = _("The service is briefly unavailable. Nothing you sent was lost; try again in a minute.")
        if _wants_json(request):
            response = JsonResponse({"detail": message, "code": "service_unavailable"}, status=503)
        else:
            response = HttpResponse(render_to_string("503.html", {"message": message}), status=503)
        response["Retry-After"] = RETRY_AFTER
        return response
    if _wants_json(request):
        return JsonResponse({"detail": _("Something went wrong on our side; it was logged.")}, status=500)
    return HttpResponse(render_to_string("500.html"), status=500)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """Django's handler404: JSON under /api/, else a page in the reader's language."""
    if _wants_json(request):
        return JsonResponse({"detail": _("Not found."), "code": "not_found"}, status=404)
    return HttpResponse(render_to_string("404.html", request=request), status=404)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    """Django's handler403: JSON under /api/, else a page in the reader's language that says what to do."""
    message = _("You may not do this here. If you think you should, ask the review's team or an administrator.")
    if _wants_json(request):
        return JsonResponse({"detail": message, "code": "permission_denied"}, status=403)
    if is_htmx(request):  # in the page's banner, not a page in place of what htmx asked for
        return not_done(escape(message), status=403)
    return HttpResponse(render_to_string("403.html", {"message": message}, request=request), status=403)


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check (CSRF_FAILURE_VIEW): most often a page left open past the session."""
    message = _(
        "This form was refused because the page was open too long or you signed in again meanwhile. Go back, "
        "reload the page and send it again: what you typed is still in the page you left."
    )
    if _wants_json(request):
        return JsonResponse({"detail": message, "code": "csrf_failed"}, status=403)
    if is_htmx(request):  # an autosave, a card's form: a line in the page's banner, not a page in place of it
        return not_done(render_to_string("includes/not_done.html", {"reason": "csrf"}, request=request), status=403)
    return HttpResponse(render_to_string("403.html", {"message": message}, request=request), status=403)
