"""Full-text search in the three languages, ranked and highlighted, and never across states. On PostgreSQL (CI)
and the embedded SQLite alike."""

import pytest
from django.db import connection
from django.urls import reverse

from frameworks.models import NationalInstrument, SupportArea
from reviews.provisions import provision_create
from reviews.search import search
from reviews.services import assessment_update, recommendation_create

pytestmark = pytest.mark.django_db


def law(state, language, title):
    return NationalInstrument.objects.create(
        member_state=state,
        title=title,
        instrument_type="law",
        support_area=SupportArea.objects.get(code="legal_policy"),
        language=language,
    )


@pytest.fixture
def laws(world):
    loi = law(world.demoland, "fr", "Loi sur les étrangers")
    ley = law(world.demoland, "es", "Ley de Migración")
    act = law(world.examplia, "en", "Examplia Aliens Act")
    return {
        "fr": provision_create(
            instrument=loi,
            by=world.adviser,
            number="12 bis",
            heading="Du passeur",
            text="Le passeur qui facilite l'entrée irrégulière est puni de cinq ans.",
        ),
        "es": provision_create(
            instrument=ley,
            by=world.adviser,
            number="7",
            heading="De la migración irregular",
            text="La migración irregular no constituye delito.",
        ),
        "other": provision_create(
            instrument=act,
            by=world.adviser,
            number="4",
            heading="Smugglers",
            text="A passeur who smuggles migrants through Examplia commits an offence.",
        ),
    }


def test_french_stemming_finds_the_singular_from_the_plural_and_marks_it(world, laws):
    hits = search(world.adviser, "passeurs")
    provisions = [hit for hit in hits if hit.kind == "provision"]
    assert provisions[0].pk == laws["fr"].pk
    assert "<mark>passeur</mark>" in provisions[0].excerpt.lower()


def test_spanish_accents_do_not_matter(world, laws):
    (hit,) = [hit for hit in search(world.adviser, "migracion") if hit.kind == "provision"]
    assert hit.pk == laws["es"].pk and "<mark>" in hit.excerpt


def test_an_article_number_finds_its_article(world, laws):
    assert laws["fr"].pk in [hit.pk for hit in search(world.adviser, "art. 12 bis") if hit.kind == "provision"]


def test_findings_and_recommendations_are_found_in_the_review_language(world, laws):
    lp01 = world.review.assessments.get(criterion__code="LP-01")
    assessment_update(assessment=lp01, by=world.adviser, version=lp01.version, finding="Written reasons are missing.")
    recommendation_create(
        review=world.review,
        by=world.adviser,
        text="Give written reasons for every refusal.",
        support_area=SupportArea.objects.get(code="legal_policy"),
    )
    kinds = {hit.kind for hit in search(world.adviser, "reason")}
    assert kinds == {"finding", "recommendation"}


def test_another_states_text_never_comes_back(client, world, laws):
    # The adviser of both reviews sees both states' laws; a counterpart and an adviser of no review see none.
    assert {hit.pk for hit in search(world.adviser, "passeur")} == {laws["fr"].pk, laws["other"].pk}
    for person in (world.counterpart, world.counterpart_other_state, world.adviser_off_team):
        assert search(person, "passeur") == []
    client.force_login(world.counterpart_other_state)
    page = client.get(reverse("search"), {"q": "passeur"}).content.decode()
    assert "0 results" in page and "cinq ans" not in page and "Examplia Aliens Act" not in page


def test_the_search_page_lists_the_hits_with_links(client, world, laws):
    client.force_login(world.manager)
    page = client.get(reverse("search"), {"q": "passeurs"}).content.decode()
    assert "Loi sur les étrangers, art. 12 bis" in page
    assert reverse("instruments:provisions", args=["XD", laws["fr"].instrument_id]) in page
    assert "<mark>" in page and "<script" not in page.split("<main", 1)[-1]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored vector is PostgreSQL's")
def test_a_change_of_the_instruments_language_stems_its_provisions_again(world, laws):
    def vector():
        with connection.cursor() as cursor:
            cursor.execute("SELECT search_vector::text FROM frameworks_provision WHERE id = %s", [laws["fr"].pk])
            return cursor.fetchone()[0]

    french = vector()
    assert "'passeur'" in french and "'cinq'" in french  # "ans" and "est" are French stop words
    NationalInstrument.objects.filter(pk=laws["fr"].instrument_id).update(language="en")
    assert vector() != french and "'est'" in vector()  # English keeps the French stop word


def test_a_counterpart_finds_the_words_of_the_published_draft_only(client, world):
    from consultation.services import draft_publish
    from reviews.models import ReviewCycle
    from reviews.services import review_transition

    review_transition(review=world.review, to_state=ReviewCycle.State.ASSESSMENT, by=world.adviser)
    lp01 = world.review.assessments.get(criterion__code="LP-01")
    assessment_update(
        assessment=lp01, by=world.adviser, version=lp01.version, finding="Les passeurs ne sont pas poursuivis."
    )
    draft_publish(review=world.review, by=world.adviser)
    lp01.refresh_from_db()
    assessment_update(  # written after the draft: the counterpart must not find it
        assessment=lp01, by=world.adviser, version=lp01.version, finding="Les passeurs et la rétention secrète."
    )
    client.force_login(world.counterpart)
    hits = client.get(reverse("api-search"), {"q": "passeur"}).json()
    assert [(hit["kind"], hit["url"].rsplit("#", 1)[1]) for hit in hits] == [("finding", "finding-LP-01")]
    assert "<mark>passeurs</mark>" in hits[0]["excerpt"]
    assert client.get(reverse("api-search"), {"q": "secrète"}).json() == []
    client.force_login(world.counterpart_other_state)
    assert client.get(reverse("api-search"), {"q": "passeur"}).json() == []


def test_control_characters_in_a_query_are_spaces_not_an_error(client, world, laws):
    client.force_login(world.adviser)
    assert "Loi sur les étrangers" in client.get(reverse("search"), {"q": "passeurs\x00"}).content.decode()
    assert client.get(reverse("api-search"), {"q": "passeurs\x00"}).status_code == 200
    assert client.get(reverse("api-search"), {"q": "\x00"}).status_code == 400
