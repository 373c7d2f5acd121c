"""What the follow-up pages read: the recommendations put to the government, and its positions on them."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from consultation.models import DraftVersion
from followup.models import Action, ActionPlan, Position, ProgressReport
from frameworks.models import SupportArea, ThematicArea
from reviews.models import REPORT_ORDER, Recommendation, ReviewCycle
from reviews.reading import mean_rating
from reviews.selectors import baseline_for, recommendation_numbers_now
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


# The action plan -------------------------------------------------------------------------------------------

MONTHS = {ActionPlan.Period.QUARTER: 3, ActionPlan.Period.HALF_YEAR: 6}


def plan_of(review: ReviewCycle) -> ActionPlan:
    """The review's action plan settings (quarterly reports until the team says otherwise); not saved here."""
    return ActionPlan.objects.filter(review=review).first() or ActionPlan(review=review)


def period_start(day: datetime.date, period: str) -> datetime.date:
    """The first day of the reporting period holding `day`."""
    months = MONTHS[period]
    return datetime.date(day.year, (day.month - 1) // months * months + 1, 1)


def period_end(start: datetime.date, period: str) -> datetime.date:
    month = start.month - 1 + MONTHS[period]
    return datetime.date(start.year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)


def period_label(start: datetime.date, period: str) -> str:
    """ "Q3 2026", "H2 2026": the period's name in the reader's language."""
    number = (start.month - 1) // MONTHS[period] + 1
    if period == ActionPlan.Period.QUARTER:
        return _("Q%(number)d %(year)d") % {"number": number, "year": start.year}
    return _("H%(number)d %(year)d") % {"number": number, "year": start.year}


def periods_between(first: datetime.date, last: datetime.date, period: str) -> list[datetime.date]:
    """The starts of the reporting periods from the one holding `first` to the one holding `last`."""
    starts, start = [], period_start(first, period)
    while start <= last:
        starts.append(start)
        start = period_end(start, period) + datetime.timedelta(days=1)
    return starts


def with_status(actions, today: datetime.date | None = None):
    """The actions with their `status` (Action.Status) worked out by the database from their accepted progress
    reports, and the indicator's last accepted value (`latest_value`)."""
    today = today or timezone.localdate()
    accepted = ProgressReport.objects.filter(action=OuterRef("pk"), state=ProgressReport.State.ACCEPTED)
    Status = Action.Status
    return actions.annotate(
        done=Exists(accepted.filter(completed=True)),
        started=Exists(accepted),
        latest_value=Subquery(
            accepted.exclude(indicator_value="").order_by("-period_start").values("indicator_value")[:1]
        ),
        status=Case(
            When(cancelled_at__isnull=False, then=Value(Status.CANCELLED)),
            When(done=True, then=Value(Status.COMPLETED)),
            When(due_date__lt=today, then=Value(Status.DELAYED)),
            When(started=True, then=Value(Status.IN_PROGRESS)),
            default=Value(Status.NOT_STARTED),
            output_field=CharField(),
        ),
    )


def actions_of(review: ReviewCycle, today: datetime.date | None = None) -> list[Action]:
    """The review's actions with their status, their recommendations (numbered as the report numbers them) and
    their focal point: four queries whatever their number."""
    actions = list(
        with_status(review.actions.all(), today)
        .select_related("focal_point")
        .prefetch_related("recommendations")
        .order_by("due_date", "pk")
    )
    numbers = recommendation_numbers_now([review.pk])
    for action in actions:
        action.numbers = sorted((numbers.get(r.pk, "") for r in action.recommendations.all()), key=_number_order)
        action.status_label = Action.Status(action.status).label
    return actions


def _number_order(number: str) -> int:
    return int(number[1:]) if number[1:].isdigit() else 0


def accepted_recommendations(review: ReviewCycle):
    """The recommendations the government accepted (as drafted or amended): those an action may implement."""
    return Recommendation.all_objects.filter(
        review=review,
        government_position__stance__in=(Position.Stance.ACCEPTED, Position.Stance.AMENDED),
    ).order_by(*REPORT_ORDER)


@dataclass
class Rate:
    label: str
    completed: int
    total: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.completed / self.total) if self.total else None


def implementation_rates(review: ReviewCycle, by: str, today: datetime.date | None = None) -> list[Rate]:
    """The share of actions completed (of those not cancelled) per support area or per thematic area (`by`:
    "support_area" or "thematic_area") of the recommendations they implement, counted by the database."""
    today = today or timezone.localdate()
    field = f"recommendations__{by}"
    rows = (
        with_status(review.actions.all(), today)
        .exclude(status=Action.Status.CANCELLED)
        .values(field)
        .annotate(
            total=Count("pk", distinct=True),
            completed=Count("pk", distinct=True, filter=Q(status=Action.Status.COMPLETED)),
        )
    )
    counted = {row[field]: row for row in rows}
    model = SupportArea if by == "support_area" else ThematicArea
    return [
        Rate(area.name, counted[area.pk]["completed"], counted[area.pk]["total"])
        for area in model.objects.filter(pk__in=[pk for pk in counted if pk is not None]).order_by("order")
    ]


