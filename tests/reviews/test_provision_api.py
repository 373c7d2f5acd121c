"""The API of provisions, standard provisions, the gap matrix and the search."""

import pytest
from django.urls import reverse

from frameworks.models import Provision, StandardProvision
from reviews.models import GapEntry
from tests import factories

pytestmark = pytest.mark.django_db


def test_provisions_are_typed_listed_and_amended_over_the_api(client, world):
    instrument = factories.make_instrument(world.demoland)
    url = reverse("api-provisions", args=["XD", instrument.pk])
    client.force_login(world.adviser)
    created = client.post(
        url, {"number": "5", "heading": "Entry", "text": "Entry by the posts."}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    detail = reverse("api-provision", args=["XD", instrument.pk, created.json()["id"]])
    amended = client.patch(
        detail, {"text": "Entry by the posts and ports.", "amendment": True}, content_type="application/json"
    )
    assert (
        amended.status_code == 200
        and amended.json()["version"] == 2
        and amended.json()["previous"] == created.json()["id"]
    )
    assert [p["is_current"] for p in client.get(url).json()["results"]] == [False, True]
    twice = client.post(url, {"number": "5", "text": "Again."}, content_type="application/json")
    assert twice.status_code == 400 and "already" in str(twice.json())
    client.force_login(world.manager)
    assert client.get(url).status_code == 200
    assert client.post(url, {"number": "6", "text": "x"}, content_type="application/json").status_code == 403


def test_the_gap_matrix_over_the_api_refuses_a_stale_version(client, world):
    instrument = factories.make_instrument(world.demoland)
    provision = Provision.objects.create(instrument=instrument, number="12", text="Exit is free.")
    url = reverse("api-gap-matrix", args=[world.review.pk])
    client.force_login(world.adviser)
    created = client.post(
        url,
        {"standard_provision": "iccpr-art-12", "provision": provision.pk, "verdict": "meets"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    entry = created.json()
    assert (entry["verdict"], entry["version"]) == ("meets", 2)
    listed = client.get(url).json()
    assert listed["entries"][0]["id"] == entry["id"] and "iccpr-art-12" not in listed["gaps"]
    assert "chicago-art-13" in listed["gaps"]
    detail = reverse("api-gap-entry", args=[world.review.pk, entry["id"]])
    stale = client.patch(detail, {"version": 1, "comment": "Mine."}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["verdict"] == "meets"
    fresh = client.patch(detail, {"version": 2, "verdict": "partly"}, content_type="application/json")
    assert fresh.status_code == 200 and GapEntry.objects.get().verdict == "partly"
    other = Provision.objects.create(instrument=factories.make_instrument(world.examplia), number="1", text="x")
    foreign = client.post(
        url, {"standard_provision": "iccpr-art-12", "provision": other.pk}, content_type="application/json"
    )
    assert foreign.status_code == 400 and GapEntry.objects.count() == 1


def test_the_catalogue_lists_standard_provisions_with_their_criteria(client, world):
    client.force_login(world.counterpart)
    answer = client.get(reverse("api-standard-provisions"), {"page_size": 100}).json()
    rows = answer["results"] if isinstance(answer, dict) else answer
    article6 = next(row for row in rows if row["code"] == "smp-art-6")
    assert article6["reference"] == "smuggling-protocol" and article6["criteria"] == ["LP-07"]
    assert article6["name_fr"] == "Incrimination"
    assert StandardProvision.objects.count() >= 18


def test_the_search_endpoint_answers_what_the_person_may_see(client, world):
    instrument = factories.make_instrument(world.demoland)
    Provision.objects.create(instrument=instrument, number="3", heading="Smugglers", text="Smugglers are punished.")
    client.force_login(world.adviser)
    hits = client.get(reverse("api-search"), {"q": "smuggler"}).json()
    assert [hit["kind"] for hit in hits] == ["provision"] and "<mark>" in hits[0]["excerpt"]
    assert client.get(reverse("api-search")).status_code == 400
    client.force_login(world.counterpart_other_state)
    assert client.get(reverse("api-search"), {"q": "smuggler"}).json() == []


def test_a_finding_cites_provisions_of_its_state_only(client, world):
    mine = Provision.objects.create(instrument=factories.make_instrument(world.demoland), number="2", text="Reasons.")
    theirs = Provision.objects.create(instrument=factories.make_instrument(world.examplia), number="2", text="x")
    lp01 = world.review.assessments.get(criterion__code="LP-01")
    url = reverse("api-assessment", args=[world.review.pk, lp01.pk])
    client.force_login(world.adviser)
    refused = client.patch(url, {"version": 1, "provisions": [theirs.pk]}, content_type="application/json")
    assert refused.status_code == 400 and not lp01.provisions.exists()
    cited = client.patch(url, {"version": 1, "provisions": [mine.pk]}, content_type="application/json")
    assert cited.status_code == 200 and cited.json()["provisions"] == [mine.pk]


def test_the_search_endpoint_refuses_an_overlong_query_in_the_persons_language(client, world):
    client.force_login(world.adviser)
    answer = client.get(reverse("api-search"), {"q": "x" * 201}, headers={"Accept-Language": "fr"})
    assert answer.status_code == 400 and "200" in str(answer.json())
