from django.conf import settings
from django.utils.functional import SimpleLazyObject

from core.inbox import unread_count


def site(request):
    context = {"LANGUAGES": settings.LANGUAGES, "DEBUG": settings.DEBUG}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # Counted only if the page shows it (the header does): one query.
        context["unread_notifications"] = SimpleLazyObject(lambda: unread_count(user))
    return context
