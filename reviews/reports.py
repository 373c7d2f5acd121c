"""Recommendation reports: from a review's snapshot to a PDF, and the jobs that render them.

The report is a Django template rendered in the review's language and laid out by WeasyPrint. A job's content
hash covers the snapshot, the language, the edition and the template: a report whose content has not changed
is served from the stored file instead of being rendered again.
"""

import datetime
import hashlib
import json
import logging
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.translation import gettext as _

from core.queue import queue
from core.workers import worker_alive
from reviews.consultation import threads_of_round
from reviews.markup import render_comment
from reviews.models import Comment, DraftVersion, Rating, Recommendation, ReportJob, ReviewCycle
from reviews.permissions import Perm, has_perm
from reviews.snapshots import ALIGNMENT_REFERENCES, build_snapshot, for_edition, pick, threads_for_edition

logger = logging.getLogger(__name__)

TEMPLATES = [Path(settings.BASE_DIR) / "templates" / "reports" / name for name in ("report.html", "report.css")]


def _template_version() -> str:
    digest = hashlib.sha256()
    for path in TEMPLATES:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


TEMPLATE_VERSION = _template_version()


# The report's content ------------------------------------------------------------------------------------


@dataclass
class ChartRow:
    label: str
    mean: Decimal | None
    assessed: int


def _wrap(label: str, width: int = 30) -> list[str]:
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line][:3]


def ratings_chart_svg(rows: list[ChartRow]) -> str:
    """A horizontal bar chart of the mean rating (0 to 4) per support area, as SVG made on the server."""
    label_width, bar_width, row_height, top = 230, 330, 42, 30
    height = top + row_height * len(rows) + 10
    width = label_width + bar_width + 60
    title = escape(_("Mean rating per support area"))  # outside the f-string, where gettext's tools find it
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{title}" class="ratings-chart">'
    ]
    for tick in range(5):
        x = label_width + bar_width * tick / 4
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{height - 10}" stroke="#d8dde6" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{top - 14}" font-size="11" text-anchor="middle" fill="#5a6270">{tick}</text>'
        )
    for index, row in enumerate(rows):
        y = top + index * row_height
        lines = _wrap(row.label)
        first = y + 24 - 7 * (len(lines) - 1)
        tspans = "".join(
            f'<tspan x="{label_width - 10}" y="{first + 14 * n}">{escape(line)}</tspan>' for n, line in enumerate(lines)
        )
        parts.append(f'<text font-size="12" text-anchor="end" fill="#1b1f24">{tspans}</text>')
        if row.mean is None:
            not_rated = escape(_("not rated"))
            parts.append(f'<text x="{label_width + 6}" y="{y + 24}" font-size="11" fill="#5a6270">{not_rated}</text>')
            continue
        length = bar_width * float(row.mean) / 4
        value = number_format(row.mean, 1)
        parts.append(
            f'<rect x="{label_width}" y="{y + 11}" width="{length:.1f}" height="18" rx="2" fill="#0033a0"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + 24}" font-size="11" fill="#1b1f24">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _mean(values) -> Decimal | None:
    """The mean rating, rounded once, half up, to the one decimal every place shows (summary, chart, tables)."""
    values = list(values)
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), ROUND_HALF_UP)


FINAL_STATES = (ReviewCycle.State.FINAL, ReviewCycle.State.FOLLOW_UP)


