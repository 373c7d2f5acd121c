import io
import re

import pytest
from django.core.files.storage import default_storage
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from frameworks.models import SupportArea, ThematicArea
from reports.models import ReportJob
from reports.services import report_render, report_request
from reviews.services import assessment_update, recommendation_create, review_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(world):
    """Demoland's review with findings and recommendations in several areas, some of them restricted."""
    review = world.review
    for n, assessment in enumerate(review.assessments.order_by("criterion__support_area__order", "criterion__order")):
        assessment_update(
            assessment=assessment,
            by=world.adviser,
            version=assessment.version,
            rating=n % 5,
            finding=f"Finding number {n} on {assessment.criterion.code}.",
            is_restricted=n == 1,
        )
    themes = {t.code: t for t in ThematicArea.objects.all()}
    for area_code, texts in [
        ("processes", ["Write SOPs for second-line checks", "Train the shift supervisors"]),
        ("legal_policy", ["Amend the Border Act", "Create an appeal against refusal", "Restricted law detail"]),
        ("strategic_documents", ["Add a human rights chapter"]),
    ]:
        for text in texts:
            recommendation_create(
                review=review,
                by=world.adviser,
                text=text,
                support_area=SupportArea.objects.get(code=area_code),
                thematic_area=themes["border_management"],
                priority="high" if "Amend" in text else "medium",
                is_restricted=text.startswith("Restricted"),
            )
    return review


def rendered_text(job) -> str:
    report_render(job.pk)
    job.refresh_from_db()
    assert job.state == ReportJob.State.READY
    with job.file.open("rb") as fh:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(fh.read())).pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_pdf_has_every_recommendation_under_its_area_in_order(world, review):
    text = flat(rendered_text(report_request(review=review, by=world.adviser)))
    body = text[text.index("1. Strategic documents", text.index("Rating scale")) :]  # after the contents
    areas = [
        "1. Strategic documents",
        "2. Legal and policy frameworks",
        "3. National",
        "4. Institutional",
        "5. Processes and procedures",
        "6. Best practices",
    ]
    positions = [body.index(area) for area in areas]
    assert positions == sorted(positions)
    expected = {
        0: ["R1 Add a human rights chapter"],
        1: ["R2 Amend the Border Act", "R3 Create an appeal against refusal", "R4 Restricted law detail"],
        4: ["R5 Write SOPs for second-line checks", "R6 Train the shift supervisors"],
    }
    for area_index, recommendations in expected.items():
        start = positions[area_index]
        end = positions[area_index + 1] if area_index + 1 < len(positions) else len(body)
        found = [body.index(rec, start) for rec in recommendations]
        assert found == sorted(found) and all(p < end for p in found), recommendations
    for heading in (
        "Executive summary",
        "Method and scope",
        "Recommendations at a glance",
        "SDG target 10.7",
        "GCM objective 11",
        "Annex: national instruments reviewed",
        "DRAFT",
    ):
        assert heading in text, heading


def test_every_finding_of_the_review_is_in_the_full_edition(world, review):
    text = flat(rendered_text(report_request(review=review, by=world.adviser)))
    for assessment in review.assessments.select_related("criterion"):
        assert assessment.finding in text


def test_the_public_edition_leaves_out_restricted_items_and_says_so(world, review):
    text = flat(rendered_text(report_request(review=review, by=world.adviser, edition="public")))
    assert "Restricted law detail" not in text
    assert "Finding number 1 " not in text
    assert "This public edition leaves out 2 items marked restricted" in text
    assert "R4 Write SOPs for second-line checks" in text  # numbered without the item left out


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ["Résumé analytique", "Recommandations", "Documents stratégiques"]),
        ("es", ["Resumen ejecutivo", "Recomendaciones", "Documentos estratégicos"]),
    ],
)
def test_the_report_is_written_in_the_reviews_language(world, review, language, words):
    review_update(review=review, by=world.adviser, report_language=language)
    text = flat(rendered_text(report_request(review=review, by=world.adviser)))
    for word in words:
        assert word in text


