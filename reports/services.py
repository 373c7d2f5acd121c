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
from django.utils.translation import gettext as _

from consultation.models import Comment, DraftVersion
from consultation.services import comment_create, comment_refusal, item_text, threads_of_round
from core.log import log_action
from core.queue import queue
from core.workers import live_workers, worker_alive
from reports import anchors, word_import
from reports.kinds import KINDS, REVIEW, SECTIONS
from reports.models import ReportJob, WordImport
from reviews.models import ReviewCycle
from reviews.permissions import Perm, has_perm
from reviews.reading import FINAL_STATES, report_context
from reviews.snapshots import build_snapshot, threads_for_edition

logger = logging.getLogger(__name__)

TEMPLATES = [
    Path(settings.BASE_DIR) / "templates" / "reports" / name
    for name in ("report.html", "report.css", "_summary.html", "_method.html")
] + [Path(settings.BASE_DIR) / "reports" / "word" / "iomborder.docx"]


def _template_version() -> str:
    digest = hashlib.sha256()
    for path in TEMPLATES:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


TEMPLATE_VERSION = _template_version()


def report_html_context(content: dict, *, language: str, edition: str) -> dict:
    """What the report shows from a job's content (see report_content), in `language` (call it with that language
    active), for the edition: the PDF's template and the Word document (reports/word.py) read the same."""
    snapshot = content["snapshot"]
    context = report_context(
        snapshot,
        language=language,
        edition=edition,
        draft_number=content["draft_number"],
        generated_at=timezone.now(),
        is_final=content["is_final"],
    )
    context["approval"] = _approval_context(content.get("approval"))
    context["previous"] = content.get("previous")
    statuses = dict(Comment.Status.choices)
    context["threads"] = [
        {**t, "status_label": statuses[t["status"]]} for t in threads_for_edition(content["threads"], snapshot, edition)
    ]
    context["sections"] = [
        {
            "id": name,
            "title": SECTIONS[name].title,
            "template": SECTIONS[name].template,
            **SECTIONS[name].context(data, snapshot=snapshot, language=language, edition=edition),
        }
        for name, data in content.get("sections", {}).items()
        if name in SECTIONS
    ]
    return context


def render_report_html(content: dict, *, language: str, edition: str) -> str:
    """The report's HTML from a job's content (see report_content), in `language`, for the edition."""
    with translation.override(language):
        return render_to_string("reports/report.html", report_html_context(content, language=language, edition=edition))


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


def html_to_document(html: str):
    """WeasyPrint's laid-out document (its pages, anchors, bookmarks and links), not yet written."""
    from weasyprint import HTML  # imported here: the web processes never lay out PDFs

    return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=report_url_fetcher()).render()


def html_to_pdf(html: str) -> bytes:
    return html_to_document(html).write_pdf()


# Jobs ------------------------------------------------------------------------------------------------


class ReportQueueUnavailable(Exception):
    """The broker cannot be reached: the job is kept as failed with a message, and can be asked for again."""


def content_hash(content: dict, *, language: str, edition: str, file_format: str = "pdf") -> str:
    payload = json.dumps(
        {
            "content": content,
            "language": language,
            "edition": edition,
            "template": TEMPLATE_VERSION,
            **({"format": file_format} if file_format != "pdf" else {}),  # a PDF's hash as before the Word export
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def can_download(user, job: ReportJob) -> bool:
    """The team and managers download every report of the review; counterparts only drafts published to them,
    and the reports of other kinds their kind gives them."""
    review = job.review
    if not has_perm(user, review, Perm.DOWNLOAD_REPORT):
        return False
    if job.kind != REVIEW:
        kind = KINDS.get(job.kind)
        return kind is not None and has_perm(user, review, kind.readable_with)
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
            "body_html": str(t.rendered()),
            "author": str(t.author),
            "status": t.status,
            "answer": t.answer,
            "created_at": t.created_at.isoformat(),
        }
        for t in threads
    ]


def approved_draft(review: ReviewCycle) -> DraftVersion | None:
    """The draft a manager approved for release last: the text of the final report."""
    return review.drafts.filter(approved_at__isnull=False).select_related("approved_by").order_by("-number").first()


def previous_texts(draft: DraftVersion) -> dict | None:
    """The texts of the draft before this one, which the Word export shows as tracked changes: findings by
    criterion, recommendations (text and rationale) by id."""
    previous = draft.review.drafts.filter(number__lt=draft.number).order_by("-number").first()
    if previous is None:
        return None
    snapshot = previous.snapshot
    return {
        "number": previous.number,
        "findings": {a["criterion"]: a["finding"] for a in snapshot["assessments"]},
        "recommendations": {str(r["id"]): [r["text"], r["rationale"]] for r in snapshot["recommendations"]},
    }


