"""What views share about HTTP."""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (it swaps a partial in; a plain form post gets a redirect)."""
    return request.headers.get("HX-Request") == "true"


def client_address(request: HttpRequest) -> str:
    """The address a request came from. Behind the proxy (BEHIND_TLS_PROXY), the one it appended last to
    X-Forwarded-For: what the client sent before it can be forged, what our proxy saw cannot."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


# A page with a form: shown with GET (and HEAD), sent with POST; any other method answers 405.
require_GET_or_POST = require_http_methods(["GET", "HEAD", "POST"])


def over_limit(request, scope: str, *, limit: int, seconds: int, key: str = "") -> bool:
    """Whether this address (and key) went past `limit` requests of a kind within `seconds`: counted in the
    shared cache, so every web process counts together. Links that carry a secret are throttled with it."""
    name = f"iomborder:rate:{scope}:{client_address(request)}:{key}"
    cache.add(name, 0, timeout=seconds)
    try:
        return cache.incr(name) > limit
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=seconds)
        return False


def too_many_message() -> str:
    return _("Too many attempts from your address: wait a few minutes and try again.")


def query_without_page(request: HttpRequest) -> str:
    """The page's query string without its page number: what a paginated list's links keep (its filters)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def url_prefix(name: str, *args) -> str:
    """The URL of a pattern ending in an object's id, up to that id: a page listing hundreds of objects writes
    `{{ prefix }}{{ pk }}/...` instead of one reverse() per object."""
    url = reverse(name, args=[*args, 0])
    return url[: url.rindex("/0/") + 1]