def report_context(
    snapshot: dict,
    *,
    language: str,
    edition: str,
    draft_number: int | None,
    generated_at: datetime.datetime,
    is_final: bool = False,
) -> dict:
    """Everything the report template shows, in `language` (call it with that language active)."""
    public = edition == ReportJob.Edition.PUBLIC
    shown, left_out = for_edition(snapshot, edition)
    assessments, recommendations = shown["assessments"], [dict(r) for r in shown["recommendations"]]
    areas = {a["code"]: pick(a["name"], language) for a in snapshot["support_areas"]}
    themes = {t["code"]: pick(t["name"], language) for t in snapshot["thematic_areas"]}
    references = {r["code"]: {**r, "label": pick(r["name"], language)} for r in snapshot["references"]}
    instruments = {i["id"]: i for i in snapshot["instruments"]}
    rating_labels = dict(Rating.choices)
    priorities, time_frames = dict(Recommendation.Priority.choices), dict(Recommendation.TimeFrame.choices)

    for number, rec in enumerate(recommendations, start=1):
        rec["number"] = f"R{number}"
    by_area = []
    for area in snapshot["support_areas"]:
        code = area["code"]
        findings = [
            {
                **a,
                "title_text": pick(a["title"], language),
                "rating_label": _("Not applicable")
                if a["not_applicable"]
                else rating_labels.get(a["rating"], _("Not rated")),
                "evidence_titles": [instruments[i]["title"] for i in a["evidence"] if i in instruments],
            }
            for a in assessments
            if a["support_area"] == code
        ]
        recs = [
            {
                **r,
                "priority_label": priorities[r["priority"]],
                "time_frame_label": time_frames[r["time_frame"]],
                "thematic_label": themes.get(r["thematic_area"], ""),
            }
            for r in recommendations
            if r["support_area"] == code
        ]
        rated = [a["rating"] for a in findings if a["rating"] is not None]
        by_area.append(
            {
                "code": code,
                "name": areas[code],
                "description": pick(area["description"], language),
                "findings": findings,
                "recommendations": recs,
                "mean": _mean(rated),
                "assessed": len(rated),
            }
        )

    all_rated = [a["rating"] for a in assessments if a["rating"] is not None]
    rated_areas = [a for a in by_area if a["mean"] is not None]
    strongest = max(rated_areas, key=lambda a: a["mean"], default=None)
    weakest = min(rated_areas, key=lambda a: a["mean"], default=None)
    priority_counts = Counter(r["priority"] for r in recommendations)

    matrix = defaultdict(Counter)
    for rec in recommendations:
        matrix[rec["thematic_area"]][rec["support_area"]] += 1
    matrix_rows = [
        {
            "label": themes.get(theme, _("No thematic area")),
            "cells": [matrix[theme][area["code"]] for area in by_area],
            "total": sum(matrix[theme].values()),
            "high": sum(1 for r in recommendations if r["thematic_area"] == theme and r["priority"] == "high"),
        }
        for theme in [*themes, None]
        if matrix[theme]
    ]

    alignment = []
    for code in ALIGNMENT_REFERENCES:
        if code not in references:
            continue
        linked_criteria = [a for a in assessments if code in a["references"]]
        linked_recs = [r for r in recommendations if code in r["references"]]
        alignment.append(
            {
                "label": references[code]["label"],
                "description": pick(references[code]["description"], language),
                "criteria": [a["criterion"] for a in linked_criteria],
                "mean": _mean(a["rating"] for a in linked_criteria if a["rating"] is not None),
                "recommendations": [r["number"] for r in linked_recs],
            }
        )

    instrument_types = dict(_instrument_types())
    statuses = dict(_instrument_statuses())
    annex = [
        {
            "name": area["name"],
            "instruments": [
                {
                    **i,
                    "type_label": instrument_types.get(i["type"], i["type"]),
                    "status_label": statuses.get(i["status"]),
                }
                for i in snapshot["instruments"]
                if i["support_area"] == area["code"]
            ],
        }
        for area in by_area
    ]

    review = snapshot["review"]
    return {
        "language": language,
        "review": review,
        "state_name": pick(review["member_state"]["name"], language),
        "framework_name": pick(review["framework"]["name"], language),
        "draft_number": draft_number,
        "is_draft": draft_number is not None,
        # The current text of a review not yet validated: marked as a working version, never as final.
        "is_working": draft_number is None and not is_final,
        "is_public": public,
        "left_out": left_out,
        "generated_at": generated_at,
        "areas": by_area,
        "themes_in_scope": [themes[c] for c in review["thematic_areas"] if c in themes],
        "criteria_count": len(assessments),
        "assessed_count": sum(1 for a in assessments if a["rating"] is not None or a["not_applicable"]),
        "overall_mean": _mean(all_rated),
        "strongest": strongest,
        "weakest": weakest if weakest is not strongest else None,
        "recommendations": [r for area in by_area for r in area["recommendations"]],
        "priority_counts": {key: priority_counts.get(key, 0) for key in ("high", "medium", "low")},
        "chart_svg": ratings_chart_svg([ChartRow(a["name"], a["mean"], a["assessed"]) for a in by_area]),
        "scale": Rating.choices,
        "matrix_columns": [a["name"] for a in by_area],
        "matrix_rows": matrix_rows,
        "alignment": alignment,
        "annex": annex,
    }