def test_an_unchanged_report_is_served_from_the_stored_file(world, review):
    first = report_request(review=review, by=world.adviser)
    report_render(first.pk)
    first.refresh_from_db()
    again = report_request(review=review, by=world.manager)
    assert again.state == ReportJob.State.READY
    assert again.file.name == first.file.name
    assessment = review.assessments.first()
    assessment_update(assessment=assessment, by=world.adviser, version=assessment.version, finding="Changed.")
    changed = report_request(review=review, by=world.adviser)
    assert changed.state == ReportJob.State.QUEUED
    assert changed.content_hash != first.content_hash


def test_rendering_a_job_twice_stores_one_file(world, review):
    job = report_request(review=review, by=world.adviser)
    report_render(job.pk)
    ReportJob.objects.filter(pk=job.pk).update(state=ReportJob.State.RENDERING)  # as if the worker died after storing
    report_render(job.pk)
    job.refresh_from_db()
    folder = job.file.name.rsplit("/", 1)[0]
    assert job.state == ReportJob.State.READY
    assert default_storage.listdir(folder)[1] == [job.file.name.rsplit("/", 1)[1]]


def test_downloads_follow_the_reviews_permissions(client, world, review):
    job = report_request(review=review, by=world.adviser)
    report_render(job.pk)
    url = reverse("reviews:report_download", args=[job.pk])
    for user in (world.adviser, world.manager):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    for user in (world.counterpart, world.counterpart_other_state, world.adviser_off_team):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_an_unreachable_queue_is_said_clearly_and_the_report_can_be_asked_again(
    client, world, review, django_capture_on_commit_callbacks
):
    client.force_login(world.adviser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reviews:reports", args=[review.pk]), {"draft": "", "edition": "full"})
    job = review.report_jobs.get()
    assert (job.state, job.error) == (ReportJob.State.FAILED, ReportJob.Error.QUEUE)
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "The report queue cannot be reached right now. Nothing is lost" in page
    assert "Make the report" in page  # and it can be asked for again


def test_the_review_page_polls_while_a_report_is_pending(client, world, review):
    report_request(review=review, by=world.adviser)
    client.force_login(world.adviser)
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "Queued" in page


def test_the_chart_of_mean_ratings_is_on_the_review_page(client, world, review):
    client.force_login(world.manager)
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert "Mean rating per strategic support area" in page


def test_recommendations_export_as_a_spreadsheet_by_support_area(client, world, review):
    client.force_login(world.manager)
    response = client.get(reverse("reviews:recommendations_export", args=[review.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("#", "Support area", "Recommendation")
    assert [(r[0], r[1], r[2]) for r in rows[1:4]] == [
        ("R1", "Strategic documents", "Add a human rights chapter"),
        ("R2", "Legal and policy frameworks", "Amend the Border Act"),
        ("R3", "Legal and policy frameworks", "Create an appeal against refusal"),
    ]
    csv_text = client.get(reverse("reviews:recommendations_export", args=[review.pk, "csv"])).content.decode(
        "utf-8-sig"
    )
    assert csv_text.splitlines()[1].startswith("R1,Strategic documents,Add a human rights chapter")


def test_the_portfolio_lists_every_review_a_manager_follows_with_its_reports(client, world, review):
    job = report_request(review=review, by=world.manager)
    report_render(job.pk)
    client.force_login(world.manager)
    page = client.get(reverse("reviews:portfolio")).content.decode()
    assert "Demoland review" in page and "Examplia review" in page
    assert reverse("reviews:report_download", args=[job.pk]) in page
    client.force_login(world.counterpart)
    assert "Demoland review" not in client.get(reverse("reviews:portfolio")).content.decode()


def test_reports_through_the_api(world, review):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(world.manager)
    created = api.post(reverse("api-report-request", args=[review.pk]), {"edition": "public"}, format="json")
    assert created.status_code == 201, created.json()
    job_id = created.json()["id"]
    assert api.get(reverse("api-report", args=[job_id])).json()["state"] == "queued"
    assert api.get(reverse("api-report-download", args=[job_id])).status_code == 404  # not ready yet
    report_render(job_id)
    state = api.get(reverse("api-report", args=[job_id])).json()
    assert state["state"] == "ready" and state["download_url"].endswith(f"/api/v1/reports/{job_id}/download/")
    download = api.get(reverse("api-report-download", args=[job_id]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    api.force_authenticate(world.counterpart_other_state)
    assert api.get(reverse("api-report", args=[job_id])).status_code == 404
    assert api.post(reverse("api-report-request", args=[review.pk]), {}, format="json").status_code == 404


def test_a_job_left_rendering_by_a_worker_that_stopped_beating_is_queued_again(world, review):
    from core.workers import forget_all, record_heartbeat
    from reports.services import requeue_abandoned_reports

    forget_all()
    record_heartbeat("celery@alive")
    stuck = report_request(review=review, by=world.adviser)
    busy = report_request(review=review, by=world.adviser, edition="public")
    ReportJob.objects.filter(pk=stuck.pk).update(state=ReportJob.State.RENDERING, worker="celery@gone")
    ReportJob.objects.filter(pk=busy.pk).update(state=ReportJob.State.RENDERING, worker="celery@alive")
    assert requeue_abandoned_reports() == [stuck.pk]
    stuck.refresh_from_db(), busy.refresh_from_db()
    assert (stuck.state, stuck.worker) == (ReportJob.State.QUEUED, "")
    assert busy.state == ReportJob.State.RENDERING


def test_the_report_reads_right(world, review):
    """The contents number the support areas as the body does; the mean is rounded alike everywhere; the
    columns of the table at a glance are apart; the date follows the report's language."""
    from decimal import Decimal

    from reports.services import render_report_html, report_content
    from reviews.reading import mean_rating as _mean

    assert _mean([2, 2, 3, 2]) == Decimal("2.3")  # 2.25, half up, as the summary and the chart both show it
    html = render_report_html(report_content(review, None), language="en", edition="full")
    contents = html[html.index('<nav class="contents">') : html.index("</nav>")]
    assert "1. Strategic documents</a>" in contents and "<ol>" not in contents
    assert "padding-right: 8pt" in html  # the at-a-glance columns
    from reviews.reading import ChartRow, ratings_chart_svg

    assert ">2.3</text>" in ratings_chart_svg([ChartRow("Area", _mean([2, 2, 3, 2]), 4)])  # not 2.2 (banker's)
    review_update(review=review, by=world.adviser, report_language="fr")
    french = flat(rendered_text(report_request(review=review, by=world.adviser)))
    months = (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    )
    assert any(month in french for month in months)


def test_the_review_page_chart_is_the_reports_chart_made_from_two_queries(world, review, django_assert_num_queries):
    from django.utils import timezone

    from reviews.reading import ChartRow, ratings_chart_for_review, ratings_chart_svg, report_context
    from reviews.snapshots import build_snapshot

    areas = report_context(
        build_snapshot(review), language="en", edition="full", draft_number=None, generated_at=timezone.now()
    )["areas"]
    expected = ratings_chart_svg([ChartRow(a["name"], a["mean"], a["assessed"]) for a in areas])
    with django_assert_num_queries(2):
        assert ratings_chart_for_review(review) == expected


def test_a_counterpart_asks_for_a_draft_in_spanish_and_the_text_stays_as_written(client, world, review):
    from consultation import services as consultation
    from reviews.models import ReviewCycle
    from reviews.services import review_transition

    review_transition(review=review, to_state=ReviewCycle.State.ASSESSMENT, by=world.adviser)
    draft = consultation.draft_publish(review=review, by=world.adviser)
    client.force_login(world.counterpart)
    response = client.post(
        reverse("reviews:reports", args=[review.pk]), {"draft": draft.number, "edition": "full", "language": "es"}
    )
    assert response.status_code == 302
    job = ReportJob.objects.get(requested_by=world.counterpart)
    assert (job.language, job.draft) == ("es", draft)
    text = flat(rendered_text(job))
    assert "Resumen ejecutivo" in text and "Recomendaciones" in text  # headings in the language asked for
    assert "Finding number 0 on" in text  # the review's own text, as written
    bad = client.post(reverse("reviews:reports", args=[review.pk]), {"draft": 1, "edition": "full", "language": "de"})
    assert bad.status_code == 302 and ReportJob.objects.filter(requested_by=world.counterpart).count() == 1
