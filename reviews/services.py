"""Writes to reviews. Each checks who may do it, validates, saves inside a transaction and records the act."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.log import action_entry, log_action, log_actions
from frameworks.models import (
    AssessmentFramework,
    Criterion,
    InternationalReference,
    MemberState,
    SupportArea,
    ThematicArea,
)
from reviews.models import MAX_TRANSITION_NOTE, Assessment, Recommendation, ReviewCycle, ReviewTransition
from reviews.permissions import Perm, Role, can_open_reviews, grant_role, has_perm, members_of, revoke_access

State = ReviewCycle.State

# The workflow of DESIGN.md section 4: for each move, the permission it needs on the review.
TRANSITIONS: dict[tuple[str, str], Perm] = {
    (State.SCOPING, State.ASSESSMENT): Perm.CHANGE,
    (State.ASSESSMENT, State.SCOPING): Perm.CHANGE,
    (State.ASSESSMENT, State.CONSULTATION): Perm.CHANGE,
    (State.CONSULTATION, State.VALIDATION): Perm.CHANGE,
    (State.VALIDATION, State.CONSULTATION): Perm.APPROVE,
    (State.VALIDATION, State.FINAL): Perm.APPROVE,
    (State.FINAL, State.FOLLOW_UP): Perm.CHANGE,
    # Reopening an approved text: a manager's act, with a reason, that starts a new draft round.
    (State.FINAL, State.CONSULTATION): Perm.APPROVE,
}
NEEDS_A_REASON = {(State.FINAL, State.CONSULTATION), (State.VALIDATION, State.CONSULTATION)}


class StaleEdit(Exception):
    """Someone saved the item after the version this edit started from; the current item is attached."""

    def __init__(self, current):
        super().__init__("stale edit")
        self.current = current


FROZEN_STATES = (State.FINAL, State.FOLLOW_UP)


class ReviewFrozen(ValidationError):
    """The review's text was approved for release: nothing of it changes until a manager reopens it."""


def frozen_message(review: ReviewCycle) -> str:
    approved = review.drafts.filter(approved_at__isnull=False).select_related("approved_by").order_by("-number").first()
    if approved is None:
        return _("This review is final: its text can no longer change. A manager can reopen it, with a reason.")
    return _(
        "Draft %(number)d of this review was approved for release by %(who)s on %(when)s: its text can no longer "
        "change. A manager can reopen the review, with a reason, for a new draft round."
    ) % {
        "number": approved.number,
        "who": approved.approved_by,
        "when": formats.date_format(timezone.localtime(approved.approved_at), "DATE_FORMAT"),
    }


def can_edit(user, review: ReviewCycle) -> bool:
    """Whether the pages offer the user to change the review's text: on the team, and not yet approved."""
    return review.state not in FROZEN_STATES and has_perm(user, review, Perm.CHANGE)


def ensure_open(review: ReviewCycle | int, *, for_update: bool = False) -> ReviewCycle | None:
    """Lock the review, or raise ReviewFrozen if its text was approved for release; with for_update, return
    the review read under that lock.

    The approval takes the review's row FOR UPDATE: an edit holding the share lock either commits before the
    approval, or waits and then finds the review final; edits do not block each other. Every write takes this
    lock before it locks its item, so that locks are always taken in the same order (no deadlock).
    """
    pk = review.pk if isinstance(review, ReviewCycle) else review
    if for_update:
        current = ReviewCycle.objects.select_for_update().get(pk=pk)
        state = current.state
    else:
        lock = " FOR SHARE" if connection.features.has_select_for_update else ""  # SQLite serialises writes
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(ReviewCycle._meta.db_table)
            cursor.execute(f"SELECT state FROM {table} WHERE id = %s{lock}", [pk])  # noqa: S608 - no input in it
            row = cursor.fetchone()
        if row is None:
            raise ReviewCycle.DoesNotExist
        state, current = row[0], None
    if state in FROZEN_STATES:
        raise ReviewFrozen(frozen_message(ReviewCycle.objects.get(pk=pk)))
    return current