def _instrument_types():
    from frameworks.models import NationalInstrument

    return NationalInstrument.Type.choices


def _instrument_statuses():
    from frameworks.models import NationalInstrument

    return NationalInstrument.Status.choices


def render_report_html(content: dict, *, language: str, edition: str) -> str:
    """The report's HTML from a job's content (see report_content), in `language`, for the edition."""
    snapshot = content["snapshot"]
    with translation.override(language):
        context = report_context(
            snapshot,
            language=language,
            edition=edition,
            draft_number=content["draft_number"],
            generated_at=timezone.now(),
            is_final=content["is_final"],
        )
        context["approval"] = _approval_context(content.get("approval"))
        statuses = dict(Comment.Status.choices)
        context["threads"] = [
            {**t, "status_label": statuses[t["status"]]}
            for t in threads_for_edition(content["threads"], snapshot, edition)
        ]
        return render_to_string("reports/report.html", context)


def _approval_context(approval: dict | None) -> dict | None:
    if not approval:
        return None
    return {
        **approval,
        "approved_at": datetime.datetime.fromisoformat(approval["approved_at"]),
        "validations": [
            {
                **v,
                "who": ", ".join(filter(None, [v["validated_by_name"], v["validated_by_title"]])),
                "validated_on": datetime.date.fromisoformat(v["validated_on"]),
            }
            for v in approval["validations"]
        ],
    }


STATIC_DIR = (Path(settings.BASE_DIR) / "static").resolve()


def report_url_fetcher():
    """WeasyPrint's fetcher, allowed `data:` URLs and the project's own static files only: whatever markup a
    report holds, nothing is fetched over the network and no other file of the machine is read or attached."""
    from weasyprint.urls import URLFetcher

    class ReportURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.lower().startswith("file:"):
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if not path.is_relative_to(STATIC_DIR):
                    raise ValueError(f"not a static file of the project: {url}")
            return super().fetch(url, headers)

    return ReportURLFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: the web processes never lay out PDFs

    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=report_url_fetcher()).write_pdf()


def ratings_chart_for_review(review: ReviewCycle) -> str:
    """The chart of the report, for the review page, from the review's current state."""
    snapshot = build_snapshot(review)
    language = translation.get_language() or settings.LANGUAGE_CODE
    areas = report_context(
        snapshot, language=language[:2], edition=ReportJob.Edition.FULL, draft_number=None, generated_at=timezone.now()
    )["areas"]
    return ratings_chart_svg([ChartRow(a["name"], a["mean"], a["assessed"]) for a in areas])


# Jobs ------------------------------------------------------------------------------------------------


class ReportQueueUnavailable(Exception):
    """The broker cannot be reached: the job is kept as failed with a message, and can be asked for again."""


