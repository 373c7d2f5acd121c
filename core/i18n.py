"""Reference data carries its text in the three interface languages, in columns such as name_en, name_fr, name_es."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def current_language() -> str:
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    return language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE


class TranslatedModel(models.Model):
    class Meta:
        abstract = True

    def translated(self, field: str, language: str | None = None) -> str:
        """The field's text in the given (or active) language, falling back to English when it is empty."""
        language = language or current_language()
        return getattr(self, f"{field}_{language}", "") or getattr(self, f"{field}_{settings.LANGUAGE_CODE}")
