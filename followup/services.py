"""Every write of the follow-up: each checks the writer's permission on the review and logs one action."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.log import log_action
from followup.models import Action, ActionPlan, Position, ProgressReport
from followup.selectors import accepted_recommendations, period_start, plan_of, to_carry_over, validated_draft
from frameworks.models import AssessmentFramework
from frameworks.services import validate_instrument_file
from reviews.models import Recommendation, ReviewCycle
from reviews.permissions import Perm, Role, grant_role, has_perm, members_of
from reviews.services import StaleEdit, recommendation_create, review_create, review_transition


def can_record_positions(user, review: ReviewCycle) -> bool:
    """The IOM team and the managers record what the government said at the validation workshop."""
    return has_perm(user, review, Perm.CHANGE) or has_perm(user, review, Perm.APPROVE)


@transaction.atomic
def position_record(
    *, review: ReviewCycle, recommendation_id: int, by, stance: str, agreed_text: str = "", reason: str = ""
) -> Position:
    """Record (or change) the government's position on a recommendation of the draft it was put to it in."""
    if not can_record_positions(by, review):
        raise PermissionDenied
    review = ReviewCycle.objects.select_for_update().get(pk=review.pk)  # one position per recommendation at a time
    draft = validated_draft(review)
    if draft is None:
        raise ValidationError(_("Positions are recorded once the review has gone to the government for validation."))
    in_draft = {item["id"]: item for item in draft.snapshot["recommendations"]}
    if recommendation_id not in in_draft:
        raise ValidationError(
            {"recommendation": _("This recommendation is not in draft %(number)d.") % {"number": draft.number}}
        )
    agreed_text, reason = agreed_text.strip(), reason.strip()
    if stance == Position.Stance.AMENDED and not agreed_text:
        raise ValidationError({"agreed_text": _("Write the wording the government agreed to.")})
    if stance != Position.Stance.AMENDED and agreed_text:
        raise ValidationError(
            {
                "agreed_text": _(
                    "An agreed wording is kept only with “accepted with amended wording”: choose it, or empty the "
                    "agreed wording."
                )
            }
        )
    position = Position.objects.filter(recommendation_id=recommendation_id).first()
    before = (
        {"stance": "", "agreed_text": "", "reason": ""}
        if position is None
        else {
            "stance": position.stance,
            "agreed_text": position.agreed_text,
            "reason": position.reason,
        }
    )
    if position is None:
        position = Position(recommendation=Recommendation.all_objects.get(pk=recommendation_id))
    position.draft = draft
    position.original_text = in_draft[recommendation_id]["text"]
    position.stance, position.agreed_text, position.reason = stance, agreed_text, reason
    position.recorded_by = by
    position.full_clean()
    position.save()
    after = {"stance": stance, "agreed_text": agreed_text, "reason": reason}
    log_action(
        "followup.position.recorded",
        by=by,
        obj=position,
        review_id=review.pk,
        changes={field: (before[field], after[field]) for field in after if before[field] != after[field]},
        draft=draft.number,
    )
    return position


# The action plan -------------------------------------------------------------------------------------------

ACTION_FIELDS = (
    "title",
    "responsible_institution",
    "focal_point",
    "start_date",
    "due_date",
    "indicator",
    "baseline",
    "target",
)


def _team_only(by, review: ReviewCycle) -> None:
    if not has_perm(by, review, Perm.CHANGE):
        raise PermissionDenied


@transaction.atomic
def plan_period_set(*, review: ReviewCycle, by, reporting_period: str) -> ActionPlan:
    """How often the government reports the progress of the review's actions."""
    _team_only(by, review)
    plan, _created = ActionPlan.objects.select_for_update().get_or_create(review=review)
    before = plan.reporting_period
    plan.reporting_period = reporting_period
    plan.full_clean()
    plan.save()
    log_action(
        "followup.plan.changed",
        by=by,
        obj=plan,
        review_id=review.pk,
        changes={"reporting_period": (before, reporting_period)} if before != reporting_period else None,
    )
    return plan


def _check_action(review: ReviewCycle, recommendations, focal_point) -> None:
    errors = {}
    accepted = set(accepted_recommendations(review).values_list("pk", flat=True))
    if not recommendations:
        errors["recommendations"] = _("Name the accepted recommendations the action implements.")
    elif any(r.pk not in accepted for r in recommendations):
        errors["recommendations"] = _(
            "An action implements recommendations of this review that the government accepted."
        )
    if focal_point is not None and not has_perm(focal_point, review, Perm.REPORT_PROGRESS):
        errors["focal_point"] = _(
            "%(user)s is not a focal point of this review: invite them as one from the review's page."
        ) % {"user": focal_point}
    if errors:
        raise ValidationError(errors)