def content_hash(content: dict, *, language: str, edition: str) -> str:
    payload = json.dumps(
        {"content": content, "language": language, "edition": edition, "template": TEMPLATE_VERSION},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def can_download(user, job: ReportJob) -> bool:
    """The team and managers download every report of the review; counterparts only drafts published to them."""
    review = job.review
    if not has_perm(user, review, Perm.DOWNLOAD_REPORT):
        return False
    # The working state (final report) is for the team and managers; counterparts get published drafts.
    return has_perm(user, review, Perm.VIEW) or job.draft_id is not None


def consultation_threads(draft: DraftVersion | None) -> list[dict]:
    """The threads on a draft, with their answers, for the draft's report (their text sanitised)."""
    if draft is None:
        return []
    threads = threads_of_round(draft)
    return [
        {
            "target_type": t.target_type,
            "target_key": t.target_key,
            "item": f"{t.get_target_type_display()} {t.target_key}".strip(),
            "quote": t.quote_exact,
            "body_html": str(render_comment(t.body)),
            "author": str(t.author),
            "status": t.status,
            "answer": t.answer,
        }
        for t in threads
    ]


def approved_draft(review: ReviewCycle) -> DraftVersion | None:
    """The draft a manager approved for release last: the text of the final report."""
    return review.drafts.filter(approved_at__isnull=False).select_related("approved_by").order_by("-number").first()


def report_content(review: ReviewCycle, draft: DraftVersion | None) -> dict:
    """What a report job renders, fixed when the report is asked for: a later edit never changes it.

    A draft's report is its snapshot with the threads on it; the final report is the approved draft's
    snapshot with who approved it and the Government's validation; otherwise the current working text.
    """
    content = {"snapshot": None, "draft_number": None, "is_final": False, "approval": None, "threads": []}
    if draft is not None:
        return {
            **content,
            "snapshot": draft.snapshot,
            "draft_number": draft.number,
            "threads": consultation_threads(draft),
        }
    approved = approved_draft(review) if review.state in FINAL_STATES else None
    if approved is None:
        return {**content, "snapshot": build_snapshot(review)}
    validations = review.state_validations.filter(draft=approved).order_by("validated_on", "pk")
    return {
        **content,
        "snapshot": approved.snapshot,
        "is_final": True,
        "approval": {
            "draft_number": approved.number,
            "approved_by": str(approved.approved_by),
            "approved_at": approved.approved_at.isoformat(),
            "validations": [
                {
                    "validated_by_name": v.validated_by_name,
                    "validated_by_title": v.validated_by_title,
                    "validated_on": v.validated_on.isoformat(),
                    "reference": v.reference,
                }
                for v in validations
            ],
        },
    }


def download_name(job: ReportJob) -> str:
    kind = f"draft-{job.draft.number}" if job.draft_id else "report"
    return f"{job.review.member_state.code}-{kind}-{job.language}-{job.edition}.pdf"


PENDING = (ReportJob.State.QUEUED, ReportJob.State.RENDERING)


@transaction.atomic
def report_request(*, review: ReviewCycle, by, draft: DraftVersion | None = None, edition: str = "full") -> ReportJob:
    """Ask for a report of the text as it is now. An identical report already rendered is reused at once, one
    being rendered is shared; otherwise a worker renders exactly the content fixed here."""
    if not has_perm(by, review, Perm.DOWNLOAD_REPORT):
        raise PermissionDenied
    if draft is None and not has_perm(by, review, Perm.VIEW):
        raise PermissionDenied  # counterparts see the published drafts only
    if draft is not None and draft.review_id != review.pk:
        raise ValidationError(_("This draft belongs to another review."))
    if edition not in ReportJob.Edition.values:
        raise ValidationError({"edition": _("Choose the full or the public edition.")})
    language = review.report_language
    content = report_content(review, draft)
    digest = content_hash(content, language=language, edition=edition)
    job = ReportJob(
        review=review, draft=draft, edition=edition, language=language, requested_by=by, content_hash=digest
    )
    rendered = ReportJob.objects.filter(content_hash=digest, state=ReportJob.State.READY).order_by("-pk").first()
    if rendered and rendered.file and default_storage.exists(rendered.file.name):
        job.file.name = rendered.file.name
        job.state, job.progress, job.finished_at = ReportJob.State.READY, 100, timezone.now()
        job.save()
        return job
    pending = ReportJob.objects.filter(content_hash=digest, state__in=PENDING).first()
    if pending is not None:
        return pending  # the same report is on its way: one rendering serves both
    job.content = content
    try:
        with transaction.atomic():  # the constraint on pending hashes: two identical requests at once
            job.save()
    except IntegrityError:
        return ReportJob.objects.get(content_hash=digest, state__in=PENDING)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    if not queue("reviews.render_report", job_id):
        report_failed(job_id, ReportJob.Error.QUEUE)


def _stored_name(job: ReportJob) -> str:
    kind = f"draft-{job.draft.number}" if job.draft_id else "current"
    return f"reports/review-{job.review_id}/{kind}-{job.language}-{job.edition}-{job.content_hash[:20]}.pdf"


def report_render(job_id: int, *, worker: str = "") -> None:
    """Render a job's PDF and store it. Safe to run twice: a ready job, or a file already stored, is reused."""
    with transaction.atomic():
        # Lock the job: a redelivered message and a recovery must not render the same job at once.
        job = ReportJob.objects.select_for_update(of=("self",)).select_related("review", "draft").get(pk=job_id)
        if job.state == ReportJob.State.READY:
            return
        if job.state == ReportJob.State.RENDERING and job.worker not in ("", worker) and worker_alive(job.worker):
            return  # a second message for a job a live worker is rendering (a requeue that crossed it)
        job.state, job.progress, job.started_at, job.worker = ReportJob.State.RENDERING, 5, timezone.now(), worker
        job.error = ""  # a job asked again after a failure starts clean
        job.save(update_fields=["state", "progress", "started_at", "worker", "error"])
    name = _stored_name(job)
    if not default_storage.exists(name):
        _progress(job, 20)
        # Jobs asked for before contents were kept with them (none is left after a deploy's queue drains).
        content = job.content or report_content(job.review, job.draft)
        html = render_report_html(content, language=job.language, edition=job.edition)
        _progress(job, 40)
        pdf = html_to_pdf(html)
        _progress(job, 90)
        # Stored under a name made from the content hash: a second run finds it instead of storing a copy.
        if not default_storage.exists(name):
            saved = default_storage.save(name, ContentFile(pdf))
            if saved != name:  # another run stored it first, between our check and our save
                default_storage.delete(saved)
    ReportJob.objects.filter(pk=job.pk).update(
        file=name, state=ReportJob.State.READY, progress=100, finished_at=timezone.now()
    )


def _progress(job: ReportJob, percent: int) -> None:
    ReportJob.objects.filter(pk=job.pk).update(progress=percent)


def report_failed(job_id: int, error: str) -> None:
    ReportJob.objects.filter(pk=job_id).exclude(state=ReportJob.State.READY).update(
        state=ReportJob.State.FAILED, error=error, finished_at=timezone.now()
    )


def report_failed_when_database_returns(
    job_id: int, error: str, *, patience: float | None = None, first_wait: float = 1.0
) -> bool:
    """Mark a job failed, waiting for the database to come back (up to `patience` seconds, by default the task's
    soft time limit): a fresh connection each try, one second apart, then two, four... up to thirty."""
    deadline = time.monotonic() + (settings.CELERY_TASK_SOFT_TIME_LIMIT if patience is None else patience)
    wait = first_wait
    while True:
        try:
            with transaction.atomic():  # a failed try leaves no broken transaction behind it
                report_failed(job_id, error)
            return True
        except (OperationalError, InterfaceError):
            if not connection.in_atomic_block:
                connection.close()  # the next try opens a fresh connection
            if time.monotonic() + wait > deadline:
                logger.error("report job %s could not be marked failed: the database did not come back", job_id)
                return False
            time.sleep(wait)
            wait = min(wait * 2, 30.0)


def requeue_abandoned_reports(
    *, dead_workers: set[str] | None = None, older_than: datetime.timedelta | None = None
) -> list[int]:
    """Queue again the jobs left in rendering by a worker that died (or that has rendered for too long)."""
    now = timezone.now()
    limit = older_than or datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    abandoned = [
        job.pk
        for job in ReportJob.objects.filter(state=ReportJob.State.RENDERING).only("pk", "worker", "started_at")
        if (dead_workers and job.worker in dead_workers)
        or (job.worker and not worker_alive(job.worker))
        or (job.started_at and now - job.started_at > limit)
    ]
    # Queued for longer than a rendering may take: the broker lost the message (a Redis restarted empty).
    # Sending it again is safe: a job rendering on a live worker, or ready, is not rendered twice.
    lost = ReportJob.objects.filter(state=ReportJob.State.QUEUED, created_at__lt=now - limit).values_list(
        "pk", flat=True
    )
    ReportJob.objects.filter(pk__in=abandoned, state=ReportJob.State.RENDERING).update(
        state=ReportJob.State.QUEUED, progress=0, worker=""
    )
    requeued = [*abandoned, *lost]
    for job_id in requeued:
        _enqueue(job_id)
    return requeued
