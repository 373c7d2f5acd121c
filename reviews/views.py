import functools
from itertools import dropwhile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.forms import add_service_errors
from core.http import is_htmx, query_without_page, require_GET_or_POST, url_prefix
from frameworks.models import Provision
from reviews import services
from reviews.forms import (
    NOT_APPLICABLE,
    RATING_CHOICES,
    AssessmentForm,
    HistoryFilterForm,
    RecommendationForm,
    ReviewFilterForm,
    ReviewForm,
    ScopeForm,
    TeamForm,
    WorkspaceFilterForm,
)
from reviews.fragments import criteria_html
from reviews.models import Assessment, Recommendation, ReviewCycle
from reviews.panels import panels_context
from reviews.permissions import Perm, Role, can_open_reviews, get_review_for, has_perm, members_of, states_for
from reviews.reading import ratings_chart_for_review
from reviews.selectors import (
    ALL_AREAS,
    attach_progress,
    baseline_for,
    cited,
    cited_provisions,
    describe,
    filter_reviews,
    history_for,
    recommendations_by_area,
    review_list_for,
    review_progress,
    uncited_instruments,
    uncited_provisions,
    with_evidence,
    workspace_for,
)

PAGE_SIZE = 20


def confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirmed") == "1"


def confirm_first(
    request: HttpRequest,
    review: ReviewCycle,
    *,
    title: str,
    consequence: str,
    button: str,
    cancel: str,
    incomplete: list[str] | None = None,
    danger: bool = False,
    form=None,
    status: int = 200,
) -> HttpResponse:
    """A page that says what an act will do (and what is still incomplete) and asks to go on: the same form,
    posted again with what was typed in it and `confirmed=1`, with the fields of `form` to fill in on the way."""
    asked = set(form.fields) if form is not None else set()
    fields = [
        (name, value)
        for name, value in request.POST.items()
        if name not in ("csrfmiddlewaretoken", "confirmed") and name not in asked
    ]
    context = {
        "review": review,
        "title": title,
        "consequence": consequence,
        "button": button,
        "cancel": cancel,
        "incomplete": incomplete or [],
        "checked": incomplete is not None,
        "danger": danger,
        "action": request.path,
        "fields": fields,
        "form": form,
    }
    return render(request, "reviews/confirm.html", context, status=status)


@login_required
@require_safe
def review_list(request: HttpRequest) -> HttpResponse:
    reviews = review_list_for(request.user)
    filters = ReviewFilterForm(request.GET or None, states=states_for(request.user, Perm.VIEW_DRAFTS))
    if filters.is_valid():
        reviews = filter_reviews(reviews, **filters.cleaned_data)
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = attach_progress(page.object_list)
    return render(
        request,
        "reviews/review_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query_without_page(request),
            "can_open_reviews": can_open_reviews(request.user),
        },
    )


@login_required
@require_GET_or_POST
def review_create(request: HttpRequest) -> HttpResponse:
    if not can_open_reviews(request.user):
        raise Http404
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The review is open. Check the criteria proposed for its scope."))
            return redirect("reviews:scope", pk=review.pk)
    return render(request, "reviews/review_form.html", {"form": form})


@login_required
@require_safe
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # A counterpart sees the published drafts only; the working state needs the view permission.
    review = get_review_for(request.user, pk, Perm.VIEW_DRAFTS)
    can_view = has_perm(request.user, review, Perm.VIEW)
    context = {
        "review": review,
        "can_view_working_state": can_view,
        **panels_context(request, review),  # the consultation's and the reports' sections
    }
    if can_view:
        per_area, overall = review_progress(review)
        areas = recommendations_by_area(review)
        for work in areas:
            work.progress = per_area.get(work.area.pk)
        context.update(
            areas=areas,
            overall=overall,
            can_change=services.can_edit(request.user, review),
            can_approve=has_perm(request.user, review, Perm.APPROVE),
            team=members_of(review, Role.ADVISER),
            counterparts=members_of(review, Role.COUNTERPART),
            transitions=[
                (target, ReviewCycle.State(target).label)
                for (source, target), perm in services.TRANSITIONS.items()
                if source == review.state
                and has_perm(request.user, review, perm)
                # Publishing a draft and approving have their own pages (consultation and validation).
                and target in (ReviewCycle.State.ASSESSMENT, ReviewCycle.State.SCOPING)
            ],
            history=review.transitions.select_related("by"),
            chart_svg=ratings_chart_for_review(review),
        )
    return render(request, "reviews/review_detail.html", context)


