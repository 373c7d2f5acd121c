"""Documents attached to comments (issue 12): the instruments' file rules, shown in the thread, listed in the
matrix, and never reachable from another state."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from consultation import services as consultation
from consultation.models import Comment
from reviews.models import ReviewCycle
from reviews.services import review_transition

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% a revised procedure\n"


@pytest.fixture
def draft(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    review_transition(review=world.review, to_state=ReviewCycle.State.ASSESSMENT, by=world.adviser)
    return consultation.draft_publish(review=world.review, by=world.adviser)


def send(client, review, draft, body, upload, **fields):
    data = {"body": body, "target_type": "finding", "target_key": "LP-01", "attachment": upload, **fields}
    return client.post(reverse("reviews:comment_create", args=[review.pk, draft.number]), data)


def test_a_counterpart_attaches_the_revised_procedure_and_the_team_reads_it(client, world, draft):
    client.force_login(world.counterpart)
    response = send(client, world.review, draft, "See the revised SOP.", SimpleUploadedFile("sop-2026.pdf", PDF))
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.attachment_name == "sop-2026.pdf"

    client.force_login(world.adviser)
    page = client.get(reverse("reviews:draft", args=[world.review.pk, draft.number])).content.decode()
    url = reverse("reviews:comment_attachment", args=[world.review.pk, comment.pk])
    assert url in page and "sop-2026.pdf" in page
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    sheet = load_workbook(io.BytesIO(client.get(reverse("reviews:comment_matrix", args=[world.review.pk, 1])).content))
    assert next(sheet.active.iter_rows(min_row=2, values_only=True))[9] == "sop-2026.pdf"


def test_a_file_whose_content_is_not_its_type_is_refused_and_the_text_kept(client, world, draft):
    client.force_login(world.counterpart)
    response = send(client, world.review, draft, "My long comment.", SimpleUploadedFile("sop.pdf", b"MZ\x90\x00binary"))
    assert response.status_code == 302 and not Comment.objects.exists()
    page = client.get(response.url).content.decode()
    assert "not that of a .pdf file" in page and "My long comment." in page


def test_nobody_of_another_state_reaches_an_attachment(client, world, draft):
    consultation.comment_create(
        draft=draft, by=world.counterpart, body="Here.", attachment=SimpleUploadedFile("sop.pdf", PDF)
    )
    comment = Comment.objects.get()
    url = reverse("reviews:comment_attachment", args=[world.review.pk, comment.pk])
    for who in ("counterpart_other_state", "counterpart_not_invited", "adviser_off_team"):
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == 404
    client.force_login(world.counterpart_other_state)  # nor by its own review's address
    assert (
        client.get(reverse("reviews:comment_attachment", args=[world.other_review.pk, comment.pk])).status_code == 404
    )
