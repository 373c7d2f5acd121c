"""The consultation with the member state: drafts, invitations, comments, validation. Each write checks who may."""

import datetime
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from consultation.markup import render_comment
from consultation.models import MAX_COMMENT, Comment, DraftVersion, Invitation, StateValidation
from core.log import log_action
from core.queue import queue_on_commit
from frameworks.services import validate_instrument_file
from reviews.models import ReviewCycle
from reviews.permissions import Perm, Role, grant_role, has_perm, revoke_access
from reviews.services import FROZEN_STATES, review_transition
from reviews.snapshots import build_snapshot, pick, recommendation_numbers, snapshot_hash

State = ReviewCycle.State
INVITATION_DAYS = 14
QUOTE_CONTEXT = 32


# Drafts ---------------------------------------------------------------------------------------------------


def item_texts(snapshot: dict) -> dict[tuple[str, str], str]:
    """The readable text of every item of a draft (what a quote is looked for in), by (target type, key)."""
    assessments, recommendations = snapshot["assessments"], snapshot["recommendations"]
    texts = {(Comment.Target.FINDING.value, a["criterion"]): a["finding"] for a in assessments}
    for r in recommendations:
        texts[(Comment.Target.RECOMMENDATION.value, str(r["id"]))] = f"{r['text']}\n{r['rationale']}"
    for area in snapshot["support_areas"]:
        texts[(Comment.Target.SECTION.value, area["code"])] = "\n".join(
            [a["finding"] for a in assessments if a["support_area"] == area["code"]]
            + [r["text"] for r in recommendations if r["support_area"] == area["code"]]
        )
    texts[(Comment.Target.DRAFT.value, "")] = "\n".join(
        [a["finding"] for a in assessments] + [r["text"] for r in recommendations]
    )
    return texts


def item_key(target_type: str, target_key) -> tuple[str, str]:
    """An item's key in item_texts(): the draft as a whole has no key of its own."""
    return str(target_type), "" if target_type == Comment.Target.DRAFT else str(target_key)


def item_labels(snapshot: dict, language: str) -> dict[tuple[str, str], str]:
    """Every item of a draft named as the draft names it ("LP-01 Border legislation…", "R-LP-2 Adopt…"), by
    item_key(); made once for the whole draft."""
    numbers = recommendation_numbers(snapshot)
    labels = {
        (Comment.Target.FINDING.value, a["criterion"]): f"{a['criterion']} {pick(a['title'], language)}"
        for a in snapshot["assessments"]
    }
    for r in snapshot["recommendations"]:
        key = str(r["id"])
        labels[(Comment.Target.RECOMMENDATION.value, key)] = f"{numbers.get(key, '')} {r['text'][:120]}".strip()
    for area in snapshot["support_areas"]:
        labels[(Comment.Target.SECTION.value, area["code"])] = pick(area["name"], language)
    labels[(Comment.Target.DRAFT.value, "")] = str(Comment.Target.DRAFT.label)
    return labels


def item_label(snapshot: dict, target_type: str, target_key: str, language: str) -> str | None:
    """The name of one item of a draft; None if the draft lacks it."""
    return item_labels(snapshot, language).get(item_key(target_type, target_key))


def item_text(snapshot: dict, target_type: str, target_key: str) -> str | None:
    """The readable text of one item of a draft; None if the draft lacks it."""
    return item_texts(snapshot).get(item_key(target_type, target_key))


def _still_quoted(comment: Comment, texts: dict) -> bool:
    text = texts.get(item_key(comment.target_type, comment.target_key))
    if text is None:
        return False
    if not comment.quote_exact:
        return True
    return comment.quote_prefix + comment.quote_exact + comment.quote_suffix in text or comment.quote_exact in text


# The government's time to comment on a draft, unless the team gives another date when publishing it; its
# counterparts are reminded this many days before the deadline.
COMMENT_DAYS = 14
REMINDER_DAYS = 3


def default_comments_due() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=COMMENT_DAYS)


def _check_comments_due(comments_due: datetime.date) -> None:
    if comments_due < timezone.localdate():
        raise ValidationError({"comments_due": _("The deadline for comments cannot be in the past.")})


