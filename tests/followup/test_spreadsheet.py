"""The action plan's round trip as a spreadsheet: downloaded, filled offline (in French here), uploaded, shown,
applied all or nothing; a file altered in ways it cannot apply is refused with its row and column."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from followup import services
from followup.models import ProgressReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_actions(world, followed, focal_point):
    """The fixture's action (its report for this period waiting for the team) and a second one."""
    action, report = followed
    second = services.action_create(
        review=action.review,
        by=world.adviser,
        recommendations=list(action.recommendations.all()),
        title="Train the border police in the SOPs",
        responsible_institution="Police Academy",
        focal_point=focal_point,
        start_date=action.start_date,
        due_date=action.due_date,
        indicator="Officers trained",
    )
    return action, second, report


def downloaded(client, review):
    response = client.get(reverse("reviews:plan_download", args=[review.pk]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def upload(client, review, book, **extra):
    buffer = io.BytesIO()
    book.save(buffer)
    file = SimpleUploadedFile("plan.xlsx", buffer.getvalue())
    return client.post(reverse("reviews:plan_upload", args=[review.pk]), {"file": file, **extra})


def row_of(sheet, action):
    return next(row for row in sheet.iter_rows(min_row=2) if row[0].value == action.pk)


def test_a_focal_point_fills_the_plan_in_french_offline_and_it_is_applied_after_a_preview(
    client, world, two_actions, focal_point
):
    first, second, _report = two_actions
    review = first.review
    focal_point.language = "fr"
    focal_point.save(update_fields=["language"])
    client.force_login(focal_point)
    book = downloaded(client, review)
    sheet = book.worksheets[0]
    assert [cell.value for cell in sheet[1]][6] == "Avancement réalisé"
    row = row_of(sheet, second)
    assert isinstance(row[5].value, datetime.datetime)  # the period is a date, ready to be reported on
    row[6].value, row[7].value, row[8].value = "120 agents formés sur 300.", "120", "non"
    preview = upload(client, review, book)
    page = preview.content.decode()
    assert preview.status_code == 200 and "120 agents formés sur 300." in page
    assert ProgressReport.objects.count() == 1  # shown, not applied yet
    token = client.session[f"followup-plan-upload-{review.pk}"]["token"]
    applied = client.post(reverse("reviews:plan_upload", args=[review.pk]), {"apply": token})
    assert applied.status_code == 302
    report = ProgressReport.objects.get(action=second)
    assert (report.progress, report.indicator_value, report.completed, report.state) == (
        "120 agents formés sur 300.",
        "120",
        False,
        "submitted",
    )
    again = client.post(reverse("reviews:plan_upload", args=[review.pk]), {"apply": token})
    assert again.status_code == 302 and ProgressReport.objects.count() == 2  # applied once


@pytest.mark.parametrize(
    ("column", "value", "named"),
    [
        (0, 999999, "Row 3, column A"),  # an action that is not in the plan
        (5, "1er octobre 2026", "Row 3, column F"),  # a date typed as text
        (6, '=HYPERLINK("http://example.org")', "Row 3, column G"),  # a formula
        (8, "peut-être", "Row 3, column I"),  # neither yes nor no
    ],
)
def test_a_row_altered_by_hand_is_refused_with_its_row_and_column_and_nothing_changes(
    client, world, two_actions, focal_point, column, value, named
):
    first, second, _report = two_actions
    client.force_login(focal_point)
    book = downloaded(client, first.review)
    sheet = book.worksheets[0]
    for action in (first, second):
        row = row_of(sheet, action)
        row[5].value = timezone.localdate() - datetime.timedelta(days=95)
        row[6].value, row[8].value = "Work done.", "yes"
    target = sheet[3]
    target[column].value = value
    answer = upload(client, first.review, book)
    assert answer.status_code == 400 and named in answer.content.decode()
    assert ProgressReport.objects.count() == 1
    assert f"followup-plan-upload-{first.review.pk}" not in client.session


def test_a_period_already_accepted_is_refused(client, world, two_actions, focal_point):
    first, _second, report = two_actions
    services.progress_review(report=report, by=world.adviser, accept=True)
    client.force_login(focal_point)
    book = downloaded(client, first.review)
    row = row_of(book.worksheets[0], first)
    row[6].value = "Changed my mind."
    answer = upload(client, first.review, book)
    assert answer.status_code == 400 and "accepted already" in answer.content.decode()


def test_the_upload_is_applied_all_or_nothing(client, world, two_actions, focal_point):
    first, second, report = two_actions
    client.force_login(focal_point)
    book = downloaded(client, first.review)
    for action in (first, second):
        row_of(book.worksheets[0], action)[6].value = f"Progress of {action.pk}."
    assert upload(client, first.review, book).status_code == 200
    services.progress_review(report=report, by=world.adviser, accept=True)  # meanwhile, the first is accepted
    token = client.session[f"followup-plan-upload-{first.review.pk}"]["token"]
    client.post(reverse("reviews:plan_upload", args=[first.review.pk]), {"apply": token})
    assert not ProgressReport.objects.filter(action=second).exists()  # the second was not applied either
    report.refresh_from_db()
    assert report.progress == "The draft SOPs went to the minister."


def test_only_a_focal_point_uploads_and_a_file_that_is_not_a_workbook_is_refused(client, world, followed, focal_point):
    action, _report = followed
    url = reverse("reviews:plan_upload", args=[action.review.pk])
    client.force_login(world.counterpart)
    assert client.get(url).status_code == 404
    client.force_login(focal_point)
    refused = client.post(url, {"file": SimpleUploadedFile("plan.xlsx", b"not a spreadsheet")})
    assert refused.status_code == 400 and "not an .xlsx spreadsheet" in refused.content.decode()
