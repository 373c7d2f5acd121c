"""Neighbouring states' reviews side by side, for those who may see both."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from frameworks.models import Provision, StandardProvision
from reviews.models import GapEntry
from reviews.services import assessment_update
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(world):
    for review, rating in ((world.review, 2), (world.other_review, 4)):
        lp01 = review.assessments.get(criterion__code="LP-01")
        assessment_update(assessment=lp01, by=world.adviser, version=lp01.version, rating=rating)
    provision = Provision.objects.create(
        instrument=factories.make_instrument(world.demoland, title="Demoland Exit Act"),
        number="3",
        text="Leaving is free.",
    )
    GapEntry.objects.create(
        review=world.review,
        standard_provision=StandardProvision.objects.get(code="iccpr-art-12"),
        provision=provision,
        verdict="meets",
    )
    return f"{world.review.pk},{world.other_review.pk}"


def test_two_states_side_by_side_on_the_page_the_sheet_and_the_api(client, world, rated):
    client.force_login(world.adviser)
    page = client.get(reverse("reviews:compare"), {"reviews": rated}).content.decode()
    assert "Partially aligned" in page and "Fully aligned" in page  # LP-01 in each
    assert "Demoland Exit Act, Art. 3" in page and "Leaving is free." in page
    assert page.count('class="badge gap"') >= 1  # Examplia names nothing for ICCPR article 12
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("reviews:compare"), {"reviews": rated, "format": "xlsx"}).content)
    )
    ratings = [[c.value for c in row] for row in sheet.worksheets[0].iter_rows()]
    assert any(row[0] == "LP-01" and row[2].startswith("2 ") and row[3].startswith("4 ") for row in ratings)
    answer = client.get(reverse("api-comparisons"), {"reviews": rated}).json()
    lp01 = next(row for row in answer["criteria"] if row["code"] == "LP-01")
    assert lp01["ratings"] == [2, 4]


def test_a_review_the_person_may_not_see_answers_404(client, world, rated):
    for person in (world.adviser_off_team, world.counterpart, world.counterpart_other_state):
        client.force_login(person)
        assert client.get(reverse("reviews:compare"), {"reviews": rated}).status_code == 404
        assert client.get(reverse("api-comparisons"), {"reviews": rated}).status_code == 404
    client.force_login(world.manager)
    assert client.get(reverse("reviews:compare"), {"reviews": rated}).status_code == 200
    assert client.get(reverse("reviews:compare"), {"reviews": str(world.review.pk)}).status_code == 404  # one alone
    chooser = client.get(reverse("reviews:compare")).content.decode()
    assert "Demoland review" in chooser and "Examplia review" in chooser
