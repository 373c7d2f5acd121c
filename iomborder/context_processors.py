from django.conf import settings


def site(request):
    return {"LANGUAGES": settings.LANGUAGES, "DEBUG": settings.DEBUG}
