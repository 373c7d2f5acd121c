"""Reads of reviews, shaped for the pages that show them. Each builds its page in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Count, F, Q, QuerySet, Value, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext

from core.actions import label as action_label
from core.i18n import current_language
from core.models import ActionLog
from frameworks.models import Criterion, NationalInstrument, Provision, SupportArea
from reviews.models import REPORT_ORDER, Assessment, Recommendation, ReviewCycle
from reviews.panels import CRITERION_MARKS, marked_criteria
from reviews.permissions import Perm, holds_everywhere, reviews_for
from reviews.snapshots import recommendation_number


def review_list_for(user) -> QuerySet[ReviewCycle]:
    """The reviews the user may open (their progress: attach_progress, once a page of them is chosen).

    `can_view_working_state` tells whether the progress may be shown: counterparts see published drafts only.
    """
    visible = reviews_for(user, Perm.VIEW, Perm.VIEW_DRAFTS)
    everywhere = holds_everywhere(user, Perm.VIEW)  # then no subquery: every review's working state is theirs
    working = Value(True) if everywhere else Q(pk__in=reviews_for(user, Perm.VIEW).values("pk"))
    return visible.select_related("member_state").annotate(can_view_working_state=working).order_by("due_date", "pk")


def attach_progress(reviews) -> list[ReviewCycle]:
    """Give each review of a page `criteria_count` and `assessed_count`, in one grouped query over the page's
    reviews only: counting them in the list's own query joined every assessment of every review before paging
    (300,000 at 10,000 reviews) and made the paginator's count scan them all."""
    reviews = list(reviews)
    counts = {
        row["review"]: row
        for row in Assessment.objects.filter(review__in=[r.pk for r in reviews])  # the criteria in scope
        .values("review")
        .annotate(total=Count("pk"), done=Count("pk", filter=Q(rating__isnull=False) | Q(not_applicable=True)))
        .order_by()
    }
    for review in reviews:
        row = counts.get(review.pk, {})
        review.criteria_count, review.assessed_count = row.get("total", 0), row.get("done", 0)
    return reviews


def filter_reviews(reviews: QuerySet[ReviewCycle], *, q="", state="", member_state=None) -> QuerySet[ReviewCycle]:
    if q:
        reviews = reviews.filter(
            Q(title__icontains=q)
            | Q(member_state__name_en__icontains=q)
            | Q(member_state__name_fr__icontains=q)
            | Q(member_state__name_es__icontains=q)
        )
    if state:
        reviews = reviews.filter(state=state)
    if member_state:
        reviews = reviews.filter(member_state=member_state)
    return reviews


@dataclass
class Progress:
    done: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class AreaWork:
    area: SupportArea
    assessments: list = field(default_factory=list)
    recommendations: list = field(default_factory=list)
    progress: Progress = field(default_factory=Progress)
    # The workspace shows this area's criteria when the reader reaches it, not with the page (workspace_for).
    deferred: bool = False


def review_progress(review: ReviewCycle) -> tuple[dict[int, Progress], Progress]:
    """Assessed criteria per support area (by id) and overall, in one query."""
    rows = (
        review.assessments.values("criterion__support_area")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(rating__isnull=False) | Q(not_applicable=True)),
        )
        .order_by()
    )
    per_area = {row["criterion__support_area"]: Progress(row["done"], row["total"]) for row in rows}
    overall = Progress(sum(p.done for p in per_area.values()), sum(p.total for p in per_area.values()))
    return per_area, overall


@dataclass(frozen=True)
class Cited:
    """An instrument an assessment cites, or an article of one (`article`: its label, "Art. 12 Entry"), as the
    workspace shows it."""

    pk: int
    title: str  # the instrument's
    article: str = ""


