"""A long report rendered by several workers at once (reports/split.py does the layout): the job's parts are
counted, each by a task of its own (first pass), then rendered knowing their page offsets (second pass), then
merged into the job's file. The database is the conductor: each part is a row, and the task that finishes the
last part of a pass (under the job's lock) sends the next pass, so no result backend is needed.

Crash safety as for one-piece reports: every task is acknowledged when it ends and given back if its worker dies;
a part held by a dead worker is sent again (requeue_abandoned_parts); each step is safe to run twice (a part
counted or rendered is not redone, a job ready is not merged again), and the job ends ready once."""

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from core.queue import queue_on_commit
from core.workers import worker_alive
from reports import split
from reports.models import ReportJob, ReportPart
from reports.services import render_report_html, report_content, stored_name


def _html_name(job: ReportJob) -> str:
    return f"reports/parts/job-{job.pk}/report.html"


def _html(job: ReportJob) -> str:
    """The report's HTML, made once per job and kept beside its parts: each part's two passes read it instead of
    rendering the template again (about a second at 800 recommendations)."""
    name = _html_name(job)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            return stored.read().decode("utf-8")
    content = job.content or report_content(job.review, job.draft)
    html = render_report_html(content, language=job.language, edition=job.edition)
    saved = default_storage.save(name, ContentFile(html.encode("utf-8")))
    if saved != name:  # another task stored it first: the same HTML
        default_storage.delete(saved)
    return html


def start(job: ReportJob) -> None:
    """Cut the job into its parts (once) and send the tasks of the pass it is at, for the parts that no live
    worker holds. Called again for a job found abandoned: it picks up where the parts are."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job.pk)
        if not job.parts.exists():
            count = len(split.part_ranges(_html(job)))
            ReportPart.objects.bulk_create(ReportPart(job=job, index=n) for n in range(count))
        ReportJob.objects.filter(pk=job.pk).update(worker="")  # the parts' workers are followed, not this one
    _send_pending(job.pk)


def _send_pending(job_id: int) -> None:
    """Send the parts not done at their pass that no live worker holds, then whatever step is due."""
    with transaction.atomic():
        for part in ReportPart.objects.select_for_update().filter(job_id=job_id):
            done = part.pages is not None if part.stage == 1 else bool(part.file)
            if not done and not (part.worker and worker_alive(part.worker)):
                queue_on_commit("reports.render_part", job_id, part.index, part.stage)
    _advance(job_id, again=True)


def _claim(job_id: int, index: int, stage: int, worker: str) -> ReportPart | None:
    """The part to work on, marked as this worker's; None if there is nothing to do (done already, another
    pass, the job no longer rendering, or a live worker on it)."""
    with transaction.atomic():
        part = (
            ReportPart.objects.select_for_update(of=("self",))
            .select_related("job")
            .filter(job_id=job_id, index=index)
            .first()
        )
        if part is None or part.job.state != ReportJob.State.RENDERING or part.stage != stage:
            return None
        if (part.pages is not None) if stage == 1 else bool(part.file):
            return None
        if part.worker not in ("", worker) and worker_alive(part.worker):
            return None
        part.worker, part.started_at = worker, timezone.now()
        part.save(update_fields=["worker", "started_at"])
        return part


def part_run(job_id: int, index: int, stage: int, *, worker: str = "") -> None:
    """One pass of one part: counted (1), or rendered into a PDF of the storage (2); then the next step."""
    part = _claim(job_id, index, stage, worker)
    if part is None:
        return
    job = part.job
    html = _html(job)
    span = split.part_ranges(html)[index]
    if stage == 1:
        counted = split.count(html, span)
        ReportPart.objects.filter(pk=part.pk).update(pages=counted["pages"], anchors=counted["anchors"], worker="")
    else:
        parts = list(job.parts.all())
        offsets, anchors = split.absolute([{"pages": p.pages, "anchors": p.anchors} for p in parts])
        pdf, facts = split.render(html, span, offset=offsets[index], total=sum(p.pages for p in parts), anchors=anchors)
        name = f"reports/parts/job-{job.pk}/{index}.pdf"
        if default_storage.exists(name):  # a run that died after storing it
            default_storage.delete(name)
        name = default_storage.save(name, ContentFile(pdf))
        ReportPart.objects.filter(pk=part.pk).update(file=name, facts=facts, worker="")
    _advance(job.pk)


def _advance(job_id: int, *, again: bool = False) -> None:
    """After a part: the job's progress; the second pass once every part is counted; the merge once every part
    is rendered (`again`: also when it was sent before, for a job picked up after a crash). Under the job's
    lock, so two parts finishing together send the next step once."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        parts = list(job.parts.all())
        if job.state != ReportJob.State.RENDERING or not parts:
            return
        counted = sum(part.pages is not None for part in parts)
        rendered = sum(bool(part.file) for part in parts)
        progress = 5 + (40 * counted + 45 * rendered) // len(parts)
        if counted == len(parts) and any(part.stage == 1 for part in parts):
            ReportPart.objects.filter(job=job).update(stage=2)
            for part in parts:
                queue_on_commit("reports.render_part", job_id, part.index, 2)
        elif rendered == len(parts) and (job.progress < 95 or again):
            progress = 95
            queue_on_commit("reports.merge_parts", job_id)
        ReportJob.objects.filter(pk=job_id).update(progress=max(progress, job.progress))


