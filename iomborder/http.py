"""What views share about HTTP."""

from django.core.cache import cache
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from iomborder.signin import client_address

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