@transaction.atomic
def draft_publish(*, review: ReviewCycle, by, comments_due: datetime.date | None = None) -> DraftVersion:
    """Publish the review's current text as draft N+1, an immutable snapshot, and open (or go on with) the
    consultation, until `comments_due` (by default COMMENT_DAYS from today). Threads whose quoted words are gone
    from the new text are marked outdated, never moved."""
    review = ReviewCycle.objects.select_for_update().get(pk=review.pk)  # two publications get two numbers
    if not has_perm(by, review, Perm.CHANGE):
        raise PermissionDenied
    if review.state not in (State.ASSESSMENT, State.CONSULTATION):
        raise ValidationError(_("A draft can be published during the assessment or the consultation only."))
    comments_due = comments_due or default_comments_due()
    _check_comments_due(comments_due)
    snapshot = build_snapshot(review)
    number = (review.drafts.aggregate(last=Max("number"))["last"] or 0) + 1
    draft = DraftVersion.objects.create(
        review=review,
        number=number,
        snapshot=snapshot,
        content_hash=snapshot_hash(snapshot),
        published_by=by,
        comments_due=comments_due,
    )
    if review.state == State.ASSESSMENT:
        review_transition(review=review, to_state=State.CONSULTATION, by=by, note=_("Draft %d published.") % number)
    changed = []
    texts = item_texts(snapshot)  # once for the draft, not once for each of hundreds of threads
    for comment in Comment.objects.filter(draft__review=review, parent=None).only(
        "pk", "target_type", "target_key", "quote_exact", "quote_prefix", "quote_suffix", "is_outdated"
    ):
        outdated = not _still_quoted(comment, texts)
        if outdated != comment.is_outdated:
            comment.is_outdated = outdated
            changed.append(comment)
    Comment.objects.bulk_update(changed, ["is_outdated"], batch_size=500)  # one statement, not one per thread
    log_action(
        "consultation.draft.published",
        by=by,
        obj=draft,
        review_id=review.pk,
        number=number,
        comments_due=comments_due.isoformat(),
    )
    queue_on_commit("reviews.notify_draft_published", draft.pk)
    return draft


@transaction.atomic
def comments_due_change(*, draft: DraftVersion, by, comments_due: datetime.date) -> DraftVersion:
    """Move the deadline of the draft open for comments; its counterparts are reminded again before the new one."""
    review = ReviewCycle.objects.select_for_update().get(pk=draft.review_id)
    if not has_perm(by, review, Perm.CHANGE):
        raise PermissionDenied
    refusal = comment_refusal(draft)
    if refusal:
        raise ValidationError(refusal)
    _check_comments_due(comments_due)
    before = draft.comments_due
    DraftVersion.objects.filter(pk=draft.pk).update(comments_due=comments_due, deadline_reminded_at=None)
    draft.comments_due, draft.deadline_reminded_at = comments_due, None
    log_action(
        "consultation.deadline.changed",
        by=by,
        obj=draft,
        review_id=review.pk,
        changes={"comments_due": (before.isoformat() if before else None, comments_due.isoformat())},
    )
    return draft


def drafts_to_remind(today: datetime.date | None = None):
    """The drafts open for comments whose deadline is within REMINDER_DAYS, not reminded yet."""
    today = today or timezone.localdate()
    latest = DraftVersion.objects.filter(review=OuterRef("review")).order_by("-number").values("number")[:1]
    return DraftVersion.objects.filter(
        review__state=State.CONSULTATION,
        number=Subquery(latest),
        deadline_reminded_at__isnull=True,
        comments_due__gte=today,
        comments_due__lte=today + datetime.timedelta(days=REMINDER_DAYS),
    ).select_related("review")


@transaction.atomic
def deadline_reminded(draft: DraftVersion) -> bool:
    """Mark the draft's counterparts reminded; False when another worker did it first (remind once only)."""
    marked = DraftVersion.objects.filter(pk=draft.pk, deadline_reminded_at__isnull=True).update(
        deadline_reminded_at=timezone.now()
    )
    if marked:
        log_action(
            "consultation.deadline.reminded",
            obj=draft,
            review_id=draft.review_id,
            number=draft.number,
            comments_due=draft.comments_due.isoformat(),
        )
    return bool(marked)


