"""Reports of other kinds than a review's own text, made by the apps above reports through the same pipeline
(the job, the content fixed when asked for, the cache by content, the worker, the download): each app registers
how to fix its content and how to render it, and who may have it."""

from collections.abc import Callable
from dataclasses import dataclass

from reviews.permissions import Perm

REVIEW = "review"  # the review's own report (reports.services.report_content), not registered here


@dataclass(frozen=True)
class ReportKind:
    name: str  # kept in ReportJob.kind
    label: object  # what the report list calls it (a lazy translation)
    content: Callable  # (review) -> a JSON-ready dict, fixed when the report is asked for
    render_html: Callable  # (content, language=, edition=) -> the HTML that WeasyPrint lays out
    readable_with: Perm  # besides DOWNLOAD_REPORT, what a person needs on the review to ask for it and have it


KINDS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> None:
    KINDS[kind.name] = kind


@dataclass(frozen=True)
class ReportSection:
    """A chapter an app above adds to a review's own report (before the annex), when it has something to say."""

    name: str  # its anchor in the report
    title: object  # its heading and contents entry (a lazy translation)
    content: Callable  # (review) -> a JSON-ready dict, or None to leave the chapter out; fixed when asked for
    context: Callable  # (content, snapshot=, language=, edition=) -> what its template shows
    template: str


SECTIONS: dict[str, ReportSection] = {}


def register_section(section: ReportSection) -> None:
    SECTIONS[section.name] = section