def _action_snapshot(action: Action, recommendations=None) -> dict:
    values = {name: getattr(action, name) for name in ACTION_FIELDS}
    values["focal_point"] = str(action.focal_point) if action.focal_point_id else ""
    if recommendations is not None:
        values["recommendations"] = ", ".join(str(pk) for pk in sorted(r.pk for r in recommendations))
    return values


def _changes(before: dict, after: dict) -> dict:
    return {name: (str(before[name]), str(value)) for name, value in after.items() if str(before[name]) != str(value)}


@transaction.atomic
def action_create(*, review: ReviewCycle, by, recommendations, **fields) -> Action:
    """A new action of the review's plan, implementing accepted recommendations."""
    _team_only(by, review)
    _check_action(review, recommendations, fields.get("focal_point"))
    action = Action(review=review, created_by=by, **fields)
    action.full_clean()
    action.save()
    action.recommendations.set(recommendations)
    log_action(
        "followup.action.created",
        by=by,
        obj=action,
        review_id=review.pk,
        changes={name: ("", str(value)) for name, value in _action_snapshot(action, recommendations).items() if value},
    )
    return action


@transaction.atomic
def action_update(*, action: Action, by, version: int, recommendations=None, **fields) -> Action:
    """Change an action; refused (StaleEdit) when someone saved it after the version the edit started from."""
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown action fields: {', '.join(sorted(unknown))}")
    _team_only(by, action.review)
    current = Action.objects.select_for_update(of=("self",)).select_related("review", "focal_point").get(pk=action.pk)
    if current.version != version:
        raise StaleEdit(current)
    old_recommendations = list(current.recommendations.all())
    _check_action(
        current.review,
        recommendations if recommendations is not None else old_recommendations,
        fields.get("focal_point", current.focal_point),
    )
    before = _action_snapshot(current, old_recommendations)
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.full_clean()
    current.save()
    if recommendations is not None:
        current.recommendations.set(recommendations)
    after = _action_snapshot(current, recommendations if recommendations is not None else old_recommendations)
    log_action(
        "followup.action.changed", by=by, obj=current, review_id=current.review_id, changes=_changes(before, after)
    )
    return current


@transaction.atomic
def action_cancel(*, action: Action, by, reason: str) -> Action:
    """Cancel an action, with the reason: it stays in the plan, out of the implementation rate."""
    _team_only(by, action.review)
    if not reason.strip():
        raise ValidationError({"cancel_reason": _("Say why the action is cancelled.")})
    current = Action.objects.select_for_update(of=("self",)).get(pk=action.pk)
    if current.cancelled_at:
        raise ValidationError(_("This action is cancelled already."))
    current.cancelled_at, current.cancel_reason = timezone.now(), reason.strip()
    current.version += 1
    current.save(update_fields=["cancelled_at", "cancel_reason", "version", "updated_at"])
    log_action(
        "followup.action.cancelled", by=by, obj=current, review_id=current.review_id, reason=current.cancel_reason
    )
    return current


# Progress reports ------------------------------------------------------------------------------------------


def can_report_progress(user, review: ReviewCycle) -> bool:
    return has_perm(user, review, Perm.REPORT_PROGRESS)


