"""The review page's sections that the apps above reviews contribute (the consultation, the reports): reviews
shows them without importing those apps. Each panel takes the request and the review and returns what it adds
to the page's context (nothing for a person who may not see it)."""

from collections.abc import Callable

PANELS: list[Callable] = []


def register(panel: Callable) -> None:
    if panel not in PANELS:
        PANELS.append(panel)


def panels_context(request, review) -> dict:
    context = {}
    for panel in PANELS:
        context.update(panel(request, review))
    return context
