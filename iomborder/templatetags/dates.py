"""Dates and times as the reader reads them: in their language's format, with the time zone named."""

from django import template
from django.template.defaultfilters import date, time

register = template.Library()


@register.filter(expects_localtime=True)
def when(value) -> str:
    """A moment: the short date and time of the active language, then the time zone ("28/11/2026 18:40 UTC")."""
    if not value:
        return ""
    return f"{date(value, 'SHORT_DATETIME_FORMAT')} {date(value, 'T')}"


@register.filter(expects_localtime=True)
def clock(value) -> str:
    """A time of day with its time zone ("18:40 UTC")."""
    if not value:
        return ""
    return f"{time(value, 'H:i')} {date(value, 'T')}"