@transaction.atomic
def progress_submit(
    *,
    action: Action,
    by,
    period: datetime.date,
    progress: str,
    indicator_value: str = "",
    completed: bool = False,
    evidence_instrument=None,
    evidence_file=None,
) -> ProgressReport:
    """The government's report on an action for the reporting period holding `period` (a focal point of the
    review). A report sent back with a question is answered by reporting again; an accepted one is final."""
    review = action.review
    if not can_report_progress(by, review):
        raise PermissionDenied
    action = Action.objects.select_for_update(of=("self",)).get(pk=action.pk)
    schedule = plan_of(review).reporting_period
    start = period_start(period, schedule)
    errors = {}
    if action.cancelled_at:
        raise ValidationError(_("This action is cancelled: there is no progress to report."))
    if start > timezone.localdate():
        errors["period"] = _("This reporting period has not begun yet.")
    elif start < period_start(action.start_date, schedule):
        errors["period"] = _("The action had not started in this reporting period.")
    if not progress.strip():
        errors["progress"] = _("Say what was done in the period.")
    if evidence_instrument is not None and evidence_instrument.member_state_id != review.member_state_id:
        errors["evidence_instrument"] = _("Only instruments of the reviewed state can be cited.")
    if evidence_file:
        try:
            validate_instrument_file(evidence_file)
        except ValidationError as exc:
            errors["evidence_file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    report = ProgressReport.objects.filter(action=action, period_start=start).first()
    if report is not None and report.state == ProgressReport.State.ACCEPTED:
        raise ValidationError({"period": _("The report for this period was accepted already.")})
    report = report or ProgressReport(action=action, period_start=start)
    report.progress, report.indicator_value, report.completed = progress.strip(), indicator_value.strip(), completed
    report.evidence_instrument = evidence_instrument
    if evidence_file:
        report.evidence_file = evidence_file
    report.state, report.submitted_by, report.submitted_at = ProgressReport.State.SUBMITTED, by, timezone.now()
    report.full_clean()
    report.save()
    log_action(
        "followup.progress.submitted",
        by=by,
        obj=report,
        review_id=review.pk,
        action_title=action.title,
        period=start.isoformat(),
        completed=completed,
    )
    return report


@transaction.atomic
def progress_review(*, report: ProgressReport, by, accept: bool, question: str = "") -> ProgressReport:
    """The team accepts a progress report, or sends it back with a question for the focal point."""
    review = report.action.review
    _team_only(by, review)
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.state != ProgressReport.State.SUBMITTED:
        raise ValidationError(_("Only a report waiting for the team can be accepted or sent back."))
    if not accept and not question.strip():
        raise ValidationError({"question": _("Ask the focal point what is missing.")})
    report.state = ProgressReport.State.ACCEPTED if accept else ProgressReport.State.RETURNED
    report.question = "" if accept else question.strip()
    report.reviewed_by, report.reviewed_at = by, timezone.now()
    report.save(update_fields=["state", "question", "reviewed_by", "reviewed_at"])
    log_action(
        "followup.progress.accepted" if accept else "followup.progress.returned",
        by=by,
        obj=report,
        review_id=review.pk,
        question=report.question,
    )
    return report


@transaction.atomic
def actions_reminded(actions: list[Action], today: datetime.date) -> None:
    """Remember that the focal points of these actions were reminded today (the reminders' task)."""
    if not actions:
        return
    Action.objects.filter(pk__in=[action.pk for action in actions]).update(reminded_on=today)
    log_action("followup.reminders.sent", count=len(actions), actions=", ".join(str(a.pk) for a in actions))


# The next review cycle -------------------------------------------------------------------------------------


@transaction.atomic
def next_cycle_open(*, review: ReviewCycle, by) -> ReviewCycle:
    """Open the follow-up review of a final review: the next cycle of the same state on the library's latest
    version, with the same team, counterparts and thematic areas, the previous scope's criteria (or their
    successors) and the new ones of those areas, and the recommendations accepted and not yet implemented
    carried over (each linked to the one it continues). The previous review goes into follow-up."""
    if not has_perm(by, review, Perm.CHANGE):
        raise PermissionDenied
    review = ReviewCycle.objects.select_for_update().select_related("framework", "member_state").get(pk=review.pk)
    if review.state not in (ReviewCycle.State.FINAL, ReviewCycle.State.FOLLOW_UP):
        raise ValidationError(_("Only a final review has a follow-up review."))
    existing = review.follow_up_cycles.first()
    if existing is not None:
        raise ValidationError(_("The follow-up review is open already: %(title)s.") % {"title": existing.title})
    framework = AssessmentFramework.objects.filter(code=review.framework.code).order_by("-version").first()
    thematic_areas = list(review.thematic_areas.all())
    earlier = set(review.framework.criteria.values_list("code", flat=True))
    in_scope = set(review.assessments.values_list("criterion__code", flat=True))
    scope = [
        criterion
        for criterion in framework.criteria.all()
        if (criterion.succeeds or criterion.code) in in_scope
        or ((criterion.succeeds or criterion.code) not in earlier and criterion.thematic_area in thematic_areas)
    ]
    next_review = review_create(
        by=by,
        member_state=review.member_state,
        title=_("%(state)s: follow-up of “%(title)s”") % {"state": review.member_state.name, "title": review.title},
        framework=framework,
        thematic_areas=thematic_areas,
        report_language=review.report_language,
        criteria=scope,
    )
    next_review.carried_over_from = review
    next_review.save(update_fields=["carried_over_from", "updated_at"])
    for role in (Role.ADVISER, Role.COUNTERPART, Role.FOCAL_POINT):
        for user in members_of(review, role):
            if user != by and user.is_active:
                grant_role(review=next_review, user=user, role=role)
    successor = {criterion.succeeds or criterion.code: criterion for criterion in scope}
    for old in to_carry_over(review):
        recommendation_create(
            review=next_review,
            by=by,
            text=old.government_position.text,
            support_area=old.support_area,
            criteria=[successor[c.code] for c in old.criteria.all() if c.code in successor],
            references=list(old.references.all()),
            rationale=old.rationale,
            thematic_area=old.thematic_area,
            priority=old.priority,
            time_frame=old.time_frame,
            responsible_institution=old.responsible_institution,
            is_restricted=old.is_restricted,
            carried_over_from=old,
        )
    if review.state == ReviewCycle.State.FINAL:
        review_transition(
            review=review,
            to_state=ReviewCycle.State.FOLLOW_UP,
            by=by,
            note=_("Follow-up review opened: %(title)s.") % {"title": next_review.title},
        )
    log_action("followup.cycle.opened", by=by, obj=next_review, review_id=review.pk, next_review=next_review.pk)
    return next_review
