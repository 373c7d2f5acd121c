"""The articles of a national instrument: typed, amended (the old text stays cited), split from the file in a
worker and corrected in a preview before anything is saved."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from frameworks.models import Provision, ProvisionSplit
from reviews.provisions import preview_rows, provision_change, provision_create
from tests import factories
from tests.frameworks.test_splitting import FRENCH

pytestmark = pytest.mark.django_db


@pytest.fixture
def law(world):
    instrument = factories.make_instrument(world.demoland, "Loi relative aux étrangers", language="fr")
    instrument.file.save("loi.txt", ContentFile(FRENCH.encode()))
    return instrument


@pytest.fixture(autouse=True)
def worker_here(monkeypatch):
    from iomborder.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


def test_an_amendment_is_a_new_version_and_the_old_text_stays_cited(world, law):
    article = provision_create(instrument=law, by=world.adviser, number="12", heading="Entrée", text="Texte de 2019.")
    lp01 = world.review.assessments.get(criterion__code="LP-01")
    lp01.provisions.add(article)
    amended = provision_change(
        provision=article, by=world.adviser, number="12", heading="Entrée", text="Texte de 2024.", amendment=True
    )
    assert (amended.version, amended.previous, amended.is_current) == (2, article, True)
    article.refresh_from_db()
    assert not article.is_current and article.text == "Texte de 2019."
    assert list(lp01.provisions.all()) == [article]  # the finding still cites what it cited
    corrected = provision_change(
        provision=amended, by=world.adviser, number="12", heading="De l'entrée", text="Texte de 2024.", amendment=False
    )
    assert corrected.pk == amended.pk and Provision.objects.filter(instrument=law).count() == 2


def test_a_number_twice_is_refused_with_a_message(client, world, law):
    provision_create(instrument=law, by=world.adviser, number="3", text="Un.")
    client.force_login(world.adviser)
    answer = client.post(
        reverse("instruments:provisions", args=["XD", law.pk]), {"number": "3", "heading": "", "text": "Deux."}
    )
    assert answer.status_code == 400 and "has an article 3 already" in answer.content.decode()
    assert "Deux." in answer.content.decode()  # what was typed is kept in the form
    assert law.provisions.count() == 1


def test_the_file_is_split_in_a_worker_corrected_and_saved(client, world, law, django_capture_on_commit_callbacks):
    client.force_login(world.adviser)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("instruments:provision_split_start", args=["XD", law.pk]))
    split = ProvisionSplit.objects.get()
    assert started["Location"] == reverse("instruments:provision_split", args=["XD", law.pk, split.pk])
    assert split.state == "ready" and "CHAPITRE II" in split.message
    page = client.get(started["Location"]).content.decode()
    assert "Du refus d&#x27;entrée" in page and Provision.objects.count() == 0  # a preview, nothing saved
    rows = split.found["pieces"]
    data = {"count": len(rows), "action": "save"}
    for n, row in enumerate(rows):
        data |= {f"number-{n}": row["number"], f"heading-{n}": row["heading"], f"text-{n}": row["text"]}
        if row["number"]:
            data[f"keep-{n}"] = "on"
    data["merge-5"] = "on"  # article 13 joins 12 bis
    data["number-2"] = "2 "  # spaces are not a difference
    saved = client.post(started["Location"], data)
    assert saved.status_code == 302
    assert list(law.provisions.values_list("number", flat=True)) == ["1", "2", "12", "12 bis"]
    assert "Est puni de cinq ans" in law.provisions.get(number="12 bis").text


def test_a_preview_is_cut_at_a_line_of_dashes_and_a_bad_one_is_refused_whole(world, law):
    rows = preview_rows([{"number": "4", "heading": "", "text": "Premier alinéa.\n---\n4 bis\nSecond texte."}])
    assert rows == [
        {"number": "4", "heading": "", "text": "Premier alinéa."},
        {"number": "4 bis", "heading": "", "text": "Second texte."},
    ]
    from django.core.exceptions import ValidationError

    from reviews.provisions import provisions_split_save

    split = ProvisionSplit.objects.create(instrument=law, created_by=world.adviser, state="ready")
    with pytest.raises(ValidationError) as refused:
        provisions_split_save(
            split=split,
            by=world.adviser,
            rows=[{"number": "1", "heading": "", "text": "Un."}, {"number": "1", "heading": "", "text": "Deux."}],
        )
    assert "the number 1 is used twice" in " ".join(refused.value.messages)
    assert not law.provisions.exists()


def test_a_file_without_headings_is_one_article_and_the_page_says_so(
    client, world, law, django_capture_on_commit_callbacks
):
    law.file.save("note.txt", ContentFile(b"Le ministre fixe les tarifs."))
    client.force_login(world.adviser)
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("instruments:provision_split_start", args=["XD", law.pk]))
    page = client.get(started["Location"]).content.decode()
    assert "No article heading was found" in page and "Le ministre fixe les tarifs." in page


def test_others_get_404_and_a_manager_reads_without_changing(client, world, law):
    article = provision_create(instrument=law, by=world.adviser, number="1", text="Texte.")
    urls = [
        reverse("instruments:provisions", args=["XD", law.pk]),
        reverse("instruments:provision_edit", args=["XD", law.pk, article.pk]),
    ]
    for person in (world.counterpart_other_state, world.counterpart, world.adviser_off_team):
        client.force_login(person)
        assert [client.get(url).status_code for url in urls] == [404, 404]
    client.force_login(world.manager)
    assert client.get(urls[0]).status_code == 200 and client.get(urls[1]).status_code == 404
    assert client.post(urls[0], {"number": "2", "text": "x"}).status_code == 404
    assert client.post(reverse("instruments:provision_split_start", args=["XD", law.pk])).status_code == 404


def test_a_finding_cites_articles_from_its_page_and_the_workspace_keeps_them(client, world, law):
    article = provision_create(instrument=law, by=world.adviser, number="12", heading="Entrée", text="Texte.")
    lp01 = world.review.assessments.get(criterion__code="LP-01")
    url = reverse("reviews:assessment", args=[world.review.pk, lp01.pk])
    client.force_login(world.adviser)
    page = client.get(url).content.decode()
    assert f'name="provisions" value="{article.pk}"' in page  # the picker of the criterion's own page
    saved = client.post(
        url, {"version": 1, "rating": "2", "finding": "Partly.", "provisions_shown": "1", "provisions": [article.pk]}
    )
    assert saved.status_code == 302 and list(lp01.provisions.all()) == [article]
    # The workspace's autosave of a criterion whose fragment shows no provisions leaves them alone.
    lp01.refresh_from_db()
    client.post(url, {"version": lp01.version, "rating": "3", "finding": "Better."}, headers={"HX-Request": "true"})
    assert list(lp01.provisions.all()) == [article]
    workspace = client.get(reverse("reviews:workspace", args=[world.review.pk])).content.decode()
    assert "Loi relative aux étrangers, Art. 12 Entrée" in workspace


def test_a_tampered_preview_gets_a_message_not_an_error(client, world, law):
    split = ProvisionSplit.objects.create(instrument=law, created_by=world.adviser, state="ready", found={"pieces": []})
    client.force_login(world.adviser)
    url = reverse("instruments:provision_split", args=["XD", law.pk, split.pk])
    answer = client.post(url, {"count": "many", "action": "save"})
    assert answer.status_code == 400 and "Keep at least one article." in answer.content.decode()
    assert not law.provisions.exists()


def test_a_nul_character_in_a_preview_gets_a_message_not_an_error(client, world, law):
    split = ProvisionSplit.objects.create(instrument=law, created_by=world.adviser, state="ready")
    client.force_login(world.adviser)
    url = reverse("instruments:provision_split", args=["XD", law.pk, split.pk])
    answer = client.post(url, {"count": "1", "action": "save", "number-0": "2", "text-0": "a\x00b", "keep-0": "on"})
    assert answer.status_code == 400 and "Null characters are not allowed." in answer.content.decode()
    assert not law.provisions.exists()
