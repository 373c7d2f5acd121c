"""The legal gap matrix: standard provisions in scope paired with national provisions, autosaved with conflict
handling like findings, read in the report (PDF and Word) and exported."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from core.models import ActionLog
from frameworks.models import Criterion, NationalInstrument, StandardProvision, SupportArea
from reports.services import report_render, report_request
from reviews.models import GapEntry
from reviews.provisions import provision_create
from reviews.services import review_set_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def aliens_act(world):
    """The Aliens Act of Demoland, two articles; the review's scope has LP-07 (smuggling) besides its own."""
    in_scope = list(Criterion.objects.filter(assessments__review=world.review))
    smuggling = Criterion.objects.get(framework=world.review.framework, code="LP-07")
    review_set_scope(review=world.review, criteria=[*in_scope, smuggling], by=world.adviser)
    act = NationalInstrument.objects.create(
        member_state=world.demoland,
        title="Aliens Act",
        instrument_type="law",
        support_area=SupportArea.objects.get(code="legal_policy"),
    )
    return {
        number: provision_create(instrument=act, by=world.adviser, number=number, heading=heading, text=text)
        for number, heading, text in (
            ("6", "Smuggling", "Whoever procures the illegal entry of a person for profit commits an offence."),
            ("9", "Migrants", "A smuggled migrant is not prosecuted for having been smuggled."),
        )
    }


def test_an_adviser_pairs_provisions_and_the_gaps_are_the_rest(client, world, aliens_act):
    client.force_login(world.adviser)
    url = reverse("reviews:gap_matrix", args=[world.review.pk])
    article6 = StandardProvision.objects.get(code="smp-art-6")
    answer = client.post(url, {"standard": article6.pk, "provision": aliens_act["6"].pk})
    assert answer.status_code == 302
    entry = GapEntry.objects.get()
    page = client.get(url).content.decode()
    assert "Aliens Act, Art. 6 Smuggling" in page
    in_scope = StandardProvision.objects.filter(criteria__assessments__review=world.review).distinct().count()
    assert page.count('class="badge gap"') == in_scope - 1  # every one but article 6
    twice = client.post(url, {"standard": article6.pk, "provision": aliens_act["6"].pk})
    assert twice.status_code == 400 and "in the matrix already" in twice.content.decode()
    other_state = provision_create(
        instrument=NationalInstrument.objects.create(
            member_state=world.examplia,
            title="Examplia Act",
            instrument_type="law",
            support_area=SupportArea.objects.get(code="legal_policy"),
        ),
        by=world.adviser,
        number="1",
        text="Another state's law.",
    )
    foreign = client.post(url, {"standard": article6.pk, "provision": other_state.pk})
    assert foreign.status_code == 400 and GapEntry.objects.count() == 1
    assert entry.provision == aliens_act["6"]


def test_the_autosave_refuses_a_stale_version_and_keeps_the_text(client, world, aliens_act):
    entry = GapEntry.objects.create(
        review=world.review,
        standard_provision=StandardProvision.objects.get(code="smp-art-6"),
        provision=aliens_act["6"],
    )
    url = reverse("reviews:gap_entry", args=[world.review.pk, entry.pk])
    client.force_login(world.adviser)
    saved = client.post(
        url, {"version": 1, "verdict": "partly", "comment": "No aggravation."}, headers={"HX-Request": "true"}
    )
    assert saved.status_code == 200 and 'value="2"' in saved.content.decode()
    stale = client.post(url, {"version": 1, "verdict": "meets", "comment": "Mine."}, headers={"HX-Request": "true"})
    assert stale.status_code == 409 and "No aggravation." in stale.content.decode()
    entry.refresh_from_db()
    assert (entry.verdict, entry.comment, entry.version) == ("partly", "No aggravation.", 2)
    without_js = client.post(url, {"version": 1, "verdict": "meets", "comment": "Mine, typed."})
    assert without_js.status_code == 409 and "Mine, typed." in without_js.content.decode()
    assert ActionLog.objects.filter(action="review.gap_entry.changed").count() == 1


def test_the_report_has_the_matrix_and_the_annex_of_provisions_and_the_export_too(client, world, aliens_act):
    GapEntry.objects.create(
        review=world.review,
        standard_provision=StandardProvision.objects.get(code="smp-art-6"),
        provision=aliens_act["6"],
        verdict="partly",
        comment="No aggravating circumstances.",
    )
    job = report_request(review=world.review, by=world.adviser)
    report_render(job.pk)
    job.refresh_from_db()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(job.file.open("rb")).pages)
    assert "Legal gap matrix" in text and "Aliens Act, art. 6" in text and "Partly meets" in text
    assert "Annex: national provisions in the gap matrix" in text
    assert "Whoever procures the illegal entry of a person for profit commits an offence." in text
    assert "Criminal liability of migrants" in text and "Gap" in text  # article 5 of the Protocol: nothing named

    client.force_login(world.manager)
    export = client.get(reverse("reviews:gap_matrix_export", args=[world.review.pk]))
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert any(row[1] == "Article 6" and row[5] == "Aliens Act" and row[8] == "Partly meets" for row in rows)
    assert any(row[1] == "Article 5" and row[4] == "yes" for row in rows)  # a gap


def test_a_gap_gets_a_note_without_a_national_provision_and_stays_a_gap(client, world, aliens_act):
    client.force_login(world.adviser)
    url = reverse("reviews:gap_matrix", args=[world.review.pk])
    article31 = StandardProvision.objects.get(code="refugee-art-31")
    scope = list(Criterion.objects.filter(assessments__review=world.review))
    review_set_scope(
        review=world.review,
        criteria=[*scope, Criterion.objects.get(framework=world.review.framework, code="LP-02")],
        by=world.adviser,
    )
    assert client.post(url, {"standard": article31.pk, "provision": ""}).status_code == 302
    entry = GapEntry.objects.get(standard_provision=article31)
    assert entry.provision is None
    again = client.post(url, {"standard": article31.pk, "provision": ""})
    assert again.status_code == 400 and GapEntry.objects.filter(standard_provision=article31).count() == 1
    page = client.get(url).content.decode()
    assert f'id="standard-{article31.pk}"' in page and "No national provision" in page
    section = page.split(f'id="standard-{article31.pk}"', 1)[1].split("</article>", 1)[0]
    assert 'class="badge gap"' in section


def test_odd_input_gets_a_400_not_an_error(client, world, aliens_act):
    client.force_login(world.adviser)
    url = reverse("reviews:gap_matrix", args=[world.review.pk])
    for data in ({"standard": "abc", "provision": ""}, {"standard": "1", "provision": "x"}, {}):
        assert client.post(url, data).status_code == 400
    entry = GapEntry.objects.create(
        review=world.review,
        standard_provision=StandardProvision.objects.get(code="smp-art-6"),
        provision=aliens_act["6"],
    )
    entry_url = reverse("reviews:gap_entry", args=[world.review.pk, entry.pk])
    assert client.post(entry_url, {"version": "x", "verdict": "meets"}).status_code == 400
    assert client.post(entry_url, {"version": "1", "verdict": "excellent"}).status_code == 400
    assert not GapEntry.objects.exclude(verdict="").exists()