@login_required
@require_GET_or_POST
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk, Perm.CHANGE)
    form = ReviewForm(request.POST or None, instance=review)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_update(review=review, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The review is saved."))
            return redirect("reviews:detail", pk=review.pk)
    return render(request, "reviews/review_form.html", {"form": form, "review": review})


@login_required
@require_GET_or_POST
def review_scope(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk, Perm.CHANGE)
    in_scope = set(review.assessments.values_list("criterion_id", flat=True))
    form = ScopeForm(request.POST or None, review=review, initial={"criteria": list(in_scope)})
    if request.method == "POST" and form.is_valid():
        try:
            services.review_set_scope(review=review, criteria=list(form.cleaned_data["criteria"]), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The scope is saved."))
            return redirect("reviews:detail", pk=review.pk)
        in_scope = {c.pk for c in form.cleaned_data["criteria"]}
    areas = {}
    chosen_areas = set(review.thematic_areas.values_list("pk", flat=True))
    for criterion in review.framework.criteria.select_related("support_area", "thematic_area").order_by(
        "support_area__order", "order"
    ):
        criterion.checked = criterion.pk in in_scope
        criterion.proposed = criterion.thematic_area_id in chosen_areas
        areas.setdefault(criterion.support_area, []).append(criterion)
    return render(request, "reviews/review_scope.html", {"review": review, "form": form, "areas": areas})


@login_required
@require_GET_or_POST
def review_team(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk, Perm.CHANGE)
    initial = {"advisers": members_of(review, Role.ADVISER), "counterparts": members_of(review, Role.COUNTERPART)}
    form = TeamForm(request.POST or None, review=review, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_set_members(
                review=review,
                by=request.user,
                advisers=list(form.cleaned_data["advisers"]),
                counterparts=list(form.cleaned_data["counterparts"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The team is saved."))
            return redirect("reviews:detail", pk=review.pk)
    return render(request, "reviews/review_team.html", {"review": review, "form": form})


@login_required
@require_POST
def review_transition(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk, Perm.VIEW)
    try:
        services.review_transition(review=review, to_state=request.POST.get("to_state", ""), by=request.user)
    except PermissionDenied:
        raise Http404 from None
    except (ValidationError, ValueError):
        messages.error(request, _("This move is not possible from the review's current state."))
    else:
        review.refresh_from_db()
        messages.success(request, _("The review is now in %(state)s.") % {"state": review.get_state_display()})
    return redirect("reviews:detail", pk=review.pk)


@login_required
@require_safe
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    """The criteria of one support area at a time (or of all, `?area=all`), with every area's progress, and the
    filters: not yet assessed, changed since the last draft, with open threads, by thematic area."""
    review = get_review_for(request.user, pk, Perm.VIEW)
    filters = WorkspaceFilterForm(request.GET or None)
    if filters.is_bound and not filters.is_valid():
        raise Http404
    wanted = filters.cleaned_data if filters.is_bound else {"area": "", "show": "", "theme": ""}
    try:
        areas, area, overall, has_instruments = workspace_for(
            review, wanted["area"], show=wanted["show"], theme=wanted["theme"]
        )
    except LookupError:
        raise Http404 from None
    following = dropwhile(lambda work: work.area.code != area, areas)
    next(following, None)
    context = _criteria_context(request, review, can_change=services.can_edit(request.user, review))
    forms = criteria_html([work.assessments for work in areas], context)
    return render(
        request,
        "reviews/workspace.html",
        {
            **context,
            "areas": areas,
            # Each area's criteria, made before the page (reviews/fragments.py), by the area's id.
            "criteria": {work.area.pk: html for work, html in zip(areas, forms, strict=True)},
            "area": area,
            "all_areas": ALL_AREAS,
            "next_area": next((work.area for work in following), None),
            "filters": filters,
            "chosen": wanted,
            "filtered": bool(wanted["show"] or wanted["theme"]),
            "any_shown": any(work.assessments or work.deferred for work in areas),
            "deferred_url": reverse("reviews:workspace_criteria", args=[review.pk]),
            # The filters kept when another area is chosen.
            "filter_query": urlencode({key: wanted[key] for key in ("show", "theme") if wanted[key]}),
            "overall": overall,
            "has_instruments": has_instruments,
            "instruments_url": reverse("instruments:instruments", args=[review.member_state.code])
            + f"?review={review.pk}",
        },
    )


@login_required
@require_safe
def workspace_criteria(request: HttpRequest, pk: int) -> HttpResponse:
    """One support area's criteria (`?area=`, with the workspace's filters), fetched by the workspace's view of
    every area when the reader reaches the area (the areas after the first of a large review:
    reviews.selectors.workspace_for). Asked without htmx, it is that area's page of the workspace."""
    review = get_review_for(request.user, pk, Perm.VIEW)
    filters = WorkspaceFilterForm(request.GET)
    if not filters.is_valid() or filters.cleaned_data["area"] in ("", ALL_AREAS):
        raise Http404
    if not is_htmx(request):
        return redirect(reverse("reviews:workspace", args=[review.pk]) + "?" + request.GET.urlencode())
    wanted = filters.cleaned_data
    try:
        areas, area, _overall, _has_instruments = workspace_for(
            review, wanted["area"], show=wanted["show"], theme=wanted["theme"]
        )
    except LookupError:
        raise Http404 from None
    shown = next(work for work in areas if work.area.code == area)
    context = _criteria_context(request, review, can_change=services.can_edit(request.user, review))
    [criteria] = criteria_html([shown.assessments], context)
    return render(request, "reviews/_deferred_criteria.html", {"criteria": criteria})


@functools.cache
def _rating_radios(language: str) -> dict[str, str]:
    """The rating's seven radio buttons, made once for each rating a criterion may have, once per language (they
    hold nothing but the scale's labels)."""
    return {
        key: render_to_string("reviews/_rating.html", {"ratings": RATING_CHOICES, "key": key})
        for key, _label in RATING_CHOICES
    }


def _criteria_context(request: HttpRequest, review: ReviewCycle, *, can_change: bool) -> dict:
    """What reviews/_criteria.html needs besides the assessments, worked out once for all of them: the page may
    hold two hundred criteria, so nothing is left for the template to work out two hundred times."""
    return {
        "review": review,
        "can_change": can_change,
        "rating_radios": _rating_radios(translation.get_language()),
        "rating_labels": {key: str(label) for key, label in RATING_CHOICES},
        "token": get_token(request),
        # The criteria's URLs are this prefix and their id: one reverse() for the page, not three a criterion.
        "assessments_url": url_prefix("reviews:assessment", review.pk),
        "history_url": reverse("reviews:history", args=[review.pk]),
        # Named, so that the template does not look them up in vain for every criterion.
        "picker": None,
        "errors": None,
        "conflict": None,
    }


def _criterion_page(request, review, assessment, *, status=200, posted=None, **extra) -> HttpResponse:
    """One criterion: the fragment htmx swaps in, or a page of its own with every instrument to cite (where a
    refused save without JavaScript comes back, showing what was sent)."""
    [assessment] = with_evidence(Assessment.all_objects.filter(pk=assessment.pk))
    assessment.baseline = baseline_for(review).get(assessment.criterion.code)
    if posted is not None:
        _show_posted(assessment, posted)
    context = {
        **_criteria_context(request, review, can_change=True),
        **extra,
        "assessment": assessment,
        "assessments": [assessment],
    }
    if is_htmx(request):
        return render(request, "reviews/_criteria.html", context, status=status)
    context["picker"] = uncited_instruments(assessment, [instrument.pk for instrument in assessment.cited])
    context["provision_picker"] = uncited_provisions(assessment)
    return render(request, "reviews/criterion.html", context, status=status)


def _show_posted(assessment: Assessment, posted) -> None:
    """Put what the adviser sent into the (unsaved) assessment, so that the form shows it again."""
    rating = posted.get("rating", "")
    assessment.not_applicable = rating == NOT_APPLICABLE
    assessment.rating = int(rating) if rating.isdigit() else None
    assessment.finding = posted.get("finding", "")
    assessment.internal_note = posted.get("internal_note", "")
    assessment.is_restricted = bool(posted.get("is_restricted"))
    chosen = [value for value in posted.getlist("evidence") if value.isdigit()]
    assessment.cited = cited(assessment.review.member_state.instruments.filter(pk__in=chosen).order_by("title", "pk"))
    if posted.get("provisions_shown"):
        chosen = [value for value in posted.getlist("provisions") if value.isdigit()]
        assessment.cited_provisions = cited_provisions(
            Provision.objects.filter(instrument__member_state=assessment.review.member_state_id, pk__in=chosen)
            .select_related("instrument")
            .order_by("instrument__title", "order")
        )


@login_required
@require_safe
def evidence_picker(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    """The state's instruments a criterion does not cite yet, for its picker, loaded when the adviser opens it."""
    review = get_review_for(request.user, pk, Perm.CHANGE)
    assessment = get_object_or_404(Assessment.all_objects.filter(review=review), pk=assessment_pk)
    return render(request, "reviews/_evidence_picker.html", {"instruments": uncited_instruments(assessment)})


@login_required
@require_GET_or_POST
def assessment_save(request: HttpRequest, pk: int, assessment_pk: int) -> HttpResponse:
    """GET: one criterion's form, as stored. POST: the autosave (htmx) or the Save button (no JavaScript)."""
    review = get_review_for(request.user, pk, Perm.CHANGE)
    # Every assessment of the review, also one just taken out of the scope: an autosave that crossed the
    # scope save is kept (hidden with the criterion, back with it), not answered 404 with the text lost.
    assessment = get_object_or_404(
        Assessment.all_objects.filter(review=review).select_related("criterion__support_area"), pk=assessment_pk
    )
    if request.method == "GET":
        return _criterion_page(request, review, assessment)
    form = AssessmentForm(request.POST, review=review)
    status = 200
    context = {"assessment": assessment, "review": review}
    if not form.is_valid():
        context["errors"] = form.errors
        status = 400
    else:
        try:
            assessment = services.assessment_update(
                assessment=assessment,
                by=request.user,
                version=form.cleaned_data["version"],
                evidence=form.cleaned_data["evidence"],
                provisions=form.cleaned_data["provisions"] if form.cleaned_data["provisions_shown"] else None,
                **form.changes(),
            )
        except services.StaleEdit as stale:
            context.update(conflict=stale.current, mine=form.cleaned_data)
            status = 409
        except ValidationError as exc:
            context["errors"] = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            status = 400
        else:
            context["assessment"] = assessment
            context["saved"] = True
    if not is_htmx(request):
        if status == 200:
            messages.success(request, _("Saved %(code)s.") % {"code": assessment.criterion.code})
            area = assessment.criterion.support_area.code
            return redirect(reverse("reviews:workspace", args=[review.pk]) + f"?area={area}#criterion-{assessment.pk}")
        # The page again with what the adviser sent, and why it was not saved: nothing typed is lost.
        refusal = {key: context.get(key) for key in ("errors", "conflict", "mine")}
        return _criterion_page(request, review, assessment, status=status, posted=request.POST, **refusal)
    per_area, overall = review_progress(review)
    context.update(
        area_progress=per_area.get(assessment.criterion.support_area_id),
        overall=overall,
    )
    return render(request, "reviews/_assessment_status.html", context, status=status)


@login_required
@require_safe
def recommendations(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk, Perm.VIEW)
    return render(
        request,
        "reviews/recommendations.html",
        {
            "review": review,
            "areas": recommendations_by_area(review),
            "can_change": services.can_edit(request.user, review),
        },
    )


@login_required
@require_GET_or_POST
def recommendation_form(request: HttpRequest, pk: int, recommendation_pk: int | None = None) -> HttpResponse:
    review = get_review_for(request.user, pk, Perm.CHANGE)
    recommendation = (
        get_object_or_404(review.recommendations, pk=recommendation_pk) if recommendation_pk is not None else None
    )
    initial = {}
    if recommendation is None and request.GET.get("support_area"):
        initial["support_area"] = request.GET["support_area"]
    form = RecommendationForm(request.POST or None, instance=recommendation, review=review, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        criteria, references = list(data.pop("criteria")), list(data.pop("references"))
        try:
            if recommendation is None:
                services.recommendation_create(
                    review=review, by=request.user, criteria=criteria, references=references, **data
                )
            else:
                services.recommendation_update(
                    recommendation=recommendation,
                    by=request.user,
                    version=form.cleaned_data.get("version") or 0,
                    criteria=criteria,
                    references=references,
                    **data,
                )
        except services.StaleEdit as stale:
            conflict = stale.current
            form.add_error(
                None,
                _(
                    "Someone else saved this recommendation while you were editing it. Their text is shown "
                    "below; yours is still in the form. Save again to replace theirs with yours."
                ),
            )
            form.data = form.data.copy()
            form.data["version"] = conflict.version
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The recommendation is saved."))
            return redirect(reverse("reviews:recommendations", args=[review.pk]) + "#area-" + data["support_area"].code)
    return render(
        request,
        "reviews/recommendation_form.html",
        {"review": review, "form": form, "recommendation": recommendation, "conflict": conflict},
    )


@login_required
@require_POST
def recommendation_move(request: HttpRequest, pk: int, recommendation_pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk, Perm.CHANGE)
    recommendation = get_object_or_404(review.recommendations, pk=recommendation_pk)
    step = -1 if request.POST.get("direction") == "up" else 1
    try:
        services.recommendation_move(recommendation=recommendation, by=request.user, step=step)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("reviews:recommendations", args=[review.pk]) + f"#recommendation-{recommendation.pk}")


@login_required
@require_POST
def recommendation_delete(request: HttpRequest, pk: int, recommendation_pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk, Perm.CHANGE)
    recommendation = get_object_or_404(review.recommendations, pk=recommendation_pk)
    if not confirmed(request):
        return confirm_first(
            request,
            review,
            title=_("Delete this recommendation?"),
            consequence=_(
                "“%(text)s” leaves the text and the reports. It goes to the bin, from where it can be restored."
            )
            % {"text": recommendation.text[:200]},
            button=_("Delete the recommendation"),
            cancel=reverse("reviews:recommendation_edit", args=[review.pk, recommendation.pk]),
            danger=True,
        )
    try:
        services.recommendation_delete(recommendation=recommendation, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The recommendation is in the bin, from where it can be restored."))
    return redirect("reviews:recommendations", pk=review.pk)


@login_required
@require_safe
def recommendation_bin(request: HttpRequest, pk: int) -> HttpResponse:
    """The recommendations deleted from the review, newest first, each with who deleted it and when."""
    review = get_review_for(request.user, pk, Perm.VIEW)
    deleted = (
        Recommendation.all_objects.filter(review=review, deleted_at__isnull=False)
        .select_related("support_area", "deleted_by")
        .order_by("-deleted_at")
    )
    return render(
        request,
        "reviews/recommendation_bin.html",
        {"review": review, "deleted": deleted, "can_change": services.can_edit(request.user, review)},
    )


@login_required
@require_POST
def recommendation_restore(request: HttpRequest, pk: int, recommendation_pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk, Perm.CHANGE)
    recommendation = get_object_or_404(
        Recommendation.all_objects.filter(review=review, deleted_at__isnull=False), pk=recommendation_pk
    )
    try:
        restored = services.recommendation_restore(recommendation=recommendation, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reviews:recommendation_bin", pk=review.pk)
    messages.success(request, _("The recommendation is restored, at the end of its support area."))
    return redirect(reverse("reviews:recommendations", args=[review.pk]) + f"#recommendation-{restored.pk}")


@login_required
@require_safe
def history(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk, Perm.VIEW)
    filters = HistoryFilterForm(request.GET, review=review)
    if not filters.is_valid():
        page = Paginator([], 50).get_page(1)
        return render(request, "reviews/history.html", {"review": review, "page": page, "filters": filters}, status=400)
    wanted = filters.cleaned_data
    entries = history_for(
        review,
        assessment_id=wanted["assessment"],
        recommendation_id=wanted["recommendation"],
        by=wanted["by"],
        since=wanted["since"],
        until=wanted["until"],
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    page.object_list = [describe(entry) for entry in page.object_list]
    return render(
        request,
        "reviews/history.html",
        {"review": review, "page": page, "filters": filters, "query": query_without_page(request)},
    )
