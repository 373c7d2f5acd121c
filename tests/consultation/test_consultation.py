import datetime
import io
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from consultation import notifications
from consultation import services as consultation
from consultation.markup import render_comment
from consultation.models import Comment, Invitation
from frameworks.models import SupportArea
from reports.services import render_report_html
from reviews.models import ReviewCycle
from reviews.permissions import Perm, Role, grant_role, has_perm
from reviews.services import assessment_update, recommendation_create, review_transition

pytestmark = pytest.mark.django_db
State = ReviewCycle.State


@pytest.fixture
def review(world):
    review = world.review
    review_transition(review=review, to_state=State.ASSESSMENT, by=world.adviser)
    assessment = review.assessments.get(criterion__code="LP-01")
    assessment_update(
        assessment=assessment,
        by=world.adviser,
        version=assessment.version,
        rating=2,
        finding="The Act defines checks and refusal of entry, but gives no right to written reasons.",
        internal_note="Minister's office is sensitive about this.",
    )
    recommendation_create(
        review=review,
        by=world.adviser,
        text="Give written reasons for every refusal of entry.",
        support_area=SupportArea.objects.get(code="legal_policy"),
    )
    return review


def edit_finding(world, review, code, text):
    assessment = review.assessments.get(criterion__code=code)
    assessment_update(assessment=assessment, by=world.adviser, version=assessment.version, finding=text)


def test_publishing_a_draft_opens_the_consultation_with_a_snapshot_that_never_changes(world, review):
    draft = consultation.draft_publish(review=review, by=world.adviser)
    review.refresh_from_db()
    assert (draft.number, review.state) == (1, State.CONSULTATION)
    assert review.transitions.filter(to_state=State.CONSULTATION, by=world.adviser).exists()
    edit_finding(world, review, "LP-01", "Rewritten after publication.")
    draft.refresh_from_db()
    finding = next(a for a in draft.snapshot["assessments"] if a["criterion"] == "LP-01")
    assert finding["finding"].startswith("The Act defines checks")
    assert "Minister's office" not in str(draft.snapshot)  # internal notes are never published
    assert consultation.draft_publish(review=review, by=world.adviser).number == 2


def test_only_the_team_publishes(world, review):
    for user in (world.counterpart, world.manager):
        with pytest.raises(PermissionDenied):
            consultation.draft_publish(review=review, by=user)


def test_counterparts_are_told_of_a_new_draft_by_email(world, review):
    draft = consultation.draft_publish(review=review, by=world.adviser)
    world.counterpart.email = "claire@ministry.example"
    world.counterpart.save()
    assert notifications.draft_published(draft.pk) == 1
    assert mail.outbox[-1].to == ["claire@ministry.example"]
    assert f"/reviews/{review.pk}/drafts/1/" in mail.outbox[-1].body


def test_an_existing_counterpart_account_accepts_by_following_the_link_signed_in(client, world, review):
    world.counterpart_not_invited.email = "omar@ministry.example"
    world.counterpart_not_invited.save()
    consultation.counterpart_invite(review=review, by=world.adviser, email="Omar@Ministry.example")
    assert not has_perm(world.counterpart_not_invited, review, Perm.VIEW_DRAFTS)  # not by address matching
    consultation.Invitation.objects.update(token_hash=consultation._hash("omar-link"))
    url = reverse("invitation", args=["omar-link"])
    assert "Sign in to accept" in client.get(url).content.decode()
    client.force_login(world.counterpart_not_invited)
    assert client.post(url).status_code == 302
    assert has_perm(world.counterpart_not_invited, review, Perm.VIEW_DRAFTS)
    assert client.get(url).status_code == 404  # used once


def test_an_account_of_another_state_cannot_be_invited(world, review):
    world.counterpart_other_state.email = "kofi@examplia.example"
    world.counterpart_other_state.save()
    with pytest.raises(ValidationError, match="is not an account of a counterpart of"):
        consultation.counterpart_invite(review=review, by=world.adviser, email="kofi@examplia.example")


@pytest.fixture
def eager_tasks(monkeypatch):
    """Celery runs queued tasks in this process: the e-mails they send land in the test outbox."""
    from iomborder.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


