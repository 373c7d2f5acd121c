"""Every URL and endpoint of the product x every role -> the expected status. Another state's object is 404."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consultation import services as consultation
from frameworks.models import Provision, ProvisionSplit, StandardProvision, SupportArea
from reports.models import ReportJob
from reports.services import report_request, stored_name
from reviews.models import GapEntry, ReviewCycle
from reviews.provisions import provision_create
from reviews.services import recommendation_create, review_transition
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "adviser",
    "adviser_off_team",
    "counterpart",
    "counterpart_not_invited",
    "counterpart_other_state",
    "manager",
]
# Who may, for each kind of URL (everyone else gets 404; anonymous visitors are sent to sign in, or 401/403).
TEAM = {"adviser"}
TEAM_AND_MANAGERS = {"adviser", "manager"}
READERS = {"adviser", "manager", "counterpart"}
EVERYONE_SIGNED_IN = set(ROLES) - {"anonymous"}  # their own page: the home page, the inbox


@pytest.fixture
def objects(world):
    review = world.review
    review_transition(review=review, to_state=ReviewCycle.State.ASSESSMENT, by=world.adviser)
    recommendation = recommendation_create(
        review=review, by=world.adviser, text="Adopt SOPs.", support_area=SupportArea.objects.get(code="processes")
    )
    consultation.draft_publish(review=review, by=world.adviser)
    thread = consultation.comment_create(
        draft=review.drafts.get(),
        by=world.counterpart,
        body="A comment.",
        attachment=SimpleUploadedFile("sop.pdf", b"%PDF-1.4 a procedure"),
    )
    consultation.draft_publish(review=review, by=world.adviser)
    instrument = factories.make_instrument(world.demoland)
    provision = provision_create(instrument=instrument, by=world.adviser, number="1", text="Article one.")
    gap_entry = GapEntry.objects.create(
        review=review, standard_provision=StandardProvision.objects.get(code="iccpr-art-12"), provision=provision
    )
    split = ProvisionSplit.objects.create(instrument=instrument, created_by=world.adviser, state="ready")
    draft_job = report_request(review=review, by=world.counterpart, draft=review.drafts.get(number=1))
    current_job = report_request(review=review, by=world.adviser)
    for job in (draft_job, current_job):  # ready with a stored file: who may download it is what is tested here
        ReportJob.objects.filter(pk=job.pk).update(
            state=ReportJob.State.READY, file=default_storage.save(stored_name(job), ContentFile(b"%PDF-1.7\n"))
        )
    return {
        "r": review.pk,
        "a": review.assessments.first().pk,
        "rec": recommendation.pk,
        "thread": thread.pk,
        "i": instrument.pk,
        "p": provision.pk,
        "split": split.pk,
        "gap": gap_entry.pk,
        "other": world.other_review.pk,
        "code": world.demoland.code,
        "draft_job": draft_job.pk,
        "current_job": current_job.pk,
        "counterpart": world.counterpart.pk,
    }


def matrix(o):
    """(method, url, who may) for every GET page and endpoint of the product."""
    r = o["r"]
    return [
        ("get", reverse("reviews:detail", args=[r]), READERS),
        ("get", reverse("reviews:edit", args=[r]), TEAM),
        ("get", reverse("reviews:scope", args=[r]), TEAM),
        ("get", reverse("reviews:team", args=[r]), TEAM),
        ("get", reverse("reviews:workspace", args=[r]), TEAM_AND_MANAGERS),
        ("get", reverse("reviews:assessment", args=[r, o["a"]]), TEAM),
        ("get", reverse("reviews:assessment_evidence", args=[r, o["a"]]), TEAM),
        ("get", reverse("reviews:recommendations", args=[r]), TEAM_AND_MANAGERS),
        ("get", reverse("reviews:recommendation_create", args=[r]), TEAM),
        ("get", reverse("reviews:recommendation_edit", args=[r, o["rec"]]), TEAM),
        ("get", reverse("reviews:history", args=[r]), TEAM_AND_MANAGERS),
        ("get", reverse("reviews:gap_matrix", args=[r]), TEAM_AND_MANAGERS),
        ("get", reverse("reviews:gap_matrix_export", args=[r]), TEAM_AND_MANAGERS),
        ("get", reverse("reviews:recommendation_bin", args=[r]), TEAM_AND_MANAGERS),
        ("get", reverse("reviews:reports", args=[r]), READERS),
        ("get", reverse("reviews:recommendations_export", args=[r, "xlsx"]), TEAM_AND_MANAGERS),
        ("get", reverse("reviews:recommendations_export", args=[r, "csv"]), TEAM_AND_MANAGERS),
        ("get", reverse("reviews:report_download", args=[o["draft_job"]]), READERS),
        ("get", reverse("reviews:report_download", args=[o["current_job"]]), TEAM_AND_MANAGERS),
        ("get", reverse("reviews:draft", args=[r, 1]), READERS),
        ("get", reverse("reviews:draft", args=[r, 2]), READERS),
        ("get", reverse("reviews:draft_compare", args=[r]), READERS),
        ("get", reverse("reviews:comment_matrix", args=[r, 1]), READERS),
        ("get", reverse("reviews:draft_threads", args=[r, 1]) + "?type=draft&key=", READERS),
        ("get", reverse("reviews:comment_attachment", args=[r, o["thread"]]), READERS),
        ("get", reverse("home"), EVERYONE_SIGNED_IN),
        ("get", reverse("inbox"), EVERYONE_SIGNED_IN),
        ("get", reverse("reviews:invite", args=[r]), TEAM),
        ("get", reverse("reviews:state_validation", args=[r]), TEAM_AND_MANAGERS),
        ("get", reverse("instruments:instruments", args=[o["code"]]), TEAM_AND_MANAGERS),
        ("get", reverse("instruments:instrument_create", args=[o["code"]]), TEAM),
        ("get", reverse("instruments:instrument_edit", args=[o["code"], o["i"]]), TEAM),
        ("get", reverse("instruments:provisions", args=[o["code"], o["i"]]), TEAM_AND_MANAGERS),
        ("get", reverse("instruments:provision_edit", args=[o["code"], o["i"], o["p"]]), TEAM),
        ("get", reverse("instruments:provision_split", args=[o["code"], o["i"], o["split"]]), TEAM),
        ("get", reverse("api-review", args=[r]), TEAM_AND_MANAGERS),
        ("get", reverse("api-assessments", args=[r]), TEAM_AND_MANAGERS),
        ("get", reverse("api-assessment", args=[r, o["a"]]), TEAM_AND_MANAGERS),
        ("get", reverse("api-recommendations", args=[r]), TEAM_AND_MANAGERS),
        ("get", reverse("api-recommendation", args=[r, o["rec"]]), TEAM_AND_MANAGERS),
        ("get", reverse("api-drafts", args=[r]), READERS),
        ("get", reverse("api-draft", args=[r, 1]), READERS),
        ("get", reverse("api-comments", args=[r]), READERS),
        ("get", reverse("api-comment", args=[r, o["thread"]]), READERS),
        ("get", reverse("api-report", args=[o["draft_job"]]), READERS),
        ("get", reverse("api-report", args=[o["current_job"]]), TEAM_AND_MANAGERS),
        ("get", reverse("api-report-download", args=[o["draft_job"]]), READERS),
        ("get", reverse("api-instruments", args=[o["code"]]), TEAM_AND_MANAGERS),
        ("get", reverse("api-instrument", args=[o["code"], o["i"]]), TEAM_AND_MANAGERS),
        ("get", reverse("api-provisions", args=[o["code"], o["i"]]), TEAM_AND_MANAGERS),
        ("get", reverse("api-provision", args=[o["code"], o["i"], o["p"]]), TEAM_AND_MANAGERS),
        ("get", reverse("api-gap-matrix", args=[r]), TEAM_AND_MANAGERS),
        ("get", reverse("api-gap-entry", args=[r, o["gap"]]), TEAM_AND_MANAGERS),
        ("get", reverse("api-standard-provisions"), EVERYONE_SIGNED_IN),
        ("get", reverse("api-search") + "?q=article", EVERYONE_SIGNED_IN),
        ("get", reverse("search") + "?q=article", EVERYONE_SIGNED_IN),
        ("get", reverse("reviews:compare") + f"?reviews={r},{o['other']}", TEAM_AND_MANAGERS),
        ("get", reverse("reviews:compare"), EVERYONE_SIGNED_IN),
        ("get", reverse("api-comparisons") + f"?reviews={r},{o['other']}", TEAM_AND_MANAGERS),
    ]


def unexpected_answers(client, world, role, entries) -> dict:
    """The URLs of `entries` ((method, url, who may)) that answer the role otherwise than expected: 200 to those
    who may, 404 to the others, and to anonymous visitors a redirect to sign in (401 or 403 from the API)."""
    if role != "anonymous":
        client.force_login(getattr(world, role))
    unexpected = {}
    for method, url, allowed in entries:
        status = getattr(client, method)(url).status_code
        if role == "anonymous":
            expected = (401, 403) if url.startswith("/api/") else (302,)
        else:
            expected = (200,) if role in allowed else (404,)
        if status not in expected:
            unexpected[url] = (status, expected)
    return unexpected


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_expected(client, world, objects, role):
    assert unexpected_answers(client, world, role, matrix(objects)) == {}


@pytest.mark.parametrize("role", ["adviser_off_team", "counterpart_not_invited", "counterpart_other_state"])
def test_writes_by_outsiders_answer_404_and_change_nothing(client, world, objects, role):
    client.force_login(getattr(world, role))
    r = objects["r"]
    for url, data in [
        (reverse("reviews:draft_publish", args=[r]), {}),
        (reverse("reviews:comment_create", args=[r, 2]), {"body": "Intrusion"}),
        (reverse("reviews:thread_answer", args=[r, objects["thread"]]), {"status": "addressed", "answer": "x"}),
        (reverse("reviews:invite", args=[r]), {"email": "x@example.org"}),
        (reverse("reviews:withdraw", args=[r, objects["counterpart"]]), {}),
        (reverse("reviews:validation_step", args=[r, "submit"]), {}),
        (reverse("reviews:validation_step", args=[r, "reopen"]), {"note": "x"}),
        (reverse("reviews:recommendation_delete", args=[r, objects["rec"]]), {"confirmed": "1"}),
        (reverse("reviews:recommendation_restore", args=[r, objects["rec"]]), {}),
        (reverse("api-drafts", args=[r]), {}),
        (reverse("api-comments", args=[r]), {"draft": 2, "body": "Intrusion"}),
        (reverse("instruments:provisions", args=[objects["code"], objects["i"]]), {"number": "9", "text": "x"}),
        (reverse("instruments:provision_edit", args=[objects["code"], objects["i"], objects["p"]]), {"number": "9"}),
        (reverse("instruments:provision_split_start", args=[objects["code"], objects["i"]]), {}),
        (reverse("reviews:gap_matrix", args=[r]), {"standard": 1, "provision": objects["p"]}),
        (reverse("reviews:gap_entry", args=[r, objects["gap"]]), {"version": 1, "verdict": "meets"}),
        (reverse("reviews:gap_entry_remove", args=[r, objects["gap"]]), {}),
        (reverse("api-provisions", args=[objects["code"], objects["i"]]), {"number": "9", "text": "x"}),
        (reverse("api-gap-matrix", args=[r]), {"standard_provision": "iccpr-art-9"}),
    ]:
        assert client.post(url, data).status_code == 404, url
    assert world.review.drafts.count() == 2
    assert not world.review.drafts.filter(comments__body="Intrusion").exists()
    assert world.review.recommendations.filter(pk=objects["rec"]).exists()
    assert not Provision.objects.filter(number="9").exists() and ProvisionSplit.objects.count() == 1
    assert list(GapEntry.objects.values_list("verdict", flat=True)) == [""]


def test_a_counterpart_comments_but_does_not_publish_answer_or_invite(client, world, objects):
    client.force_login(world.counterpart)
    r = objects["r"]
    assert client.post(reverse("reviews:comment_create", args=[r, 2]), {"body": "Fine."}).status_code == 302
    assert client.post(reverse("reviews:draft_publish", args=[r])).status_code == 404
    assert client.post(reverse("reviews:invite", args=[r]), {"email": "x@example.org"}).status_code == 404
    client.post(reverse("reviews:thread_answer", args=[r, objects["thread"]]), {"status": "declined", "answer": "no"})
    assert world.review.drafts.get(number=1).comments.get(pk=objects["thread"]).status == "open"
