"""A ministry's annotated Word file comes back as comment threads: exported, commented with python-docx's own
comment API on paragraphs found by their text (not the export code), uploaded, triaged, confirmed. Hostile
files are refused with a message and change nothing."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from consultation.models import Comment
from reports.models import WordImport
from reports.services import report_request
from tests.office import libreoffice
from tests.reports.conftest import made

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def worker_here(monkeypatch):
    """The worker's reading of an uploaded file runs in this process once the upload's transaction commits."""
    from iomborder.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


def upload(client, django_capture_on_commit_callbacks, url, name, data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url, {"file": SimpleUploadedFile(name, data)})


def commented(data: bytes, notes: dict[str, str]) -> bytes:
    """The document with a Word comment on the first paragraph holding each text."""
    document = Document(io.BytesIO(data))
    for text, note in notes.items():
        paragraph = next(p for p in document.paragraphs if text in p.text)
        document.add_comment(paragraph.runs, text=note, author="Ministry of the Interior", initials="MI")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_the_ministrys_word_comments_become_threads_on_their_items(
    client, world, drafted, django_capture_on_commit_callbacks
):
    review, draft, _restricted = drafted
    exported = made(report_request(review=review, by=world.counterpart, draft=draft, file_format="docx"))
    recommendation = review.recommendations.get(text="Give written reasons.")
    file = commented(
        exported,
        {
            "No written reasons.": "The 2025 decree gives written reasons.",  # a finding of legal_policy
            "Give written reasons.": "Agreed, with the decree of 2025.",  # a recommendation
            "Adopt SOPs.": "The SOPs are being drafted.",  # a recommendation of processes
            "3. ": "Our comment on the whole section.",  # a support area's heading
        },
    )
    client.force_login(world.counterpart)
    url = reverse("reviews:word_upload", args=[review.pk, 1])
    answer = upload(client, django_capture_on_commit_callbacks, url, "ministry.docx", file)
    assert answer.status_code == 302
    imported = WordImport.objects.get()
    assert imported.state == WordImport.State.READY
    page = client.get(answer["Location"]).content.decode()
    assert "The 2025 decree gives written reasons." in page and Comment.objects.count() == 1  # shown, not saved
    found = {item["body"]: (item["target_type"], item["target_key"]) for item in imported.found}
    assert found["The 2025 decree gives written reasons."] == ("finding", "LP-01")
    assert found["Agreed, with the decree of 2025."] == ("recommendation", str(recommendation.pk))
    assert found["The SOPs are being drafted."][0] == "recommendation"
    assert found["Our comment on the whole section."][0] == "section"

    data = {f"keep-{n}": "on" for n in range(len(imported.found))}
    index = next(n for n, item in enumerate(imported.found) if item["body"] == "The SOPs are being drafted.")
    data.pop(f"keep-{index}")  # dropped
    client.post(answer["Location"], data)
    threads = Comment.objects.filter(from_word="ministry.docx")
    assert threads.count() == 3
    assert threads.get(body="The 2025 decree gives written reasons.").target_key == "LP-01"
    assert client.post(answer["Location"], data).status_code == 200  # confirmed once only
    assert threads.count() == 3


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("notes.docx", lambda good: b"plain text, not a zip", "not a Word document"),
        ("locked.docx", lambda good: b"\xd0\xcf\x11\xe0" + b"\0" * 100, "protected by a password"),
        ("macro.docm", lambda good: good, "macros"),
        ("other.docx", lambda good: zipped({"word/document.xml": b"<w:document/>"}), "not exported from draft 1"),
        (
            "bomb.docx",
            lambda good: zipped({"word/document.xml": b"<a/>", "word/big.xml": b"\0" * (201 * 1024 * 1024)}),
            "expands to more than 200 MB",
        ),
        (
            "entities.docx",
            lambda good: zipped(
                {
                    "word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "x">]><d>&e;</d>',
                    "docProps/core.xml": b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY e "x">]><c/>',
                }
            ),
            "document type declaration",
        ),
    ],
)
def test_a_hostile_file_is_refused_with_its_message_and_changes_nothing(client, world, drafted, name, make, message):
    review, draft, _restricted = drafted
    good = made(report_request(review=review, by=world.adviser, draft=draft, file_format="docx"))
    client.force_login(world.counterpart)
    before = (Comment.objects.count(), WordImport.objects.count())
    answer = client.post(
        reverse("reviews:word_upload", args=[review.pk, 1]), {"file": SimpleUploadedFile(name, make(good))}
    )
    assert answer.status_code == 400 and message in answer.content.decode()
    assert (Comment.objects.count(), WordImport.objects.count()) == before


def test_only_those_who_may_comment_bring_a_file_back(client, world, drafted):
    review, _draft, _restricted = drafted
    url = reverse("reviews:word_upload", args=[review.pk, 1])
    client.force_login(world.counterpart_other_state)
    assert client.get(url).status_code == 404
    client.force_login(world.counterpart)
    assert client.get(url).status_code == 200


def test_a_tracked_change_comes_back_as_a_suggested_rewording_on_its_item(
    client, world, drafted, django_capture_on_commit_callbacks
):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    review, draft, _restricted = drafted
    document = Document(
        io.BytesIO(made(report_request(review=review, by=world.adviser, draft=draft, file_format="docx")))
    )
    paragraph = next(p for p in document.paragraphs if "Adopt SOPs." in p.text)
    insertion = OxmlElement("w:ins")
    insertion.set(qn("w:id"), "901")
    insertion.set(qn("w:author"), "Ministry of the Interior")
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = " by June 2027"
    run.append(text)
    insertion.append(run)
    paragraph._p.append(insertion)
    buffer = io.BytesIO()
    document.save(buffer)
    client.force_login(world.counterpart)
    url = reverse("reviews:word_upload", args=[review.pk, 1])
    upload(client, django_capture_on_commit_callbacks, url, "m.docx", buffer.getvalue())
    (change,) = [item for item in WordImport.objects.get().found if item["kind"] == "change"]
    recommendation = review.recommendations.get(text="Adopt SOPs.")
    assert (change["target_type"], change["target_key"]) == ("recommendation", str(recommendation.pk))
    assert change["body"] == "Suggested insertion: « by June 2027 »"


def test_the_api_uploads_shows_and_confirms_a_word_file(client, world, drafted, django_capture_on_commit_callbacks):
    review, draft, _restricted = drafted
    exported = made(report_request(review=review, by=world.adviser, draft=draft, file_format="docx"))
    file = SimpleUploadedFile("ministry.docx", commented(exported, {"No written reasons.": "See the 2025 decree."}))
    client.force_login(world.counterpart_other_state)
    assert client.post(reverse("api-word-imports", args=[review.pk, 1]), {"file": file}).status_code == 404
    client.force_login(world.counterpart)
    file.seek(0)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(reverse("api-word-imports", args=[review.pk, 1]), {"file": file})
    assert created.status_code == 201 and created.json()["state"] == "reading"
    imported = client.get(reverse("api-word-import", args=[created.json()["id"]])).json()
    assert imported["state"] == "ready" and imported["found"][0]["target_key"] == "LP-01"
    client.force_login(world.adviser)  # another person's import
    assert client.get(reverse("api-word-import", args=[imported["id"]])).status_code == 404
    client.force_login(world.counterpart)
    assert client.get(reverse("api-word-import", args=[imported["id"]])).status_code == 200
    confirm = reverse("api-word-import-confirm", args=[imported["id"]])
    answer = client.post(
        confirm, {"items": [{"index": 0, "body": "See the decree of 2025."}]}, content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["confirmed_at"]
    assert Comment.objects.get(from_word="ministry.docx").body == "See the decree of 2025."
    again = client.post(confirm, {"items": [{"index": 0}]}, content_type="application/json")
    assert again.status_code == 400 and Comment.objects.filter(from_word="ministry.docx").count() == 1


def test_a_docx_with_broken_xml_gets_a_message_not_an_error(client, world, drafted):
    review, _draft, _restricted = drafted
    broken = zipped({"word/document.xml": b"<w:document><unclosed>", "docProps/core.xml": b"<not xml"})
    client.force_login(world.counterpart)
    answer = client.post(
        reverse("reviews:word_upload", args=[review.pk, 1]), {"file": SimpleUploadedFile("broken.docx", broken)}
    )
    assert answer.status_code == 400 and "not a Word document" in answer.content.decode()
    assert not WordImport.objects.exists()


def test_a_file_commented_then_saved_by_libreoffice_comes_back_on_its_items(
    client, world, drafted, tmp_path, django_capture_on_commit_callbacks
):
    """As a ministry would: the commented draft opened and saved again by LibreOffice (which rewrites the whole
    file: its bookmarks, comments and properties) still finds each comment's item and its draft."""
    review, draft, _restricted = drafted
    exported = made(report_request(review=review, by=world.adviser, draft=draft, file_format="docx", language="fr"))
    source = tmp_path / "ministere.docx"
    source.write_bytes(
        commented(
            exported,
            {
                "1. ": "Notre stratégie de 2024 manque.",  # the first support area's heading
                "No written reasons.": "Le décret de 2025 motive les refus.",  # a finding of another area
                "Adopt SOPs.": "Les procédures sont en cours de rédaction.",  # a recommendation of a third
            },
        )
    )
    (tmp_path / "saved").mkdir()
    libreoffice(source, "docx:MS Word 2007 XML", tmp_path / "saved", tmp_path / "profile")
    client.force_login(world.counterpart)
    url = reverse("reviews:word_upload", args=[review.pk, 1])
    answer = upload(
        client,
        django_capture_on_commit_callbacks,
        url,
        "ministere.docx",
        (tmp_path / "saved" / "ministere.docx").read_bytes(),
    )
    assert answer.status_code == 302, answer.content.decode()
    found = {item["body"]: (item["target_type"], item["target_key"]) for item in WordImport.objects.get().found}
    recommendation = review.recommendations.get(text="Adopt SOPs.")
    assert found == {
        "Notre stratégie de 2024 manque.": ("section", "strategic_documents"),
        "Le décret de 2025 motive les refus.": ("finding", "LP-01"),
        "Les procédures sont en cours de rédaction.": ("recommendation", str(recommendation.pk)),
    }


