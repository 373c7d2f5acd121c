"""Sign-in defences shared by the pages and the API: the client's address, and the lockout answer."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed sign-ins for this account or from this address. Wait %(minutes)d minutes and try again, "
        "or ask the IOM team to unlock it."
    ) % {"minutes": minutes}


def locked_out(request: HttpRequest, response=None, credentials=None, as_json: bool = False) -> HttpResponse:
    """What a locked-out account or address is told: plainly, with how long to wait, and with 429."""
    message = lockout_message()
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if as_json:
        answer = JsonResponse({"error": message, "code": "locked_out"}, status=429)
    elif request.path.startswith("/api/"):
        answer = JsonResponse({"detail": message, "code": "locked_out"}, status=429)
    else:
        answer = render(request, "registration/locked_out.html", {"message": message}, status=429)
    answer["Retry-After"] = retry_after
    return answer