def merge(job_id: int, *, worker: str = "") -> None:
    """The parts joined into the job's file, stored under the name the content hash gives; the job ready (once);
    the parts' files removed. The job names its worker meanwhile: if it dies, the job is picked up again."""
    ReportJob.objects.filter(pk=job_id, state=ReportJob.State.RENDERING).update(worker=worker)
    with transaction.atomic():
        job = ReportJob.objects.select_for_update(of=("self",)).select_related("review", "draft").get(pk=job_id)
        if job.state != ReportJob.State.RENDERING:
            return
        parts = list(job.parts.all())
        if not parts or not all(part.file for part in parts):
            return
        name = stored_name(job)
        if not default_storage.exists(name):
            offsets, anchors = split.absolute([{"pages": p.pages, "anchors": p.anchors} for p in parts])
            pieces = []
            for part, offset in zip(parts, offsets, strict=True):
                with default_storage.open(part.file, "rb") as stored:
                    pieces.append((stored.read(), part.facts, offset))
            saved = default_storage.save(name, ContentFile(split.merge(pieces, anchors)))
            if saved != name:  # another run stored it first
                default_storage.delete(saved)
        ReportJob.objects.filter(pk=job.pk).update(
            file=name, state=ReportJob.State.READY, progress=100, finished_at=timezone.now(), worker=""
        )
        _discard(job, parts)


def discard(job_id: int) -> None:
    """A failed job's parts: their files and rows go (a new request starts anew)."""
    with transaction.atomic():
        job = ReportJob.objects.filter(pk=job_id).first()
        if job is not None:
            _discard(job, list(job.parts.all()))


def _discard(job: ReportJob, parts: list[ReportPart]) -> None:
    files = [part.file for part in parts if part.file] + [_html_name(job)]
    job.parts.all().delete()

    def delete_files():
        for name in files:
            default_storage.delete(name)

    transaction.on_commit(delete_files)


def requeue_abandoned_parts(*, dead_workers: set[str] | None = None, older_than: datetime.timedelta) -> list[int]:
    """Send again the parts left by a dead worker (or held for too long); returns their jobs."""
    now = timezone.now()
    stale = [
        part
        for part in ReportPart.objects.filter(job__state=ReportJob.State.RENDERING).exclude(worker="")
        if (dead_workers and part.worker in dead_workers)
        or not worker_alive(part.worker)
        or (part.started_at and now - part.started_at > older_than)
    ]
    ReportPart.objects.filter(pk__in=[part.pk for part in stale]).update(worker="")
    jobs = sorted({part.job_id for part in stale})
    for job_id in jobs:
        _send_pending(job_id)
    return jobs
