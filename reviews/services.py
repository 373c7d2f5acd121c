"""Writes to reviews. Each checks who may do it, validates, saves inside a transaction and records the act."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from frameworks.models import AssessmentFramework, Criterion, MemberState, ThematicArea
from reviews.models import Assessment, ReviewCycle, ReviewTransition
from reviews.permissions import Perm, Role, can_open_reviews, grant_role, has_perm

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
}


class StaleEdit(Exception):
    """Someone saved the item after the version this edit started from; the current item is attached."""

    def __init__(self, current):
        super().__init__("stale edit")
        self.current = current


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
    return review


@transaction.atomic
def review_set_scope(*, review: ReviewCycle, criteria: list[Criterion], by, _skip_permission: bool = False) -> None:
    """Put exactly these criteria in scope. A criterion leaves the scope only while nothing was written on it."""
    if not _skip_permission and not has_perm(by, review, Perm.CHANGE):
        raise PermissionDenied
    foreign = [c.code for c in criteria if c.framework_id != review.framework_id]
    if foreign:
        raise ValidationError(_("These criteria are not in the review's library: %s") % ", ".join(foreign))
    wanted = {c.pk for c in criteria}
    current = {a.criterion_id: a for a in review.assessments.all()}
    leaving = [a for pk, a in current.items() if pk not in wanted]
    worked_on = [a.criterion.code for a in leaving if a.is_assessed or a.finding.strip() or a.internal_note.strip()]
    if worked_on:
        raise ValidationError(
            _("These criteria already have a rating or text and cannot leave the scope: %s") % ", ".join(worked_on)
        )
    Assessment.objects.filter(pk__in=[a.pk for a in leaving]).delete()
    Assessment.objects.bulk_create([Assessment(review=review, criterion_id=pk) for pk in wanted - set(current)])


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
    record = ReviewTransition.objects.create(
        review=review, from_state=review.state, to_state=to_state, by=by, note=note
    )
    review.state = to_state
    review.save(update_fields=["state", "updated_at"])
    return record


ASSESSMENT_FIELDS = ("rating", "not_applicable", "finding", "internal_note", "is_restricted")


@transaction.atomic
def assessment_update(*, assessment: Assessment, by, version: int, evidence=None, **changes) -> Assessment:
    """Save an adviser's edit of one criterion's assessment, refusing it if someone saved since `version`."""
    unknown = set(changes) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown assessment fields: {', '.join(sorted(unknown))}")
    # Lock the row so that two saves of the same version cannot both pass the version check.
    current = Assessment.objects.select_for_update().select_related("review").get(pk=assessment.pk)
    if not has_perm(by, current.review, Perm.CHANGE):
        raise PermissionDenied
    if current.version != version:
        raise StaleEdit(current)
    for name, value in changes.items():
        setattr(current, name, value)
    if current.not_applicable:
        current.rating = None
    current.full_clean(exclude=["review", "criterion"])
    if evidence is not None:
        foreign = [i.title for i in evidence if i.member_state_id != current.review.member_state_id]
        if foreign:
            raise ValidationError(
                {"evidence": _("Only instruments of the reviewed state can be cited: %s") % ", ".join(foreign)}
            )
        current.evidence.set(evidence)
    current.version += 1
    current.updated_by = by
    current.save()
    return current