def test_the_triage_page_waits_for_the_reading_then_says_what_the_file_lacks(
    client, world, drafted, django_capture_on_commit_callbacks
):
    review, draft, _restricted = drafted
    exported = made(report_request(review=review, by=world.adviser, draft=draft, file_format="docx"))
    client.force_login(world.counterpart)
    url = reverse("reviews:word_upload", args=[review.pk, 1])
    answer = client.post(url, {"file": SimpleUploadedFile("plain.docx", exported)})  # not read yet: no commit
    imported = WordImport.objects.get()
    assert imported.state == WordImport.State.READING and imported.file.name
    waiting = client.get(answer["Location"]).content.decode()
    assert "Reading the file" in waiting and 'hx-trigger="every 1s"' in waiting
    upload(client, django_capture_on_commit_callbacks, url, "plain.docx", exported)
    read = WordImport.objects.latest("pk")
    assert read.state == WordImport.State.FAILED
    page = client.get(reverse("reviews:word_triage", args=[review.pk, read.pk]), headers={"HX-Request": "true"})
    assert (
        "holds no comment and no tracked change" in page.content.decode() and "hx-trigger" not in page.content.decode()
    )


def test_without_a_broker_the_file_is_read_by_the_web_process_not_left_waiting(
    client, world, drafted, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from iomborder.celery import app

    review, draft, _restricted = drafted
    file = commented(
        made(report_request(review=review, by=world.adviser, draft=draft, file_format="docx")),
        {"No written reasons.": "See the 2025 decree."},
    )
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    client.force_login(world.counterpart)
    answer = upload(
        client, django_capture_on_commit_callbacks, reverse("reviews:word_upload", args=[review.pk, 1]), "m.docx", file
    )
    imported = WordImport.objects.get()
    assert imported.state == WordImport.State.READY and imported.found[0]["target_key"] == "LP-01"
    polled = client.get(answer["Location"], headers={"HX-Request": "true"})
    assert polled["HX-Refresh"] == "true"  # the waiting page, polling, shows the whole triage page


def test_the_exports_own_tracked_changes_do_not_come_back_as_the_ministrys(
    client, world, drafted, tmp_path, django_capture_on_commit_callbacks
):
    from consultation.services import draft_publish
    from reviews.services import recommendation_update

    review, _draft, _restricted = drafted
    recommendation = review.recommendations.get(text="Give written reasons.")
    recommendation_update(
        recommendation=recommendation,
        by=world.adviser,
        version=recommendation.version,
        text="Give written reasons within ten days.",
    )
    second = draft_publish(review=review, by=world.adviser)
    exported = made(report_request(review=review, by=world.adviser, draft=second, file_format="docx"))
    source = tmp_path / "draft2.docx"
    source.write_bytes(commented(exported, {"Adopt SOPs.": "Agreed."}))
    (tmp_path / "saved").mkdir()
    libreoffice(source, "docx:MS Word 2007 XML", tmp_path / "saved", tmp_path / "profile")
    client.force_login(world.counterpart)
    url = reverse("reviews:word_upload", args=[review.pk, 2])
    upload(
        client,
        django_capture_on_commit_callbacks,
        url,
        "draft2.docx",
        (tmp_path / "saved" / "draft2.docx").read_bytes(),
    )
    assert [(item["kind"], item["body"]) for item in WordImport.objects.get().found] == [("comment", "Agreed.")]


def test_a_nul_character_typed_in_the_triage_gets_a_message_and_saves_nothing(
    client, world, drafted, django_capture_on_commit_callbacks
):
    review, draft, _restricted = drafted
    exported = made(report_request(review=review, by=world.adviser, draft=draft, file_format="docx"))
    client.force_login(world.counterpart)
    url = reverse("reviews:word_upload", args=[review.pk, 1])
    answer = upload(
        client, django_capture_on_commit_callbacks, url, "m.docx", commented(exported, {"Adopt SOPs.": "Ok."})
    )
    before = Comment.objects.count()
    refused = client.post(answer["Location"], {"keep-0": "on", "body-0": "a\x00b", "target-0": "draft:"})
    assert refused.status_code == 400 and "Null characters are not allowed." in refused.content.decode()
    assert Comment.objects.count() == before and WordImport.objects.get().confirmed_at is None