def with_evidence(assessments) -> list[Assessment]:
    """The assessments (a queryset, read here) with what the workspace shows of each: the criterion, who saved it
    last, the names of the criterion's references (`references`), and what it cites: instruments (`cited`, by
    title) and articles (`cited_provisions`). Three more queries whatever their number, of plain values: the
    workspace reads two hundred criteria's worth of these on each load, and prefetching made a model of each."""
    rows = list(assessments.select_related("criterion__thematic_area", "updated_by"))
    by_id = {assessment.pk: assessment for assessment in rows}
    language = current_language()
    names = {}
    for criterion, name, english in (
        Criterion.references.through.objects.filter(criterion__in={assessment.criterion_id for assessment in rows})
        .order_by("internationalreference__order", "internationalreference__code")
        .values_list("criterion", f"internationalreference__name_{language}", "internationalreference__name_en")
    ):
        names.setdefault(criterion, []).append(name or english)
    for assessment in rows:
        assessment.references = names.get(assessment.criterion_id, [])
        assessment.cited, assessment.cited_provisions = [], []
    for assessment, *instrument in (
        Assessment.evidence.through.objects.filter(assessment__in=by_id)
        .order_by("nationalinstrument__title", "nationalinstrument")
        .values_list("assessment", "nationalinstrument", "nationalinstrument__title")
    ):
        by_id[assessment].cited.append(Cited(*instrument))
    for assessment, pk, title, number, heading in (
        Assessment.provisions.through.objects.filter(assessment__in=by_id)
        .order_by("provision__instrument__title", "provision__order")
        .values_list(
            "assessment", "provision", "provision__instrument__title", "provision__number", "provision__heading"
        )
    ):
        by_id[assessment].cited_provisions.append(Cited(pk, title, Provision.label(number, heading)))
    return rows


def cited(instruments) -> list[Cited]:
    """Instruments as an assessment cites them."""
    return [Cited(instrument.pk, instrument.title) for instrument in instruments]


def cited_provisions(provisions) -> list[Cited]:
    """Articles (with their instrument) as an assessment cites them."""
    return [Cited(provision.pk, provision.instrument.title, str(provision)) for provision in provisions]


def uncited_provisions(assessment: Assessment):
    """The current articles of the review's state that the assessment does not cite: its picker of provisions."""
    return (
        Provision.objects.filter(instrument__member_state__reviews=assessment.review_id, is_current=True)
        .exclude(pk__in=[provision.pk for provision in assessment.cited_provisions])
        .select_related("instrument")
        .order_by("instrument__title", "order")
    )


def uncited_instruments(assessment: Assessment, cited=None):
    """The instruments of the review's state that the assessment does not cite, by title: its picker. `cited`: the
    ids of those its form shows cited (what was posted, after a refused save), else those stored."""
    return (
        NationalInstrument.objects.filter(member_state__reviews=assessment.review_id)
        .exclude(pk__in=assessment.evidence.values("pk") if cited is None else cited)
        .order_by("title")
    )


ALL_AREAS = "all"
# A review of more criteria than this opens on its first support area alone (one page of a few dozen
# criteria, not hundreds of forms); a smaller one opens on all of them. Either can show the other way.
ONE_AREA_AT_A_TIME_FROM = 60


# The workspace's filters, by the value of its "show" parameter: the names of reviews/panels.py's marks, and todo.
NOT_ASSESSED = "todo"