def report_content(review: ReviewCycle, draft: DraftVersion | None) -> dict:
    """What a report job renders, fixed when the report is asked for: a later edit never changes it.

    A draft's report is its snapshot with the threads on it; the final report is the approved draft's
    snapshot with who approved it and the Government's validation; otherwise the current working text.
    """
    content = {"snapshot": None, "draft_number": None, "is_final": False, "approval": None, "threads": []}
    sections = {name: data for name, section in SECTIONS.items() if (data := section.content(review)) is not None}
    if sections:  # the chapters the apps above add (reports/kinds.py), fixed now like the rest
        content["sections"] = sections
    if draft is not None:
        return {
            **content,
            "snapshot": draft.snapshot,
            "draft_number": draft.number,
            "threads": consultation_threads(draft),
            "previous": previous_texts(draft),
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


def report_downloaded(*, job: ReportJob, by) -> None:
    """A download is an act people answer for (who took which text out): it is in the log."""
    log_action("reports.report.downloaded", by=by, obj=job, review_id=job.review_id, edition=job.edition)


def download_name(job: ReportJob) -> str:
    kind = f"draft-{job.draft.number}" if job.draft_id else "report" if job.kind == REVIEW else job.kind
    return f"{job.review.member_state.code}-{kind}-{job.language}-{job.edition}.{job.format}"


PENDING = (ReportJob.State.QUEUED, ReportJob.State.RENDERING)


@transaction.atomic
def report_request(
    *,
    review: ReviewCycle,
    by,
    draft: DraftVersion | None = None,
    edition: str = "full",
    language: str = "",
    kind: str = REVIEW,
    file_format: str = "pdf",
) -> ReportJob:
    """Ask for a report of the text as it is now, in `language` (by default the review's report language: the
    headings, labels and the catalogue's criteria are in it; the review's own text stays as it was written), or
    a report of another kind (reports/kinds.py). An identical report already rendered is reused at once, one
    being rendered is shared; otherwise a worker renders exactly the content fixed here."""
    if not has_perm(by, review, Perm.DOWNLOAD_REPORT):
        raise PermissionDenied
    other = KINDS.get(kind) if kind != REVIEW else None
    if kind != REVIEW and (other is None or draft is not None):
        raise ValidationError(_("There is no such report."))
    if file_format not in ReportJob.Format.values or (other is not None and file_format != ReportJob.Format.PDF):
        raise ValidationError({"format": _("This report is made as a PDF or, for the review's text, as Word.")})
    if other is not None and not has_perm(by, review, other.readable_with):
        raise PermissionDenied
    if other is None and draft is None and not has_perm(by, review, Perm.VIEW):
        raise PermissionDenied  # counterparts see the published drafts only
    if draft is not None and draft.review_id != review.pk:
        raise ValidationError(_("This draft belongs to another review."))
    if edition not in ReportJob.Edition.values:
        raise ValidationError({"edition": _("Choose the full or the public edition.")})
    language = language or review.report_language
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose English, French or Spanish.")})
    content = {"kind": kind, **other.content(review)} if other else report_content(review, draft)
    digest = content_hash(content, language=language, edition=edition, file_format=file_format)
    job = ReportJob(
        review=review,
        draft=draft,
        kind=kind,
        format=file_format,
        edition=edition,
        language=language,
        requested_by=by,
        content_hash=digest,
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
    log_action("reports.report.requested", by=by, obj=job, review_id=review.pk, edition=edition)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    if not queue("reviews.render_report", job_id):
        report_failed(job_id, ReportJob.Error.QUEUE)


def stored_name(job: ReportJob) -> str:
    kind = f"draft-{job.draft.number}" if job.draft_id else "current" if job.kind == REVIEW else job.kind
    return f"reports/review-{job.review_id}/{kind}-{job.language}-{job.edition}-{job.content_hash[:20]}.{job.format}"


def splits(job: ReportJob, content: dict) -> bool:
    """Whether the job is long enough to be laid out by several workers at once (reports/parts.py): a review's
    PDF with at least REPORT_SPLIT_MIN_ITEMS recommendations and findings, while REPORT_SPLIT_MIN_WORKERS workers
    are up (each part is laid out twice: with fewer, one task is quicker); otherwise one task lays it out."""
    if job.format != ReportJob.Format.PDF or job.kind != REVIEW:
        return False
    if len(live_workers()) < settings.REPORT_SPLIT_MIN_WORKERS:
        return False
    snapshot = content.get("snapshot") or {}
    size = len(snapshot.get("recommendations", [])) + len(snapshot.get("assessments", []))
    return size >= settings.REPORT_SPLIT_MIN_ITEMS


def report_render(job_id: int, *, worker: str = "") -> bool:
    """Render a job's PDF and store it. Safe to run twice: a ready job, or a file already stored, is reused.
    Returns True for a job long enough to be split (splits): it is claimed, and its parts are for the caller
    to start (reports.tasks)."""
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
    name = stored_name(job)
    if not default_storage.exists(name):
        # Jobs asked for before contents were kept with them (none is left after a deploy's queue drains).
        content = job.content or report_content(job.review, job.draft)
        if splits(job, content):
            return True
        _progress(job, 20)
        if job.format == ReportJob.Format.DOCX:
            from reports import word  # imported here: the web processes never lay out Word documents either

            pdf = word.render(
                content, report_html_context, language=job.language, edition=job.edition, review_id=job.review_id
            )
        else:
            if job.kind != REVIEW:
                html = KINDS[job.kind].render_html(job.content, language=job.language, edition=job.edition)
            else:
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
    return False


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


# Word files brought back -----------------------------------------------------------------------------------


@transaction.atomic
def word_import_upload(*, draft: DraftVersion, by, upload) -> WordImport:
    """Take a ministry's annotated Word file of the draft open for comments (the person may comment on it): it is
    checked at once (a file that is not this draft's plain .docx is refused and nothing is kept), stored, and
    read by a worker; what it holds then waits for the person to confirm it."""
    if not has_perm(by, draft.review, Perm.COMMENT):
        raise PermissionDenied
    refusal = comment_refusal(draft)
    if refusal:
        raise ValidationError(refusal)
    data = word_import.check(upload, review_id=draft.review_id, draft_number=draft.number)
    imported = WordImport(draft=draft, file_name=upload.name[:255], uploaded_by=by)
    imported.file.save(f"draft-{draft.pk}.docx", ContentFile(data), save=False)
    imported.save()
    log_action("reports.word.uploaded", by=by, obj=imported, review_id=draft.review_id)
    transaction.on_commit(lambda: _read_in_worker(imported.pk))
    return imported


def _read_in_worker(import_id: int) -> None:
    if not queue("reports.read_word_import", import_id):
        word_import_read(import_id)  # no broker: read here (a few hundred milliseconds), not left waiting


def word_import_read(import_id: int) -> None:
    """Read an uploaded file (the worker's part): its comments and tracked changes on their items, or the reason
    it could not be read. Safe to run twice: a file read already is not read again."""
    imported = WordImport.objects.select_related("draft__review", "uploaded_by").get(pk=import_id)
    if imported.state != WordImport.State.READING:
        return
    # What could not be read is said in the uploader's language (else the review's).
    with translation.override(imported.uploaded_by.language or imported.draft.review.report_language):
        try:
            with imported.file.open("rb") as file:
                data = file.read()
            found = word_import.read(data, keys=anchors.anchors_of(imported.draft.snapshot))
        except ValidationError as exc:
            imported.state, imported.error = WordImport.State.FAILED, " ".join(exc.messages)[:300]
        else:
            if found:
                imported.state, imported.found = WordImport.State.READY, word_import.as_rows(found)
            else:
                imported.state = WordImport.State.FAILED
                imported.error = _("The file holds no comment and no tracked change.")
    imported.save(update_fields=["state", "found", "error"])
    log_action(
        "reports.word.read",
        by=imported.uploaded_by,
        obj=imported,
        review_id=imported.draft.review_id,
        state=imported.state,
        found=len(imported.found),
    )


def word_import_failed(import_id: int) -> None:
    """An import the worker could not read for an unforeseen reason: its uploader is told, not left waiting."""
    WordImport.objects.filter(pk=import_id, state=WordImport.State.READING).update(
        state=WordImport.State.FAILED, error=_("The file could not be read. Save it again in Word and upload it.")
    )


@transaction.atomic
def word_import_confirm(*, imported: WordImport, by, chosen: list[dict]) -> int:
    """Make threads of the comments the person kept (each `chosen` item: target_type, target_key, quote, body),
    exactly as if typed in the page, marked as coming from the file; all or none."""
    if imported.uploaded_by_id != by.pk:
        raise PermissionDenied
    if imported.confirmed_at:
        raise ValidationError(_("This file's comments were brought in already."))
    if imported.state != WordImport.State.READY:
        raise ValidationError(_("The file has not been read yet."))
    for item in chosen:
        text = item_text(imported.draft.snapshot, item["target_type"], item["target_key"]) or ""
        comment_create(
            draft=imported.draft,
            by=by,
            body=item["body"],
            target_type=item["target_type"],
            target_key=item["target_key"],
            quote=item["quote"] if item["quote"] and item["quote"] in text else "",
            from_word=imported.file_name,
        )
    imported.confirmed_at = timezone.now()
    imported.save(update_fields=["confirmed_at"])
    log_action("reports.word.confirmed", by=by, obj=imported, review_id=imported.draft.review_id, threads=len(chosen))
    return len(chosen)