@transaction.atomic
def review_create(
    *,
    by,
    member_state: MemberState,
    title: str,
    framework: AssessmentFramework,
    thematic_areas: list[ThematicArea],
    report_language: str = "en",
    criteria: list[Criterion] | None = None,
    start_date: datetime.date | None = None,
    due_date: datetime.date | None = None,
) -> ReviewCycle:
    """Open a review cycle in scoping. Without a list of criteria, those of the thematic areas are in scope."""
    if not can_open_reviews(by):
        raise PermissionDenied
    review = ReviewCycle(
        member_state=member_state,
        title=title.strip(),
        framework=framework,
        report_language=report_language,
        start_date=start_date,
        due_date=due_date,
        created_by=by,
    )
    review.full_clean()
    review.save()
    review.thematic_areas.set(thematic_areas)
    if criteria is None:
        criteria = list(framework.criteria.filter(thematic_area__in=thematic_areas))
    review_set_scope(review=review, criteria=criteria, by=by, _skip_permission=True)
    grant_role(review=review, user=by, role=Role.ADVISER)
    log_action("review.created", by=by, obj=review, review_id=review.pk)
    return review


@transaction.atomic
def review_set_scope(*, review: ReviewCycle, criteria: list[Criterion], by, _skip_permission: bool = False) -> None:
    """Put exactly these criteria in scope. A criterion taken out keeps its assessment, evidence and history,
    hidden until it returns; each move is in the history."""
    if not _skip_permission and not has_perm(by, review, Perm.CHANGE):
        raise PermissionDenied
    # For update: two scope saves at once wait for each other, and an autosave (share lock) waits for both.
    ensure_open(review, for_update=True)
    foreign = [c.code for c in criteria if c.framework_id != review.framework_id]
    if foreign:
        raise ValidationError(_("These criteria are not in the review's library: %s") % ", ".join(foreign))
    wanted = {c.pk for c in criteria}
    current = {a.criterion_id: a for a in Assessment.all_objects.filter(review=review).select_related("criterion")}
    moved = [a for pk, a in current.items() if a.in_scope != (pk in wanted)]
    for assessment in moved:
        assessment.in_scope = not assessment.in_scope
    Assessment.all_objects.bulk_update(moved, ["in_scope"])
    added = wanted - set(current)
    Assessment.objects.bulk_create([Assessment(review=review, criterion_id=pk) for pk in added])
    if added and not _skip_permission:
        codes = sorted(c.code for c in criteria if c.pk in added)
        log_action("review.scope.changed", by=by, obj=review, review_id=review.pk, added=", ".join(codes))
    if not _skip_permission:
        log_actions(
            [
                action_entry(
                    "review.assessment.scope_changed",
                    by=by,
                    obj=assessment,
                    review_id=review.pk,
                    changes={"in_scope": (_text(not assessment.in_scope), _text(assessment.in_scope))},
                )
                for assessment in moved
            ]
        )


@transaction.atomic
def review_transition(*, review: ReviewCycle, to_state: str, by, note: str = "") -> ReviewTransition:
    # Lock the row: two people moving the same review at once must not both succeed from the same state.
    review = ReviewCycle.objects.select_for_update().get(pk=review.pk)
    needed = TRANSITIONS.get((review.state, to_state))
    if needed is None:
        raise ValidationError(
            _("A review in %(current)s cannot move to %(target)s.")
            % {"current": review.get_state_display(), "target": State(to_state).label}
        )
    if not has_perm(by, review, needed):
        raise PermissionDenied
    note = note.strip()
    if len(note) > MAX_TRANSITION_NOTE:
        raise ValidationError({"note": _("A note has at most %d characters.") % MAX_TRANSITION_NOTE})
    if (review.state, to_state) in NEEDS_A_REASON and not note:
        raise ValidationError({"note": _("Say why: the reason is kept in the review's workflow history.")})
    record = ReviewTransition.objects.create(
        review=review, from_state=review.state, to_state=to_state, by=by, note=note
    )
    log_action(
        "review.moved",
        by=by,
        obj=review,
        review_id=review.pk,
        changes={"state": (record.from_state, to_state)},
        note=note,
    )
    review.state = to_state
    review.save(update_fields=["state", "updated_at"])
    return record


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _record_changes(*, action: str, obj, review_id: int, by, before: dict, after: dict) -> None:
    """One entry in the action log for the whole edit, with every field whose value changed."""
    changes = {
        name: (_text(before[name]), _text(value))
        for name, value in after.items()
        if _text(before[name]) != _text(value)
    }
    log_action(action, by=by, obj=obj, review_id=review_id, changes=changes)


