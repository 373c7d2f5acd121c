"""A worker killed in the middle of a rendering: a new worker takes the job over and stores exactly one file."""

import time

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from frameworks.models import SupportArea
from reports.models import ReportJob
from reports.services import report_request
from reviews.services import recommendation_create
from tests import factories
from tests.workers import Worker, purge_queue

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what() if callable(what) else what}")


def long_review(tmp_path, code: str, *, criteria: int, recommendations: int, text: str):
    """An adviser and a review of a state of its own with `criteria` criteria and `recommendations` recommendations
    spread over the six areas: a report long enough to kill its worker in the middle of."""
    call_command("load_framework", verbosity=0)
    adviser = factories.adviser()
    state = factories.MemberStateFactory(code=code, name_en=f"{code} land")
    review = factories.make_review_on(factories.make_library(tmp_path, criteria, code.lower()), adviser, state)
    areas = list(SupportArea.objects.all())
    for n in range(recommendations):
        recommendation_create(review=review, by=adviser, text=f"Recommendation {n}: {text}", support_area=areas[n % 6])
    return adviser, review


def test_a_job_whose_worker_is_killed_mid_rendering_ends_ready_with_one_file(tmp_path):
    adviser, review = long_review(
        tmp_path, "XK", criteria=120, recommendations=200, text="strengthen the framework. " * 12
    )
    purge_queue()
    first = Worker("report-test@localhost").wait_ready()
    try:
        job = report_request(review=review, by=adviser)  # queued when this transaction commits
        wait_for(
            lambda: ReportJob.objects.filter(pk=job.pk, state=ReportJob.State.RENDERING, progress__gte=40).exists(),
            120,
            lambda: f"the worker to be laying out the PDF (job: {ReportJob.objects.filter(pk=job.pk).values()[0]})",
        )
        first.kill()
    finally:
        first.stop()
    job.refresh_from_db()
    assert job.state == ReportJob.State.RENDERING and not job.file

    second = Worker("report-test@localhost").wait_ready()
    try:
        wait_for(lambda: ReportJob.objects.get(pk=job.pk).state == ReportJob.State.READY, 180, "the job to be ready")
    finally:
        second.stop()
    job.refresh_from_db()
    folder = job.file.name.rsplit("/", 1)[0]
    assert default_storage.listdir(folder)[1] == [job.file.name.rsplit("/", 1)[1]]
    with job.file.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_a_worker_process_loads_the_pdf_engine_when_it_starts_not_with_its_first_job():
    """In a new interpreter as a Celery worker process starts: WeasyPrint is not loaded by Django's start (the
    web processes never lay out PDFs), and is loaded, with a line of text laid out, by worker_process_init."""
    import subprocess
    import sys

    from django.conf import settings

    code = (
        "import os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'iomborder.settings_test');"
        "import django; django.setup();"
        "from iomborder.celery import app; app.loader.import_default_modules();"
        "assert 'weasyprint' not in sys.modules, 'loaded too early';"
        "from celery.signals import worker_process_init; worker_process_init.send(sender=None);"
        "print('weasyprint' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=settings.BASE_DIR)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "True"


def test_a_long_report_whose_part_worker_is_killed_ends_ready_once(tmp_path, settings):
    """A report laid out in parts: the worker on a part is killed mid-render; its replacement takes the part
    over, the job ends ready, with one file, the same text as the report laid out in one piece."""
    import io

    from pypdf import PdfReader

    from reports.models import ReportPart
    from reports.services import html_to_pdf, render_report_html

    adviser, review = long_review(tmp_path, "XS", criteria=30, recommendations=150, text="act now. " * 20)
    split_env = {"REPORT_SPLIT_MIN_ITEMS": "100", "REPORT_SPLIT_MIN_WORKERS": "1"}
    settings.REPORT_SPLIT_MIN_ITEMS = 100
    purge_queue()
    first = Worker("split-test@localhost", **split_env).wait_ready()
    try:
        job = report_request(review=review, by=adviser)
        held = wait_for(
            lambda: ReportPart.objects.filter(job=job, stage=2).exclude(worker="").first(),
            180,
            "a part of the second pass being rendered",
        )
        first.kill()
    finally:
        first.stop()
    assert ReportJob.objects.get(pk=job.pk).state == ReportJob.State.RENDERING
    second = Worker("split-test@localhost", **split_env).wait_ready()
    try:
        wait_for(lambda: ReportJob.objects.get(pk=job.pk).state == ReportJob.State.READY, 240, "the job to be ready")
    finally:
        second.stop()
    job.refresh_from_db()
    assert held.worker == "split-test@localhost" and not ReportPart.objects.filter(job=job).exists()
    folder = job.file.name.rsplit("/", 1)[0]
    assert default_storage.listdir(folder)[1] == [job.file.name.rsplit("/", 1)[1]]
    assert default_storage.listdir(f"reports/parts/job-{job.pk}")[1] == []
    with job.file.open("rb") as pdf:
        merged = PdfReader(io.BytesIO(pdf.read()))
    whole = PdfReader(io.BytesIO(html_to_pdf(render_report_html(job.content, language="en", edition="full"))))
    assert [page.extract_text() for page in merged.pages] == [page.extract_text() for page in whole.pages]