def overall_rate(actions: list[Action]) -> Rate:
    live = [action for action in actions if action.status != Action.Status.CANCELLED]
    return Rate("", sum(action.status == Action.Status.COMPLETED for action in live), len(live))


@dataclass
class ReviewFollowUp:
    review: ReviewCycle
    total: int
    completed: int
    overdue: int
    due_soon: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.completed / self.total) if self.total else None


def portfolio_follow_up(reviews, today: datetime.date | None = None, due_within: int = 90) -> list[ReviewFollowUp]:
    """For each of the reviews that has an action plan: its actions (cancelled ones left out), completed, overdue
    and due within `due_within` days, counted by the database in one query, plus one for the reviews."""
    today = today or timezone.localdate()
    Status = Action.Status
    live = ~Q(status__in=(Status.COMPLETED, Status.CANCELLED))
    rows = (
        with_status(Action.objects.filter(review__in=reviews), today)
        .exclude(status=Status.CANCELLED)
        .values("review")
        .annotate(
            total=Count("pk"),
            completed=Count("pk", filter=Q(status=Status.COMPLETED)),
            overdue=Count("pk", filter=Q(status=Status.DELAYED)),
            due_soon=Count(
                "pk", filter=live & Q(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=due_within))
            ),
        )
    )
    counted = {row["review"]: row for row in rows}
    found = ReviewCycle.objects.filter(pk__in=counted).select_related("member_state").order_by("member_state__name_en")
    return [
        ReviewFollowUp(review, *(counted[review.pk][key] for key in ("total", "completed", "overdue", "due_soon")))
        for review in found
    ]


# The next review cycle -------------------------------------------------------------------------------------


def addressed(review: ReviewCycle) -> set[int]:
    """The ids of the review's recommendations the government implemented: accepted, with actions, every one
    of them (cancelled ones aside) completed. One query."""
    today = timezone.localdate()
    counts = (
        with_status(Action.objects.filter(review=review), today)
        .exclude(status=Action.Status.CANCELLED)
        .values("recommendations")
        .annotate(total=Count("pk"), completed=Count("pk", filter=Q(status=Action.Status.COMPLETED)))
    )
    return {row["recommendations"] for row in counts if row["recommendations"] and row["total"] == row["completed"]}


def to_carry_over(review: ReviewCycle) -> list[Recommendation]:
    """The recommendations the next cycle takes on: accepted (as drafted or amended) and not yet implemented."""
    done = addressed(review)
    accepted = accepted_recommendations(review).select_related("government_position")
    return [r for r in accepted.prefetch_related("criteria", "references") if r.pk not in done]


@dataclass
class CriterionChange:
    code: str
    title: str
    area: str
    before: str | None  # the rating key ("0" to "4", "na", "") of the previous cycle; None: no predecessor
    after: str
    change: int | None  # the rating's change, when both cycles rated it


@dataclass
class AreaChange:
    area: str
    before: Decimal | None  # rounded once, as every report rounds it (reviews.reading.mean_rating)
    after: Decimal | None

    @property
    def change(self) -> Decimal | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass
class Comparison:
    previous: ReviewCycle
    criteria: list[CriterionChange]
    areas: list[AreaChange]
    addressed: list[Recommendation]
    carried_over: list[Recommendation]
    dropped: list[Recommendation]


def comparison(review: ReviewCycle) -> Comparison | None:
    """A follow-up review beside the cycle it follows: each criterion's rating then and now, each support area's
    mean, and what became of the previous recommendations (implemented, carried over, dropped). None for a first
    review."""
    previous = review.carried_over_from
    if previous is None:
        return None
    baseline = baseline_for(review)
    now = list(
        review.assessments.select_related("criterion__support_area").order_by(
            "criterion__support_area__order", "criterion__order"
        )
    )
    criteria, before_by_area, after_by_area = [], {}, {}
    for assessment in now:
        criterion, then = assessment.criterion, baseline.get(assessment.criterion.code)
        area = criterion.support_area
        change = None
        if then is not None and then.rating is not None and assessment.rating is not None:
            change = assessment.rating - then.rating
        criteria.append(
            CriterionChange(
                criterion.code,
                criterion.title,
                area.name,
                then.rating_key if then is not None else None,
                assessment.rating_key,
                change,
            )
        )
        if then is not None and then.rating is not None:
            before_by_area.setdefault(area, []).append(then.rating)
        if assessment.rating is not None:
            after_by_area.setdefault(area, []).append(assessment.rating)
    areas = [
        AreaChange(area.name, mean_rating(before_by_area.get(area, [])), mean_rating(after_by_area.get(area, [])))
        for area in SupportArea.objects.order_by("order")
        if area in before_by_area or area in after_by_area
    ]
    carried = {
        r.carried_over_from_id: r for r in Recommendation.objects.filter(review=review, carried_over_from__isnull=False)
    }
    done = addressed(previous)
    old = list(previous.recommendations.order_by(*REPORT_ORDER))
    return Comparison(
        previous=previous,
        criteria=criteria,
        areas=areas,
        addressed=[r for r in old if r.pk in done],
        carried_over=[carried[r.pk] for r in old if r.pk in carried],
        dropped=[r for r in old if r.pk not in done and r.pk not in carried],
    )