def _snapshot(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


def _cited(instruments) -> str:
    return "; ".join(sorted(i.title for i in instruments))


ASSESSMENT_FIELDS = ("rating", "not_applicable", "finding", "internal_note", "is_restricted")


@transaction.atomic
def assessment_update(
    *, assessment: Assessment, by, version: int, evidence=None, provisions=None, **changes
) -> Assessment:
    """Save an adviser's edit of one criterion's assessment, refusing it if someone saved since `version`."""
    unknown = set(changes) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown assessment fields: {', '.join(sorted(unknown))}")
    if not has_perm(by, assessment.review, Perm.CHANGE):
        raise PermissionDenied
    ensure_open(assessment.review_id)
    # Lock the row so that two saves of the same version cannot both pass the version check.
    # all_objects: an autosave that crossed the criterion's removal from the scope is kept, not lost.
    # of=self: the joined review row keeps its share lock; locking it for update here would deadlock two
    # advisers saving two criteria of one review at the same moment.
    current = (
        Assessment.all_objects.select_for_update(of=("self",))
        .select_related("review", "criterion")
        .get(pk=assessment.pk)
    )
    if current.version != version:
        raise StaleEdit(current)
    before = _snapshot(current, ASSESSMENT_FIELDS)
    for name, value in changes.items():
        setattr(current, name, value)
    if current.not_applicable:
        current.rating = None
    # Fields only: the foreign keys were just read, and the CHECK constraints are the database's to enforce
    # (their validation here cost a savepoint and a query each, at every autosave).
    current.full_clean(exclude=["review", "criterion", "updated_by"], validate_constraints=False)
    after = _snapshot(current, ASSESSMENT_FIELDS)
    if evidence is not None:
        evidence = list(evidence)
        foreign = [i.title for i in evidence if i.member_state_id != current.review.member_state_id]
        if foreign:
            raise ValidationError(
                {"evidence": _("Only instruments of the reviewed state can be cited: %s") % ", ".join(foreign)}
            )
        before["evidence"] = _cited(current.evidence.all())
        after["evidence"] = _cited(evidence)
        current.evidence.set(evidence)
    if provisions is not None:  # the articles the finding cites: of the reviewed state's instruments
        provisions = list(provisions)
        if any(p.instrument.member_state_id != current.review.member_state_id for p in provisions):
            raise ValidationError(
                {"provisions": _("Only provisions of the reviewed state's instruments can be cited.")}
            )
        before["provisions"] = "; ".join(sorted(str(p) for p in current.provisions.all()))
        after["provisions"] = "; ".join(sorted(str(p) for p in provisions))
        current.provisions.set(provisions)
    if after == before:
        return current  # nothing changed: no new version, so nobody else's save is refused for nothing
    current.version += 1
    current.updated_by = by
    current.save()
    _record_changes(
        action="review.assessment.changed",
        obj=current,
        review_id=current.review_id,
        by=by,
        before=before,
        after=after,
    )
    return current


RECOMMENDATION_FIELDS = (
    "text",
    "rationale",
    "support_area",
    "thematic_area",
    "priority",
    "time_frame",
    "responsible_institution",
    "is_restricted",
)


def _check_links(review: ReviewCycle, criteria) -> None:
    if criteria is not None:
        in_scope = set(review.assessments.values_list("criterion_id", flat=True))
        outside = [c.code for c in criteria if c.pk not in in_scope]
        if outside:
            raise ValidationError(
                {"criteria": _("These criteria are not in the review's scope: %s") % ", ".join(outside)}
            )


@transaction.atomic
def recommendation_create(
    *,
    review: ReviewCycle,
    by,
    text: str,
    support_area: SupportArea,
    criteria: list[Criterion] = (),
    references: list[InternationalReference] = (),
    **fields,
) -> Recommendation:
    if not has_perm(by, review, Perm.CHANGE):
        raise PermissionDenied
    # Lock the review so that two recommendations added at once do not take the same place.
    ensure_open(review, for_update=True)
    _check_links(review, criteria)
    last = review.recommendations.filter(support_area=support_area).aggregate(last=Max("order"))["last"]
    recommendation = Recommendation(
        review=review, text=text, support_area=support_area, order=(last or 0) + 1, created_by=by, **fields
    )
    recommendation.full_clean()
    recommendation.save()
    recommendation.criteria.set(criteria)
    recommendation.references.set(references)
    blank = dict.fromkeys(RECOMMENDATION_FIELDS)
    _record_changes(
        action="review.recommendation.created",
        obj=recommendation,
        review_id=review.pk,
        by=by,
        before=blank,
        after=_snapshot(recommendation, RECOMMENDATION_FIELDS),
    )
    return recommendation


@transaction.atomic
def recommendation_update(
    *, recommendation: Recommendation, by, version: int, criteria=None, references=None, **changes
) -> Recommendation:
    unknown = set(changes) - set(RECOMMENDATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown recommendation fields: {', '.join(sorted(unknown))}")
    if not has_perm(by, recommendation.review, Perm.CHANGE):
        raise PermissionDenied
    ensure_open(recommendation.review_id)
    current = Recommendation.objects.select_for_update(of=("self",)).select_related("review").get(pk=recommendation.pk)
    if current.version != version:
        raise StaleEdit(current)
    _check_links(current.review, criteria)
    before = _snapshot(current, RECOMMENDATION_FIELDS)
    moved = "support_area" in changes and changes["support_area"].pk != current.support_area_id
    for name, value in changes.items():
        setattr(current, name, value)
    if moved:
        last = current.review.recommendations.filter(support_area=current.support_area).aggregate(last=Max("order"))
        current.order = (last["last"] or 0) + 1
    current.full_clean()
    after = _snapshot(current, RECOMMENDATION_FIELDS)
    if criteria is not None:
        before["criteria"] = ", ".join(sorted(c.code for c in current.criteria.all()))
        after["criteria"] = ", ".join(sorted(c.code for c in criteria))
        current.criteria.set(criteria)
    if references is not None:
        before["references"] = ", ".join(sorted(r.code for r in current.references.all()))
        after["references"] = ", ".join(sorted(r.code for r in references))
        current.references.set(references)
    if after == before:
        return current
    current.version += 1
    current.save()
    _record_changes(
        action="review.recommendation.changed",
        obj=current,
        review_id=current.review_id,
        by=by,
        before=before,
        after=after,
    )
    return current


@transaction.atomic
def recommendation_delete(*, recommendation: Recommendation, by) -> None:
    """Move a recommendation to the review's bin: out of the text and the reports, restorable, in the history."""
    if not has_perm(by, recommendation.review, Perm.CHANGE):
        raise PermissionDenied
    ensure_open(recommendation.review_id)
    current = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    current.deleted_at, current.deleted_by = timezone.now(), by
    current.save(update_fields=["deleted_at", "deleted_by"])
    log_action("review.recommendation.deleted", by=by, obj=current, review_id=current.review_id)


@transaction.atomic
def recommendation_restore(*, recommendation: Recommendation, by) -> Recommendation:
    """Bring a recommendation back from the bin, at the end of its support area."""
    if not has_perm(by, recommendation.review, Perm.CHANGE):
        raise PermissionDenied
    review = ensure_open(recommendation.review_id, for_update=True)  # its new place, as when one is added
    current = Recommendation.all_objects.select_for_update().get(pk=recommendation.pk)
    if current.deleted_at is None:
        return current
    last = review.recommendations.filter(support_area=current.support_area_id).aggregate(last=Max("order"))["last"]
    current.deleted_at, current.deleted_by, current.order = None, None, (last or 0) + 1
    current.version += 1
    current.save(update_fields=["deleted_at", "deleted_by", "order", "version"])
    log_action("review.recommendation.restored", by=by, obj=current, review_id=review.pk)
    return current


@transaction.atomic
def recommendation_move(*, recommendation: Recommendation, by, step: int) -> None:
    """Move a recommendation up (-1) or down (+1) among those of its support area."""
    if not has_perm(by, recommendation.review, Perm.CHANGE):
        raise PermissionDenied
    ensure_open(recommendation.review_id)
    # Lock the area's recommendations: two moves at once must not leave two items on one place.
    siblings = list(
        Recommendation.objects.select_for_update()
        .filter(review=recommendation.review_id, support_area=recommendation.support_area_id)
        .order_by("order", "pk")
    )
    index = next(i for i, r in enumerate(siblings) if r.pk == recommendation.pk)
    target = index + step
    if not 0 <= target < len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, item in enumerate(siblings, start=1):
        item.order = position
    Recommendation.objects.bulk_update(siblings, ["order"])
    log_action("review.recommendation.moved", by=by, obj=recommendation, review_id=recommendation.review_id, step=step)


# What can change once a review is open. Its member state and criteria library are fixed at creation: its
# instruments, counterparts, evidence and drafts belong to them (a new library is the next cycle's path).
REVIEW_FIELDS = ("title", "report_language", "start_date", "due_date", "thematic_areas")


@transaction.atomic
def review_update(*, review: ReviewCycle, by, **fields) -> ReviewCycle:
    """Change a review's title, report language, dates or thematic areas."""
    unknown = set(fields) - set(REVIEW_FIELDS)
    if unknown:
        raise TypeError(f"fields a review cannot change: {', '.join(sorted(unknown))}")
    if not has_perm(by, review, Perm.CHANGE):
        raise PermissionDenied
    ensure_open(review)
    thematic_areas = fields.pop("thematic_areas", None)
    before = _snapshot(review, fields)
    for name, value in fields.items():
        setattr(review, name, value)
    review.full_clean()
    review.save()
    after = _snapshot(review, fields)
    if thematic_areas is not None:
        before["thematic_areas"] = ", ".join(sorted(t.code for t in review.thematic_areas.all()))
        after["thematic_areas"] = ", ".join(sorted(t.code for t in thematic_areas))
        review.thematic_areas.set(thematic_areas)
    _record_changes(action="review.changed", obj=review, review_id=review.pk, by=by, before=before, after=after)
    return review


@transaction.atomic
def review_set_members(*, review: ReviewCycle, by, advisers: list, counterparts: list) -> None:
    """Name the team and the counterparts: those added get their role, those left out lose their access."""
    if not has_perm(by, review, Perm.CHANGE):
        raise PermissionDenied
    ensure_open(review)
    if by not in advisers:
        raise ValidationError(_("You cannot take yourself off the team."))
    for role, wanted in ((Role.ADVISER, advisers), (Role.COUNTERPART, counterparts)):
        current = set(members_of(review, role))
        for user in current - set(wanted):
            revoke_access(review=review, user=user)
        for user in set(wanted) - current:
            grant_role(review=review, user=user, role=role)
    log_action(
        "review.team.changed",
        by=by,
        obj=review,
        review_id=review.pk,
        advisers=", ".join(sorted(str(u) for u in advisers)),
        counterparts=", ".join(sorted(str(u) for u in counterparts)),
    )