# Invitations ----------------------------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def counterpart_invite(*, review: ReviewCycle, by, email: str, focal_point: bool = False) -> Invitation:
    """Invite a counterpart of the review's state (a focal point also reports the action plan's progress): an
    e-mail carries a one-time link, valid for 14 days. Access is given by following it (setting a password, or
    signing in with an account of the state), never by an address matching an account: anyone can type any
    address on their own account."""
    if not has_perm(by, review, Perm.CHANGE):
        raise PermissionDenied
    email = get_user_model().objects.normalize_email(email.strip()).lower()
    if not email:
        raise ValidationError({"email": _("Enter an e-mail address.")})
    existing = get_user_model().objects.filter(email__iexact=email, email_verified=True).first()
    if existing is not None and existing.member_state_id != review.member_state_id:
        raise ValidationError(
            {
                "email": _("%(email)s is not an account of a counterpart of %(state)s.")
                % {"email": email, "state": review.member_state}
            }
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        review=review,
        email=email,
        token_hash=_hash(token),
        invited_by=by,
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
        focal_point=focal_point,
    )
    log_action("consultation.invitation.sent", by=by, obj=invitation, review_id=review.pk)
    queue_on_commit("reviews.send_invitation", invitation.pk, token)
    return invitation


def invitation_for(token: str, *, for_update: bool = False) -> Invitation:
    invitations = Invitation.objects.select_related("review__member_state")
    if for_update:  # two tabs accepting at once: one wins, the other is told the link was used
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(token_hash=_hash(token)).first()
    if invitation is None or invitation.accepted_at is not None:
        raise ValidationError(_("This invitation link is not valid, or was already used."))
    if invitation.expires_at < timezone.now():
        raise ValidationError(_("This invitation link has expired: ask the IOM team for a new one."))
    return invitation


def _accepted(invitation: Invitation, user) -> None:
    role = Role.FOCAL_POINT if invitation.focal_point else Role.COUNTERPART
    grant_role(review=invitation.review, user=user, role=role)
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    log_action("consultation.invitation.accepted", by=user, obj=invitation, review_id=invitation.review_id)


@transaction.atomic
def invitation_accept(*, token: str, password: str, first_name: str, last_name: str):
    """A new counterpart's account, made from the invitation's link: the link proves the address."""
    invitation = invitation_for(token, for_update=True)
    User = get_user_model()
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("An account with this e-mail address exists already: sign in with it."))
    if not (first_name.strip() and last_name.strip()):
        raise ValidationError(_("Give your first and last name: they are shown with your comments."))
    user = User(
        username=invitation.email,
        email=invitation.email,
        email_verified=True,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        member_state=invitation.review.member_state,
    )
    validate_password(password, user)
    if User.objects.filter(username__iexact=invitation.email).exists():
        raise ValidationError(_("An account with this e-mail address exists already: sign in with it."))
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get_or_create(name="Counterparts")[0])
    _accepted(invitation, user)
    return user


@transaction.atomic
def invitation_accept_signed_in(*, token: str, user):
    """A counterpart who has an account follows the link and accepts, signed in: only for the review's state."""
    invitation = invitation_for(token, for_update=True)
    if user.member_state_id != invitation.review.member_state_id:
        raise ValidationError(
            _("Your account is not one of a counterpart of %(state)s: this invitation is for one.")
            % {"state": invitation.review.member_state}
        )
    if user.email.lower() == invitation.email and not user.email_verified:
        user.email_verified = True  # following the link sent to it proves the address
        user.save(update_fields=["email_verified"])
    _accepted(invitation, user)
    return invitation.review


@transaction.atomic
def access_withdraw(*, review: ReviewCycle, by, user) -> None:
    if not has_perm(by, review, Perm.CHANGE):
        raise PermissionDenied
    if user == by:
        raise ValidationError(_("You cannot take yourself off the team."))
    revoke_access(review=review, user=user)
    log_action("consultation.access.withdrawn", by=by, obj=review, review_id=review.pk, person=str(user))