def workspace_for(
    review: ReviewCycle, area: str = "", *, show: str = "", theme: str = ""
) -> tuple[list[AreaWork], str, Progress, bool]:
    """What the workspace shows:
    - the support areas with criteria in scope, in order, each with its progress;
    - the area chosen: a support area's code or ALL_AREAS (by default all of a small review, the first area of a
      large one); only its assessments are loaded (all the areas of a large review: only the first's, the others
      are `deferred`), those the filters keep: `show` (NOT_ASSESSED, or a mark of reviews/panels.py such as
      "threads") and `theme` (a thematic area's code); an unknown code is a LookupError;
    - the overall progress, and whether the state has any instrument recorded.
    """
    per_area, overall = review_progress(review)
    areas = [
        AreaWork(support_area, progress=per_area[support_area.pk])
        for support_area in SupportArea.objects.order_by("order")
        if support_area.pk in per_area
    ]
    large = overall.total > ONE_AREA_AT_A_TIME_FROM
    if not area:  # a reload shows the same criteria, whatever was assessed meanwhile
        area = areas[0].area.code if large else ALL_AREAS
    if area == ALL_AREAS and large:
        # Every area of a large review: the first area's criteria come with the page, each other area's when the
        # reader scrolls to it (its own request, reviews.views.workspace_criteria): a page of a few dozen forms,
        # not hundreds.
        for work in areas[1:]:
            work.deferred = True
    chosen = {work.area.pk: work for work in areas if area in (ALL_AREAS, work.area.code) and not work.deferred}
    if not chosen and area != ALL_AREAS:
        raise LookupError(area)
    assessments = review.assessments.filter(criterion__support_area__in=list(chosen))
    if show == NOT_ASSESSED:
        assessments = assessments.filter(rating__isnull=True, not_applicable=False)
    elif show:
        if show not in CRITERION_MARKS:
            raise LookupError(show)
        codes = marked_criteria(review, show)
        if codes is not None:  # None: the mark does not apply yet (before the first draft every criterion is new)
            assessments = assessments.filter(criterion__code__in=codes)
    if theme:
        assessments = assessments.filter(criterion__thematic_area__code=theme)
    baseline = baseline_for(review)
    cites = False
    for assessment in with_evidence(assessments.order_by("criterion__support_area__order", "criterion__order")):
        assessment.baseline = baseline.get(assessment.criterion.code)
        cites = cites or bool(assessment.cited)
        chosen[assessment.criterion.support_area_id].assessments.append(assessment)
    return areas, area, overall, cites or review.member_state.instruments.exists()


def predecessors(review: ReviewCycle) -> dict[str, str]:
    """For a follow-up review, the code of each of its library's criteria -> the code of the criterion of the
    previous cycle it succeeds: the one its `succeeds` names, else the one of the same code."""
    return {code: succeeds or code for code, succeeds in review.framework.criteria.values_list("code", "succeeds")}


def baseline_for(review: ReviewCycle) -> dict[str, Assessment]:
    """For a follow-up review (carried over from a previous cycle), the previous cycle's assessment of each
    criterion's predecessor, by the criterion's code: the read-only baseline shown beside it. Empty for a first
    review; two queries for a follow-up one."""
    if not review.carried_over_from_id:
        return {}
    previous = {
        assessment.criterion.code: assessment
        for assessment in Assessment.objects.filter(review_id=review.carried_over_from_id)
        .select_related("criterion")
        .only("rating", "not_applicable", "finding", "criterion__code")
    }
    return {code: previous[before] for code, before in predecessors(review).items() if before in previous}


def recommendations_by_area(review: ReviewCycle) -> list[AreaWork]:
    """Every support area in order, with the review's recommendations in their order."""
    recommendations = (
        review.recommendations.select_related("thematic_area")
        .prefetch_related("criteria", "references")
        .order_by(*REPORT_ORDER)
    )
    areas = {area.pk: AreaWork(area) for area in SupportArea.objects.all()}
    for position, recommendation in enumerate(recommendations, start=1):
        recommendation.number = recommendation_number(position)
        areas[recommendation.support_area_id].recommendations.append(recommendation)
    return list(areas.values())


def recommendation_numbers_now(review_ids) -> dict[int, str]:
    """The numbers the reviews' recommendations have now (those the next draft will give them), by id: one query
    for any number of reviews."""
    position = Window(RowNumber(), partition_by=[F("review_id")], order_by=[F(field).asc() for field in REPORT_ORDER])
    rows = Recommendation.objects.filter(review__in=review_ids).annotate(position=position)
    return {pk: recommendation_number(n) for pk, n in rows.values_list("pk", "position")}


