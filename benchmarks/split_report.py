"""Benchmark: the 800-recommendation report rendered by real Celery workers, in one task on one worker, then cut
into parts (reports/parts.py) on one, two and four workers; each merged PDF checked against the one-task PDF.

    .venv/bin/python benchmarks/split_report.py [--recommendations 800] [--workers 1,2,4]

Times are from the request to the job being ready (the queue, the passes, the merge, storing the file), on the
database in use (PostgreSQL when DATABASE_URL is set; SQLite in a file otherwise) and the broker in use. The
check: the same number of pages, the same text on every page, and the contents' page references equal to the
pages their chapters start on. With N workers on a machine of C cores the parts run min(N, C) at a time; the two
passes lay each part out twice, so the gain shows from three or more cores.
"""

import argparse
import io
import re
import tempfile
import time
from pathlib import Path

from common import test_database
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from report import build_review


def render(review, adviser, workers: int, split_from: int) -> tuple[float, bytes]:
    from reports.models import ReportJob
    from reports.services import report_request
    from tests.workers import Worker, purge_queue

    for job in ReportJob.objects.filter(review=review, state=ReportJob.State.READY):
        default_storage.delete(job.file.name)
    ReportJob.objects.filter(review=review).delete()
    purge_queue()
    env = {"REPORT_SPLIT_MIN_ITEMS": str(split_from), "REPORT_SPLIT_MIN_WORKERS": "1"}
    started = [Worker(f"bench-split-{n}@localhost", **env) for n in range(workers)]
    try:
        for worker in started:
            worker.wait_ready(120)
        begun = time.perf_counter()
        job = report_request(review=review, by=adviser)
        while job.state not in (ReportJob.State.READY, ReportJob.State.FAILED):
            time.sleep(0.2)
            job.refresh_from_db()
        seconds = time.perf_counter() - begun
    finally:
        for worker in started:
            worker.stop()
    if job.state != ReportJob.State.READY:
        raise SystemExit(f"the report failed ({job.error})")
    with job.file.open("rb") as pdf:
        rendered = pdf.read()
    default_storage.delete(job.file.name)  # the next run renders anew
    return seconds, rendered


def contents_right(reader) -> tuple[int, int]:
    """(references right, references read) on the contents page: each "title .... N" against the page whose text
    begins with that title."""
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    contents = next(n for n, text in enumerate(pages) if text.startswith("Contents"))
    right = read = 0
    for line in reader.pages[contents].extract_text().splitlines()[1:]:
        found = re.match(r"(.+?)\s*\.{3,}\s*(\d+)$", line)
        if not found:
            continue
        title, number = found.group(1).strip(), int(found.group(2))
        read += 1
        right += pages[number - 1].startswith(title)
    return right, read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recommendations", type=int, default=800)
    parser.add_argument("--workers", default="1,2,4")
    args = parser.parse_args()
    from pypdf import PdfReader

    if connection.vendor == "sqlite":  # the workers are other processes: the test database must be a file
        connection.settings_dict["TEST"]["NAME"] = str(settings.VAR_DIR / "bench-split.sqlite3")
    with test_database(), tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as media:
        settings.MEDIA_ROOT = media  # no report stored by an earlier run is found again (the workers share it)
        call_command("load_framework", verbosity=0)
        review = build_review(Path(folder), args.recommendations, "split")[0]
        adviser = review.created_by
        print(f"report of {args.recommendations} recommendations, database {connection.vendor}")
        one_task, reference = render(review, adviser, 1, 10**9)
        whole = PdfReader(io.BytesIO(reference))
        texts = [page.extract_text() for page in whole.pages]
        right, read = contents_right(whole)
        print(f"{'one task, 1 worker':<28} {one_task:7.1f} s   {len(texts)} pages   contents {right}/{read} right")
        for workers in [int(n) for n in args.workers.split(",")]:
            seconds, pdf = render(review, adviser, workers, 1)
            merged = PdfReader(io.BytesIO(pdf))
            same = sum(a.extract_text() == b for a, b in zip(merged.pages, texts, strict=False))
            right, read = contents_right(merged)
            print(
                f"{f'in parts, {workers} worker(s)':<28} {seconds:7.1f} s   {len(merged.pages)} pages   "
                f"{same}/{len(texts)} pages of the same text   contents {right}/{read} right   "
                f"{one_task / seconds:4.2f}x one task"
            )


if __name__ == "__main__":
    main()
