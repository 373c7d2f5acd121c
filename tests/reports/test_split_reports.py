"""A long report laid out in parts and merged (issue 17, item 4) reads as the report laid out in one piece: the
same text on every page, in the three languages (page numbers and the contents' page references included), the
same bookmarks, and contents that link to their chapters."""

import io

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from frameworks.models import SupportArea
from reports import split
from reports.models import ReportJob, ReportPart
from reports.services import html_to_pdf, render_report_html, report_content, report_request
from reviews.services import assessment_update, recommendation_create
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_review(tmp_path):
    adviser = factories.adviser()
    state = factories.MemberStateFactory(code="XL", name_en="Longland", name_fr="Longuerie", name_es="Longonia")
    review = factories.make_review_on(factories.make_library(tmp_path, 12, "split"), adviser, state)
    for n, assessment in enumerate(review.assessments.select_related("criterion")):
        assessment_update(
            assessment=assessment, by=adviser, version=assessment.version, rating=n % 5, finding=f"Finding {n}. " * 30
        )
    areas = list(SupportArea.objects.all())
    for n in range(18):
        recommendation_create(
            review=review, by=adviser, text=f"Recommendation {n}: " + "act. " * 40, support_area=areas[n % 6]
        )
    return review


def outline(reader: PdfReader, items=None, depth=0) -> list:
    found = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            found += outline(reader, item, depth + 1)
        else:
            found.append((depth, item.title, reader.get_destination_page_number(item)))
    return found


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_merged_pdf_reads_as_the_pdf_laid_out_in_one_piece(long_review, language):
    html = render_report_html(report_content(long_review, None), language=language, edition="full")
    assert len(split.part_ranges(html)) == 9  # front, six areas, tables, annexes
    whole = PdfReader(io.BytesIO(html_to_pdf(html)))
    merged = PdfReader(io.BytesIO(split.render_in_one_process(html)))
    assert len(merged.pages) == len(whole.pages) > 12
    for n, (one, two) in enumerate(zip(whole.pages, merged.pages, strict=True)):
        assert two.extract_text() == one.extract_text(), f"page {n + 1}"
    assert outline(merged) == outline(whole)
    assert f" / {len(whole.pages)}" in merged.pages[-1].extract_text()


def test_the_contents_link_to_the_pages_of_their_chapters(long_review):
    html = render_report_html(report_content(long_review, None), language="en", edition="full")
    merged = PdfReader(io.BytesIO(split.render_in_one_process(html)))
    contents = next(n for n, page in enumerate(merged.pages) if "Contents" in page.extract_text())
    targets = []
    for annotation in merged.pages[contents].get("/Annots", []):
        link = annotation.get_object()
        if link.get("/Subtype") == "/Link" and "/Dest" in link:
            destination = link["/Dest"]
            if isinstance(destination, str):  # a named destination (WeasyPrint's, within one part)
                targets.append(merged.get_destination_page_number(merged.named_destinations[destination]))
            else:
                targets.append(merged.get_page_number(destination[0].get_object()))
    chapters = [n for n, page in enumerate(merged.pages) if page.extract_text().startswith(("1. ", "6. ", "Annex"))]
    summary = next(n for n, page in enumerate(merged.pages) if page.extract_text().startswith("Executive summary"))
    assert set(chapters) | {summary} <= set(targets) and len(targets) >= 12


@pytest.fixture
def eager(monkeypatch):
    from iomborder.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


def test_a_long_report_goes_through_its_parts_and_ends_ready_once(
    long_review, settings, eager, django_capture_on_commit_callbacks
):
    settings.REPORT_SPLIT_MIN_ITEMS, settings.REPORT_SPLIT_MIN_WORKERS = 25, 0  # 12 findings, 18 recommendations
    adviser = long_review.created_by
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(review=long_review, by=adviser)
    job.refresh_from_db()
    assert job.state == ReportJob.State.READY and job.progress == 100
    assert not ReportPart.objects.exists()  # the parts and their files are gone once merged
    assert default_storage.listdir(f"reports/parts/job-{job.pk}")[1] == []
    html = render_report_html(job.content, language=job.language, edition=job.edition)
    whole = PdfReader(io.BytesIO(html_to_pdf(html)))
    with job.file.open("rb") as stored:
        merged = PdfReader(io.BytesIO(stored.read()))
    assert [page.extract_text() for page in merged.pages] == [page.extract_text() for page in whole.pages]
    # Asked again: the stored file serves at once; a short report stays one task (no part made).
    with django_capture_on_commit_callbacks(execute=True):
        again = report_request(review=long_review, by=adviser)
    assert again.state == ReportJob.State.READY and again.file.name == job.file.name
    # Fewer items than the threshold, or fewer workers up than splitting needs: one task, no part made.
    for items, workers, language in ((1000, 0, "fr"), (25, 3, "es")):
        settings.REPORT_SPLIT_MIN_ITEMS, settings.REPORT_SPLIT_MIN_WORKERS = items, workers
        with django_capture_on_commit_callbacks(execute=True):
            one = report_request(review=long_review, by=adviser, language=language)
        one.refresh_from_db()
        assert one.state == ReportJob.State.READY
        assert not default_storage.exists(f"reports/parts/job-{one.pk}")  # where parts are stored: never made
    assert default_storage.exists(f"reports/parts/job-{job.pk}")  # (the split job's, emptied)
