"""The report as a Word document: the PDF's structure on the project's template, each item bookmarked by its
identity, the draft's threads as Word comments; made by the same jobs and cache as the PDF."""

import io
import re
import zipfile

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from frameworks.models import SupportArea
from frameworks.selectors import standard_provisions_in_scope
from reports.models import ReportJob
from reports.services import report_request
from tests.office import libreoffice
from tests.reports.conftest import made

pytestmark = pytest.mark.django_db


def test_a_draft_downloads_as_word_with_its_items_bookmarked_and_its_threads_as_comments(world, drafted):
    review, draft, _restricted = drafted
    data = made(report_request(review=review, by=world.counterpart, draft=draft, file_format="docx"))
    document = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    areas = [
        p.text
        for p in document.paragraphs
        if p.style.name == "Heading 1" and p.text[:2] in {f"{n}." for n in range(1, 7)}
    ]
    assert [a.split(". ", 1)[1] for a in areas] == list(
        SupportArea.objects.order_by("order").values_list("name_en", flat=True)
    )
    assert text.index("Give written reasons.") < text.index("Adopt SOPs.")
    assert "No written reasons." in text and "Deploy sensors" in text  # the full edition
    assert text.index("Method and scope") < text.index("1. ") < text.index("Alignment with SDG target 10.7")
    assert document.sections[0].header.paragraphs[0].text == "DRAFT"
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    recommendation = review.recommendations.get(text="Give written reasons.")
    for name in ("iom_f_LP_01", f"iom_r_{recommendation.pk}", "iom_s_legal_policy", "iom_d"):
        assert f'w:name="{name}"' in xml
    comments = zipfile.ZipFile(io.BytesIO(data)).read("word/comments.xml").decode()
    assert "The 2025 decree gives reasons." in comments
    (comment,) = document.comments
    thread = draft.comments.get(body="The 2025 decree gives reasons.")
    assert comment.timestamp == thread.created_at.replace(microsecond=0)  # when it was written, not exported
    custom = zipfile.ZipFile(io.BytesIO(data)).read("docProps/custom.xml").decode()
    assert f'name="iomborder"><vt:lpwstr>review={review.pk}:draft=1<' in custom
    instruments = {s.reference_id for s in standard_provisions_in_scope(review.pk)}
    assert len(document.tables) == 3 + len(instruments)  # the chart's, at a glance, the matrix, the gap matrix's
    chart = {row.cells[0].text: (row.cells[1].text, row.cells[2].text) for row in document.tables[0].rows[1:]}
    assert chart["Legal and policy frameworks"] == ("2.0", "█" * 8 + "░" * 8)  # LP-01 rated 2, alone in its area

    public = Document(
        io.BytesIO(
            made(report_request(review=review, by=world.adviser, draft=draft, edition="public", file_format="docx"))
        )
    )
    assert "Deploy sensors" not in "\n".join(p.text for p in public.paragraphs)


def test_word_and_pdf_are_two_files_of_the_same_report_and_the_page_offers_both(client, world, drafted):
    review, _draft, _restricted = drafted
    client.force_login(world.adviser)
    url = reverse("reviews:reports", args=[review.pk])
    assert 'value="docx"' in client.get(url).content.decode()
    client.post(url, {"draft": 1, "edition": "full", "language": "fr", "format": "docx"})
    client.post(url, {"draft": 1, "edition": "full", "language": "fr", "format": "pdf"})
    word, pdf = ReportJob.objects.get(format="docx"), ReportJob.objects.get(format="pdf")
    assert word.content_hash != pdf.content_hash
    made(word)
    answer = client.get(reverse("reviews:report_download", args=[word.pk]))
    assert answer["Content-Disposition"].endswith('.docx"')
    french = Document(io.BytesIO(b"".join(answer.streaming_content)))
    assert any(p.text == "Résumé analytique" for p in french.paragraphs)
    refused = client.post(
        reverse("api-report-request", args=[review.pk]), {"format": "odt"}, content_type="application/json"
    )
    assert refused.status_code == 400


@pytest.mark.parametrize(("language", "mark"), [("fr", "PROJET"), ("es", "BORRADOR")])
def test_libreoffice_opens_the_word_export_and_finds_every_area_and_recommendation_in_order(
    world, drafted, tmp_path, language, mark
):
    """As a ministry would: LibreOffice (Debian's, installed by `make system-deps`) converts the .docx to PDF."""
    review, draft, _restricted = drafted
    source = tmp_path / "draft.docx"
    source.write_bytes(
        made(report_request(review=review, by=world.adviser, draft=draft, file_format="docx", language=language))
    )
    libreoffice(source, "pdf", tmp_path, tmp_path / "profile")
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(tmp_path / "draft.pdf").pages))
    names = list(SupportArea.objects.order_by("order").values_list(f"name_{language}", flat=True))
    positions = [text.index(f"{n}. {name}") for n, name in enumerate(names, start=1)]
    assert positions == sorted(positions)
    assert text.index("Give written reasons.") < text.index("Adopt SOPs.")
    assert mark in text  # the draft mark, in the report's language


def test_a_second_draft_shows_what_moved_since_the_first_as_tracked_changes(world, drafted):
    from consultation.services import draft_publish
    from reviews.services import assessment_update, recommendation_update

    review, _draft, _restricted = drafted
    recommendation = review.recommendations.get(text="Give written reasons.")
    recommendation_update(
        recommendation=recommendation,
        by=world.adviser,
        version=recommendation.version,
        text="Give written reasons within ten days.",
    )
    lp01 = review.assessments.get(criterion__code="LP-01")
    assessment_update(assessment=lp01, by=world.adviser, version=lp01.version, finding="No reasons in writing.")
    second = draft_publish(review=review, by=world.adviser)
    data = made(report_request(review=review, by=world.adviser, draft=second, file_format="docx"))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    insertions = re.findall(r'<w:ins [^>]*w:author="iomborder"[^>]*>.*?</w:ins>', xml)
    deletions = re.findall(r'<w:del [^>]*w:author="iomborder"[^>]*>.*?</w:del>', xml)
    assert any("within ten days" in ins for ins in insertions)
    assert any("written" in d for d in deletions) and any("writing" in i for i in insertions)  # the finding
    assert "Adopt SOPs." in xml and not any("Adopt SOPs" in i for i in insertions)  # unchanged: plain text
    document = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)  # python-docx reads the runs outside the changes
    assert "Adopt SOPs." in text