def history_for(
    review: ReviewCycle,
    *,
    assessment_id: int | None = None,
    recommendation_id: int | None = None,
    by=None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
):
    """The review's entries of the action log, newest first: one per action, with what changed; narrowed to one
    item, one person, or the days from `since` to `until` (both included, in the reader's time zone)."""
    entries = ActionLog.objects.filter(review_id=review.pk).select_related("by", "content_type")
    for model, pk in ((Assessment, assessment_id), (Recommendation, recommendation_id)):
        if pk:
            entries = entries.filter(content_type=ContentType.objects.get_for_model(model), object_id=str(pk))
    if by is not None:
        entries = entries.filter(by=by)
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    return entries


def describe(entry) -> dict:
    """An entry as the History page shows it: the action and each field changed, in the reader's language: the
    field's name ("Priority") and its values as the forms show them ("High", not "high"; "Yes", not "True")."""
    model = entry.content_type.model_class() if entry.content_type_id else None

    def field_of(name: str):
        try:
            return model._meta.get_field(name) if model else None
        except FieldDoesNotExist:  # a field renamed since the entry was written keeps its stored name
            return None

    def value_text(field, value):
        if value in ("", None) or field is None:
            return value
        if field.choices:
            try:
                return str(dict(field.flatchoices).get(field.to_python(value), value))
            except ValidationError:
                return value
        if field.get_internal_type() == "BooleanField":
            return gettext("Yes") if str(value).lower() in ("yes", "true", "1") else gettext("No")
        return value

    changes = []
    for name, (before, after) in ((entry.data or {}).get("changes", {})).items():
        field = field_of(name)
        label = str(field.verbose_name) if field is not None else name
        changes.append((label, value_text(field, before), value_text(field, after)))
    return {
        "entry": entry,
        "label": action_label(entry.action),
        "changes": changes,
        "facts": {k: v for k, v in (entry.data or {}).items() if k != "changes"},
    }


# The home page's lines (iomborder/home.py), each a constant number of queries whatever the portfolio's size.
OPEN_STATES = (ReviewCycle.State.SCOPING, ReviewCycle.State.ASSESSMENT, ReviewCycle.State.CONSULTATION)
DONE_STATES = (ReviewCycle.State.FINAL, ReviewCycle.State.FOLLOW_UP)


def reviews_to_assess(user, limit: int) -> list[ReviewCycle]:
    """The reviews the user assesses that still have criteria not assessed (`todo`), the soonest due first."""
    not_assessed = Q(assessments__in_scope=True, assessments__rating__isnull=True, assessments__not_applicable=False)
    return list(
        reviews_for(user, Perm.CHANGE)
        .filter(state__in=OPEN_STATES)
        .select_related("member_state")
        .annotate(todo=Count("assessments", filter=not_assessed))
        .filter(todo__gt=0)
        .order_by(F("due_date").asc(nulls_last=True), "pk")[:limit]
    )


def reviews_due(user, *, within_days: int, limit: int) -> list[ReviewCycle]:
    """The user's open reviews due within the days given or overdue (`overdue`), the soonest first."""
    today = timezone.localdate()
    return list(
        reviews_for(user, Perm.CHANGE, Perm.APPROVE)
        .exclude(state__in=DONE_STATES)
        .filter(due_date__lte=today + datetime.timedelta(days=within_days))
        .select_related("member_state")
        .annotate(overdue=Q(due_date__lt=today))
        .order_by("due_date", "pk")[:limit]
    )


def reviews_awaiting_approval(user, limit: int) -> list[ReviewCycle]:
    return list(
        reviews_for(user, Perm.APPROVE)
        .filter(state=ReviewCycle.State.VALIDATION)
        .select_related("member_state")
        .order_by(F("due_date").asc(nulls_last=True), "pk")[:limit]
    )


def portfolio_figures(user) -> dict[str, int]:
    """How many reviews the user may see are in each workflow state, and how many are overdue."""
    reviews = reviews_for(user, Perm.VIEW)
    figures = dict(reviews.values_list("state").annotate(n=Count("pk")).order_by())
    figures["overdue"] = reviews.exclude(state__in=DONE_STATES).filter(due_date__lt=timezone.localdate()).count()
    return figures
