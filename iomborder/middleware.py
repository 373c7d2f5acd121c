import functools
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, resolve_url
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from core.http import is_htmx
from iomborder import two_factor
from iomborder.accounts import session_seen

# Scripts and styles come from our own static files only: no inline script, no CDN.
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)
# Swagger UI (the API documentation page) sets style attributes from its own script; scripts stay strict.
API_DOCS_POLICY = POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = API_DOCS_POLICY if request.path.startswith("/api/docs/") else POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        return response


class PrivatePagesMiddleware:
    """What a signed-in person is shown (pages, downloads, the API) is kept by no cache, shared or the browser's:
    `Cache-Control: private, no-store`. Static files are served before this, with their own long caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.META.get("HTTP_AUTHORIZATION"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class RequestSizeLimitMiddleware:
    """A body announced larger than MAX_REQUEST_BODY is refused with 413 before a byte of it is read; the
    reverse proxy refuses larger ones too (client_max_body_size), and buffers slow uploads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY:
            megabytes = settings.MAX_REQUEST_BODY // (1024 * 1024)
            return HttpResponse(
                _("The file or form sent is larger than %d MB and was not received.") % megabytes,
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class CompleteUploadMiddleware:
    """A form with a file is read before the view runs, and refused (400) if its body did not arrive whole.

    Django's parser drops a file cut short by a dropped connection and hands the view the rest of the form, so
    an instrument would be saved without its file. The body read is compared with the length announced."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ("POST", "PUT", "PATCH") or request.content_type != "multipart/form-data":
            return None
        try:
            request.POST  # noqa: B018 - parses the body, files included
        except MultiPartParserError:
            return self._refused(request)
        stream = getattr(request, "_stream", None)
        if isinstance(stream, LimitedStream) and stream._pos < stream.limit:
            return self._refused(request)
        return None

    @staticmethod
    def _refused(request):
        message = _("The file did not arrive whole, so nothing was saved. Send it again.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "code": "incomplete_upload"}, status=400)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


class PersonalPreferencesMiddleware:
    """A signed-in person's language and time zone (their preferences), for the whole request: the pages, the
    dates ("18:40 Europe/Paris") and what is queued from it. After the authentication; without a preference,
    the browser's language (LocaleMiddleware) and the site's time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        if user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        if user.time_zone:
            timezone.activate(ZoneInfo(user.time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class SessionSeenMiddleware:
    """A signed-in person's session keeps when it was last seen (iomborder.accounts.session_seen), for their list of
    sessions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            session_seen(request=request)
        return self.get_response(request)


class TwoFactorMiddleware:
    """A session signed in with the password alone that owes its second factor (iomborder.two_factor) reaches only
    the pages that settle it, and signing out; the API answers 403 until then."""

    OPEN = ("/accounts/two-factor/", "/accounts/logout/", "/static/", "/i18n/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        owed = request.session.get(two_factor.SESSION_KEY) if hasattr(request, "session") else None
        if owed and not request.path.startswith(self.OPEN) and request.user.is_authenticated:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Sign in with your second factor first.")}, status=403)
            page = "two_factor_setup" if owed == "enrol" else "two_factor_verify"
            return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


@functools.cache
def _sign_in_pages() -> frozenset[str]:
    return frozenset((resolve_url(settings.LOGIN_URL), reverse("two_factor_verify"), reverse("two_factor_setup")))


class HtmxSignInMiddleware:
    """A request of htmx (an autosave, a card's form, a part of a page) whose session has ended, or owes its second
    factor, is answered 401 with a line in the page's banner saying so and a link to sign in again in another tab,
    instead of a redirect to the sign-in page: htmx would follow it and put that whole page in place of a
    criterion's status, and the typing would count as saved. What was typed stays in the page, marked unsaved; the
    first change after signing in saves it. Before the pages' own middleware, to see the two-factor redirect too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_htmx(request) or response.status_code != 302:
            return response
        sign_in = urlsplit(response["Location"]).path
        if sign_in not in _sign_in_pages():
            return response
        # Back to the page the person is on after signing in, not to the address htmx asked for.
        page = request.headers.get("HX-Current-URL", "")
        if url_has_allowed_host_and_scheme(page, {request.get_host()}, require_https=request.is_secure()):
            parts = urlsplit(page)
            sign_in += "?" + urlencode({"next": parts.path + (f"?{parts.query}" if parts.query else "")})
        context = {"reason": "signed_out", "sign_in_url": sign_in}
        return not_done(render_to_string("includes/not_done.html", context, request=request), status=401)


def not_done(html: str, *, status: int) -> HttpResponse:
    """The answer to an htmx request that was not done: `html` (why) goes to the page's banner, not in place of
    the request's target, which may hold what the person typed (a card's form)."""
    response = HttpResponse(html, status=status)
    response["HX-Retarget"] = "#not-done"
    response["HX-Reswap"] = "innerHTML"
    return response
