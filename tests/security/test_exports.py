"""Spreadsheet formula injection: what people typed is text in every export (security review, defect 3)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from frameworks.models import SupportArea
from reviews.services import recommendation_create

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tindented", "\rreturn"]


@pytest.fixture
def hostile(world):
    for text in HOSTILE:
        recommendation_create(
            review=world.review,
            by=world.adviser,
            text=text,
            responsible_institution="=cmd|' /C calc'!A0",
            support_area=SupportArea.objects.get(code="processes"),
        )
    return world.review


def test_recommendations_xlsx_writes_every_typed_cell_as_text(client, world, hostile):
    client.force_login(world.adviser)
    response = client.get(reverse("reviews:recommendations_export", args=[hostile.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    texts = [sheet.cell(row=row, column=3) for row in range(2, 2 + len(HOSTILE))]
    assert sorted(c.value for c in texts) == sorted(t.replace("\r", "\n") for t in HOSTILE)  # XML reads CR as LF
    assert {c.data_type for c in texts} == {"s"}
    assert {sheet.cell(row=row, column=8).data_type for row in range(2, 2 + len(HOSTILE))} == {"s"}


def test_recommendations_csv_quotes_a_leading_formula_character(client, world, hostile):
    client.force_login(world.adviser)
    response = client.get(reverse("reviews:recommendations_export", args=[hostile.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    assert sorted(row[2] for row in rows) == sorted("'" + text for text in HOSTILE)
    assert {row[7] for row in rows} == {"'=cmd|' /C calc'!A0"}
