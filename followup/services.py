"""Every write of the follow-up: each checks the writer's permission on the review and logs one action."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.log import log_action
from followup.models import Position
from followup.selectors import validated_draft
from reviews.models import Recommendation, ReviewCycle
from reviews.permissions import Perm, has_perm


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
