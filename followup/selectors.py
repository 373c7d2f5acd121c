"""What the follow-up pages read: the recommendations put to the government, and its positions on them."""

from dataclasses import dataclass

from consultation.models import DraftVersion
from followup.models import Position
from reviews.models import ReviewCycle
from reviews.snapshots import pick, recommendation_number

# The states in which a review's recommendations have been put to the government.
AFTER_CONSULTATION = (ReviewCycle.State.VALIDATION, ReviewCycle.State.FINAL, ReviewCycle.State.FOLLOW_UP)


@dataclass
class PutToGovernment:
    """A recommendation as the draft put it to the government, with the position taken on it (or None)."""

    number: str
    id: int
    area: str
    text: str
    is_restricted: bool
    position: Position | None


def validated_draft(review: ReviewCycle) -> DraftVersion | None:
    """The draft the government took its positions on: the one it validated last, else the latest published;
    None before the review goes to validation."""
    if review.state not in AFTER_CONSULTATION:
        return None
    validation = review.state_validations.select_related("draft").order_by("-validated_on", "-pk").first()
    return validation.draft if validation else review.drafts.order_by("-number").first()


def put_to_government(review: ReviewCycle, draft: DraftVersion, language: str) -> list[PutToGovernment]:
    """The draft's recommendations in its order, with their numbers and positions: two queries."""
    snapshot = draft.snapshot
    areas = {area["code"]: pick(area["name"], language) for area in snapshot["support_areas"]}
    positions = {
        position.recommendation_id: position
        for position in Position.objects.filter(recommendation__review=review).select_related("recorded_by", "draft")
    }
    return [
        PutToGovernment(
            number=recommendation_number(n),
            id=item["id"],
            area=areas.get(item["support_area"], item["support_area"]),
            text=item["text"],
            is_restricted=item["is_restricted"],
            position=positions.get(item["id"]),
        )
        for n, item in enumerate(snapshot["recommendations"], start=1)
    ]
