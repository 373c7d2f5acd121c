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


# The criteria of a review that an app above marks, by the name the workspace's filter gives them (the
# consultation: "threads", those with open threads; "changed", those saved since the last draft). Each takes
# the review and returns the criteria's codes, or None when the mark does not apply yet (no draft).
CRITERION_MARKS: dict[str, Callable] = {}


def register_mark(name: str, marks: Callable) -> None:
    CRITERION_MARKS[name] = marks


def marked_criteria(review, name: str) -> set[str] | None:
    marks = CRITERION_MARKS.get(name)
    return marks(review) if marks else None
