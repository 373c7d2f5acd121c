from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

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