def test_an_invitation_link_works_once_and_expires(
    client, world, review, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        consultation.counterpart_invite(review=review, by=world.adviser, email="new.official@interior.example")
    assert mail.outbox[-1].to == ["new.official@interior.example"]
    url = re.search(r"https?://\S+(/invitations/\S+/)", mail.outbox[-1].body).group(1)
    assert Invitation.objects.get().token_hash not in url  # the link carries the token, the database its hash
    response = client.post(
        url,
        {
            "first_name": "Nadia",
            "last_name": "Haddad",
            "password": "a-long-pass-phrase-2026",
            "password_again": "a-long-pass-phrase-2026",
        },
    )
    assert response.status_code == 302
    user = type(world.adviser).objects.get(email="new.official@interior.example")
    assert user.member_state == world.demoland and has_perm(user, review, Perm.COMMENT)
    assert client.get(url).status_code == 404  # used once
    Invitation.objects.create(
        review=review,
        email="late@interior.example",
        token_hash=consultation._hash("late"),
        invited_by=world.adviser,
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    assert "expired" in client.get(reverse("invitation", args=["late"])).content.decode()


def test_access_is_withdrawn(client, world, review):
    client.force_login(world.adviser)
    url = reverse("reviews:withdraw", args=[review.pk, world.counterpart.pk])
    assert "Withdraw counterpart" in client.post(url).content.decode()  # asked first
    assert has_perm(world.counterpart, review, Perm.VIEW_DRAFTS)
    client.post(url, {"confirmed": "1"})
    assert not has_perm(world.counterpart, review, Perm.VIEW_DRAFTS)


def test_a_comment_quotes_the_words_with_the_text_around_them(world, review):
    draft = consultation.draft_publish(review=review, by=world.adviser)
    comment = consultation.comment_create(
        draft=draft,
        by=world.counterpart,
        body="The 2025 decree gives reasons.",
        target_type="finding",
        target_key="LP-01",
        quote="no right to written reasons",
    )
    assert comment.quote_prefix.endswith("but gives ")
    assert comment.quote_suffix == "."
    with pytest.raises(ValidationError, match="quoted words are not in the text"):
        consultation.comment_create(
            draft=draft, by=world.counterpart, body="x", target_type="finding", target_key="LP-01", quote="nowhere"
        )
    with pytest.raises(ValidationError, match="not in the draft"):
        consultation.comment_create(
            draft=draft, by=world.counterpart, body="x", target_type="finding", target_key="ZZ-9"
        )


def test_threads_get_replies_and_the_advisers_answer(world, review):
    draft = consultation.draft_publish(review=review, by=world.adviser)
    thread = consultation.comment_create(
        draft=draft, by=world.counterpart, body="Too harsh.", target_type="section", target_key="legal_policy"
    )
    reply = consultation.comment_create(draft=draft, by=world.adviser, body="Which part?", parent=thread)
    assert (reply.parent, reply.target_type, reply.target_key) == (thread, "section", "legal_policy")
    with pytest.raises(PermissionDenied):
        consultation.thread_answer(thread=thread, by=world.counterpart, status="addressed", answer="x")
    with pytest.raises(ValidationError, match="Say how the comment was addressed"):
        consultation.thread_answer(thread=thread, by=world.adviser, status="declined", answer="")
    consultation.thread_answer(thread=thread, by=world.adviser, status="declined", answer="The finding stands.")
    thread.refresh_from_db()
    assert (thread.status, thread.answered_by) == ("declined", world.adviser)
    assert notifications.thread_answered(thread.pk) == (1 if world.counterpart.email else 0)


def test_a_thread_whose_quote_is_gone_from_the_next_draft_is_outdated_and_stays_on_its_item(client, world, review):
    draft = consultation.draft_publish(review=review, by=world.adviser)
    gone = consultation.comment_create(
        draft=draft,
        by=world.counterpart,
        body="Not accurate.",
        target_type="finding",
        target_key="LP-01",
        quote="no right to written reasons",
    )
    kept = consultation.comment_create(
        draft=draft,
        by=world.counterpart,
        body="Agreed.",
        target_type="finding",
        target_key="LP-01",
        quote="The Act defines checks",
    )
    edit_finding(
        world, review, "LP-01", "The Act defines checks and refusal of entry, with written reasons since 2025."
    )
    consultation.draft_publish(review=review, by=world.adviser)
    gone.refresh_from_db(), kept.refresh_from_db()
    assert (gone.is_outdated, kept.is_outdated) == (True, False)
    client.force_login(world.counterpart)
    page = client.get(reverse("reviews:draft", args=[review.pk, 2])).content.decode()
    item = page[page.index('id="finding-LP-01"') :]
    assert "Not accurate." in item and "Outdated: the quoted words are no longer in this draft" in item


def test_the_changes_between_two_drafts_are_shown_item_by_item(client, world, review):
    consultation.draft_publish(review=review, by=world.adviser)
    edit_finding(world, review, "LP-01", "The Act defines checks and gives written reasons.")
    recommendation_create(
        review=review,
        by=world.adviser,
        text="Train officers on the new rule.",
        support_area=SupportArea.objects.get(code="processes"),
    )
    consultation.draft_publish(review=review, by=world.adviser)
    client.force_login(world.counterpart)
    page = client.get(reverse("reviews:draft_compare", args=[review.pk])).content.decode()
    assert "<del>" in page and "<ins>" in page
    assert "Train officers on the new rule." in page and "Added" in page


def test_every_counterpart_of_the_review_sees_every_thread(client, world, review):
    draft = consultation.draft_publish(review=review, by=world.adviser)
    grant_role(review=review, user=world.counterpart_not_invited, role=Role.COUNTERPART)
    consultation.comment_create(draft=draft, by=world.counterpart, body="Seen by all of us.")
    client.force_login(world.counterpart_not_invited)
    assert "Seen by all of us." in client.get(reverse("reviews:draft", args=[review.pk, 1])).content.decode()


def test_the_comment_response_matrix_lists_every_thread(client, world, review):
    draft = consultation.draft_publish(review=review, by=world.adviser)
    thread = consultation.comment_create(
        draft=draft,
        by=world.counterpart,
        body="Please cite the decree.",
        target_type="finding",
        target_key="LP-01",
        quote="written reasons",
    )
    consultation.thread_answer(thread=thread, by=world.adviser, status="addressed", answer="Cited in draft 2.")
    consultation.comment_create(draft=draft, by=world.adviser, body="**Noted**, thank you.", parent=thread)
    consultation.comment_create(draft=draft, by=world.counterpart, body='=HYPERLINK("http://evil.example","x")')
    client.force_login(world.counterpart)
    response = client.get(reverse("reviews:comment_matrix", args=[review.pk, 1]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == (
        1,
        "LP-01 Border legislation defines the powers of officials and the rights of people crossing",
        "The Act defines checks and refusal of entry, but gives no right to written reasons.",
        "written reasons",
        "Please cite the decree.",
        "counterpart",
        thread.created_at.date().isoformat(),
        "Addressed",
        "Cited in draft 2.",
        None,  # no document attached
    )
    assert rows[2][1:6] == ("↳ Reply", None, None, "Noted, thank you.", "adviser")  # empty cells read as None
    assert rows[3][1] == "Whole draft" and rows[3][4].startswith("=HYPERLINK")
    assert sheet.cell(row=4, column=5).data_type == "s"  # text, never a formula


def test_threads_left_open_are_carried_into_the_next_round(world, review):
    first = consultation.draft_publish(review=review, by=world.adviser)
    still_open = consultation.comment_create(draft=first, by=world.counterpart, body="Still open.")
    answered = consultation.comment_create(draft=first, by=world.counterpart, body="Answered.")
    consultation.thread_answer(thread=answered, by=world.adviser, status="addressed", answer="Done.")
    second = consultation.draft_publish(review=review, by=world.adviser)
    assert [t.pk for t in consultation.threads_of_round(second)] == [still_open.pk]
    with pytest.raises(ValidationError, match="superseded by draft 2"):
        consultation.comment_create(draft=first, by=world.counterpart, body="Late.")
    consultation.submit_for_validation(review=review, by=world.adviser)
    consultation.draft_approve(review=review, by=world.manager)
    with pytest.raises(ValidationError, match="consultation is closed"):
        consultation.comment_create(draft=second, by=world.counterpart, body="Too late.")


def test_a_superseded_draft_says_which_draft_is_open(client, world, review):
    consultation.draft_publish(review=review, by=world.adviser)
    consultation.draft_publish(review=review, by=world.adviser)
    client.force_login(world.counterpart)
    page = client.get(reverse("reviews:draft", args=[review.pk, 1])).content.decode()
    assert "superseded by draft 2" in page and "Go to draft 2" in page
    assert "Send the comment" not in page


def test_a_manager_approves_for_release_or_sends_back_and_the_state_validation_is_recorded(client, world, review):
    draft = consultation.draft_publish(review=review, by=world.adviser)
    consultation.submit_for_validation(review=review, by=world.adviser)
    with pytest.raises(ValidationError, match="Say what needs to change"):
        consultation.send_back(review=review, by=world.manager, note=" ")
    review.refresh_from_db()
    assert review.state == State.VALIDATION
    consultation.send_back(review=review, by=world.manager, note="Cite the 2025 decree.")
    consultation.submit_for_validation(review=review, by=world.adviser)
    with pytest.raises(PermissionDenied):
        consultation.draft_approve(review=review, by=world.adviser)
    consultation.draft_approve(review=review, by=world.manager)
    review.refresh_from_db(), draft.refresh_from_db()
    assert (review.state, draft.approved_by) == (State.FINAL, world.manager)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        consultation.state_validation_record(
            review=review,
            by=world.adviser,
            draft=draft,
            validated_by_name="H.E. X",
            validated_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    consultation.state_validation_record(
        review=review,
        by=world.adviser,
        draft=draft,
        validated_by_name="H.E. Ana Ruiz",
        validated_by_title="Minister of the Interior",
        validated_on=timezone.localdate(),
    )
    client.force_login(world.counterpart)
    assert (
        "Validated for the state by H.E. Ana Ruiz"
        in client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    )
    assert [t.to_state for t in review.transitions.all()][-4:] == ["validation", "consultation", "validation", "final"]


def test_advisers_hear_of_comments_and_digest_readers_get_one_mail_a_day(world, review):
    draft = consultation.draft_publish(review=review, by=world.adviser)
    comment = consultation.comment_create(draft=draft, by=world.counterpart, body="A remark.")
    assert notifications.comment_posted(comment.pk) == 1
    assert mail.outbox[-1].to == [world.adviser.email]
    world.adviser.daily_digest = True
    world.adviser.save()
    mail.outbox.clear()
    assert notifications.comment_posted(comment.pk) == 0
    notifications.daily_digests()
    assert [m.to for m in mail.outbox] == [[world.adviser.email]]
    assert f"{review.title}: 1 new comments" in mail.outbox[0].body


PAYLOADS = [
    "<script>window.pwned = 1</script>",
    '<img src=x onerror="window.pwned = 1">',
    "[click me](javascript:window.pwned=1)",
    '<a href="javascript:alert(1)">link</a>',
    '<svg onload="alert(1)"></svg>',
    '<iframe src="https://evil.example"></iframe>',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_markup_of_a_comment_survives_its_rendering(payload):
    html = str(render_comment(f"Hello **there** {payload}"))
    assert "<strong>there</strong>" in html
    for forbidden in ("<script", "onerror", "onload", "javascript:", "<iframe", "<svg"):
        assert forbidden not in html.lower()


def test_hostile_comments_are_inert_in_the_html_the_pdf_is_made_from(world, review):
    from reports.services import report_content

    draft = consultation.draft_publish(review=review, by=world.adviser)
    for payload in PAYLOADS:
        consultation.comment_create(draft=draft, by=world.counterpart, body=payload)
    html = render_report_html(report_content(review, draft), language="en", edition="full")
    comments = html[html.index('id="comments"') :]
    for forbidden in ("<script", "onerror", "onload", "javascript:", "<iframe", "<svg"):
        assert forbidden not in comments.lower()
    assert comments.count('class="finding"') == len(PAYLOADS)


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_a_comment_is_kept_when_the_mail_queue_is_down(world, review, django_capture_on_commit_callbacks):
    draft = consultation.draft_publish(review=review, by=world.adviser)
    with django_capture_on_commit_callbacks(execute=True):
        consultation.comment_create(draft=draft, by=world.counterpart, body="Kept.")
    assert Comment.objects.filter(body="Kept.").exists()