# Comments -------------------------------------------------------------------------------------------------


def comment_refusal(draft: DraftVersion) -> str:
    """Why comments on this draft are closed, or "" while it is the draft open for consultation."""
    state = ReviewCycle.objects.values_list("state", flat=True).get(pk=draft.review_id)  # not a cached copy
    if state in FROZEN_STATES:
        return _("The consultation is closed: the review is final.")
    latest = DraftVersion.objects.filter(review=draft.review_id).aggregate(last=Max("number"))["last"]
    if latest != draft.number:
        return _("Draft %(number)d was superseded by draft %(latest)d: comment on draft %(latest)d.") % {
            "number": draft.number,
            "latest": latest,
        }
    return ""


def threads_of_round(draft: DraftVersion):
    """The threads of a consultation round: those on this draft, and those left open on earlier drafts."""
    return (
        Comment.objects.filter(draft__review=draft.review_id, parent=None, draft__number__lte=draft.number)
        .filter(Q(draft=draft) | Q(status=Comment.Status.OPEN))
        .select_related("author", "answered_by", "draft")
        .defer("draft__snapshot")  # decoded once per thread otherwise; read it from the draft when needed
        .order_by("draft__number", "created_at", "pk")
    )


def _quote_context(text: str, quote: str) -> tuple[str, str]:
    at = text.find(quote)
    return text[max(0, at - QUOTE_CONTEXT) : at], text[at + len(quote) : at + len(quote) + QUOTE_CONTEXT]


@transaction.atomic
def comment_create(
    *,
    draft: DraftVersion,
    by,
    body: str,
    target_type: str = Comment.Target.DRAFT,
    target_key: str = "",
    quote: str = "",
    parent: Comment | None = None,
    attachment=None,
    from_word: str = "",
) -> Comment:
    """A comment or a reply on a draft, with an optional document (a PDF, Word, OpenDocument, RTF or text file
    of at most 20 MB, its content checked against its name)."""
    review = draft.review
    if not has_perm(by, review, Perm.COMMENT):
        raise PermissionDenied
    refusal = comment_refusal(draft)
    if refusal:
        raise ValidationError(refusal)
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write the comment.")})
    ProhibitNullCharactersValidator()(body)  # the pages' forms refuse it too; not every caller has a form
    if len(body) > MAX_COMMENT:
        raise ValidationError({"body": _("A comment has at most %d characters.") % MAX_COMMENT})
    if parent is not None:
        if parent.draft.review_id != review.pk:
            raise ValidationError(_("This thread belongs to another review."))
        parent = parent.parent or parent  # replies hang from the thread, one level deep
        comment = Comment(
            draft=draft,
            parent=parent,
            target_type=parent.target_type,
            target_key=parent.target_key,
            author=by,
            body=body,
        )
    else:
        if target_type not in Comment.Target.values:
            raise ValidationError({"target_type": _("Choose what the comment is about.")})
        if target_type == Comment.Target.DRAFT:
            target_key = ""
        text = item_text(draft.snapshot, target_type, str(target_key))
        if text is None:
            raise ValidationError({"target_key": _("This item is not in the draft.")})
        quote = quote.strip()
        prefix = suffix = ""
        if quote:
            if quote not in text:
                raise ValidationError({"quote": _("The quoted words are not in the text of this item.")})
            prefix, suffix = _quote_context(text, quote)
        comment = Comment(
            draft=draft,
            target_type=target_type,
            target_key=str(target_key),
            author=by,
            body=body,
            quote_exact=quote,
            quote_prefix=prefix,
            quote_suffix=suffix,
            from_word=from_word,
        )
    comment.body_html = str(render_comment(comment.body))
    if attachment is not None:
        try:
            validate_instrument_file(attachment)
        except ValidationError as exc:
            raise ValidationError({"attachment": exc.messages}) from None
        comment.attachment = attachment
    comment.full_clean()
    comment.save()
    log_action(
        "consultation.comment.created",
        by=by,
        obj=comment,
        review_id=review.pk,
        draft=draft.number,
        attachment=comment.attachment_name,
    )
    queue_on_commit("reviews.notify_comment", comment.pk)
    return comment


