import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from frameworks.models import NationalInstrument, SupportArea

pytestmark = pytest.mark.django_db


def data(**overrides):
    return {
        "title": "Law on Foreigners",
        "instrument_type": "law",
        "support_area": SupportArea.objects.get(code="legal_policy").pk,
        "date": "2020-05-04",
        "status": "in_force",
        "reference": "Law 12/2020",
        "url": "https://example.org/law",
        **overrides,
    }


def test_an_adviser_adds_an_instrument_with_its_file(client, world):
    client.force_login(world.adviser)
    upload = SimpleUploadedFile("law.pdf", b"%PDF-1.7 the law", content_type="application/pdf")
    response = client.post(reverse("instruments:instrument_create", args=["XD"]), data(file=upload))
    assert response.status_code == 302
    instrument = NationalInstrument.objects.get(title="Law on Foreigners")
    assert instrument.member_state == world.demoland
    assert instrument.created_by == world.adviser
    download = client.get(reverse("instruments:instrument_file", args=["XD", instrument.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.7 the law"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("law.exe", b"MZ", "Upload a PDF"),
        ("law.pdf", b"<html>not a pdf</html>", "content is not that of a .pdf file"),
    ],
)
def test_a_bad_file_is_refused_and_the_rest_of_the_form_is_kept(client, world, name, content, message):
    client.force_login(world.adviser)
    upload = SimpleUploadedFile(name, content)
    response = client.post(reverse("instruments:instrument_create", args=["XD"]), data(file=upload))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Law on Foreigners" in page
    assert not NationalInstrument.objects.filter(title="Law on Foreigners").exists()


def test_a_file_over_20_mb_is_refused(client, world, settings):
    client.force_login(world.adviser)
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024 + 1))
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = None
    response = client.post(reverse("instruments:instrument_create", args=["XD"]), data(file=upload))
    assert "the limit is 20 MB" in response.content.decode()


def test_an_instrument_is_edited(client, world):
    client.force_login(world.adviser)
    client.post(reverse("instruments:instrument_create", args=["XD"]), data())
    instrument = NationalInstrument.objects.get(title="Law on Foreigners")
    client.post(reverse("instruments:instrument_edit", args=["XD", instrument.pk]), data(status="repealed"))
    instrument.refresh_from_db()
    assert instrument.status == "repealed"


def test_the_list_shows_the_states_instruments_only(client, world):
    client.force_login(world.adviser)
    client.post(reverse("instruments:instrument_create", args=["XD"]), data())
    client.post(reverse("instruments:instrument_create", args=["XE"]), data(title="Examplia Act"))
    page = client.get(reverse("instruments:instruments", args=["XD"])).content.decode()
    assert "Law on Foreigners" in page and "Examplia Act" not in page


@pytest.mark.parametrize("url_name", ["instruments:instrument_create", "api-instruments"])
def test_an_instrument_whose_file_did_not_arrive_whole_is_not_saved(client, world, url_name):
    import io

    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    client.force_login(world.adviser)
    upload = SimpleUploadedFile("law.pdf", b"%PDF-1.7 " + b"x" * 200_000, content_type="application/pdf")
    body = encode_multipart(BOUNDARY, {**data(support_area="legal_policy"), **data(), "file": upload})
    cut = body[: len(body) // 2]  # the connection dropped halfway through the file
    response = client.generic(
        "POST",
        reverse(url_name, args=["XD"]),
        CONTENT_TYPE=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(len(body)),
        **{"wsgi.input": io.BytesIO(cut)},
    )
    assert response.status_code == 400
    assert "did not arrive whole" in response.content.decode()
    assert not NationalInstrument.objects.exists()