@transaction.atomic
def thread_answer(*, thread: Comment, by, status: str, answer: str) -> Comment:
    """The advisers' disposition of a thread: addressed or declined with their answer, or open again."""
    thread = Comment.objects.select_for_update(of=("self",)).select_related("draft__review").get(pk=thread.pk)
    if thread.parent_id is not None:
        raise ValidationError(_("Only a thread, not a reply, has a status."))
    if not has_perm(by, thread.draft.review, Perm.CHANGE):
        raise PermissionDenied
    if status not in Comment.Status.values:
        raise ValidationError({"status": _("Choose open, addressed or declined.")})
    answer = answer.strip()
    if len(answer) > MAX_COMMENT:
        raise ValidationError({"answer": _("An answer has at most %d characters.") % MAX_COMMENT})
    if status != Comment.Status.OPEN and not answer:
        raise ValidationError({"answer": _("Say how the comment was addressed, or why it was declined.")})
    thread.status, thread.answer = status, answer
    thread.answered_by, thread.answered_at = by, timezone.now()
    thread.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    log_action(
        "consultation.comment.answered",
        by=by,
        obj=thread,
        review_id=thread.draft.review_id,
        status=status,
        answer=answer,
    )
    if status != Comment.Status.OPEN:
        queue_on_commit("reviews.notify_answer", thread.pk)
    return thread


# Validation -----------------------------------------------------------------------------------------------


def submit_for_validation(*, review: ReviewCycle, by):
    if not review.drafts.exists():
        raise ValidationError(_("Publish a draft before asking for its validation."))
    return review_transition(review=review, to_state=State.VALIDATION, by=by)


@transaction.atomic
def draft_approve(*, review: ReviewCycle, by, note: str = ""):
    """A manager approves the latest draft for release: the review becomes final."""
    record = review_transition(review=review, to_state=State.FINAL, by=by, note=note)  # locks the review
    draft = review.drafts.order_by("-number").first()
    DraftVersion.objects.filter(pk=draft.pk).update(approved_by=by, approved_at=timezone.now())
    log_action("consultation.draft.approved", by=by, obj=draft, review_id=review.pk, number=draft.number)
    return record


def send_back(*, review: ReviewCycle, by, note: str):
    if not note.strip():
        raise ValidationError({"note": _("Say what needs to change.")})
    return review_transition(review=review, to_state=State.CONSULTATION, by=by, note=note.strip())


def review_reopen(*, review: ReviewCycle, by, reason: str):
    """A manager reopens an approved review, with a reason: the team edits again and publishes a new draft.
    The approved draft stays as it was approved, and so do the reports made from it."""
    if review.state != State.FINAL:
        raise ValidationError(_("Only a final review can be reopened."))
    return review_transition(review=review, to_state=State.CONSULTATION, by=by, note=reason)


@transaction.atomic
def state_validation_record(
    *,
    review: ReviewCycle,
    by,
    draft: DraftVersion,
    validated_by_name: str,
    validated_on: datetime.date,
    validated_by_title: str = "",
    reference: str = "",
) -> StateValidation:
    if not (has_perm(by, review, Perm.CHANGE) or has_perm(by, review, Perm.APPROVE)):
        raise PermissionDenied
    if draft.review_id != review.pk:
        raise ValidationError({"draft": _("This draft belongs to another review.")})
    if validated_on > timezone.localdate():
        raise ValidationError({"validated_on": _("The date of the validation cannot be in the future.")})
    validation = StateValidation(
        review=review,
        draft=draft,
        validated_by_name=validated_by_name.strip(),
        validated_by_title=validated_by_title,
        validated_on=validated_on,
        reference=reference,
        recorded_by=by,
    )
    validation.full_clean()
    validation.save()
    log_action("consultation.validation.recorded", by=by, obj=validation, review_id=review.pk, draft=draft.number)
    return validation
