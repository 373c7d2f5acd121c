"""The action plan's pages: the dashboard and plan, an action's form, its progress reports."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from core.forms import add_service_errors, form_errors_text
from core.http import require_GET_or_POST
from followup import services, spreadsheet
from followup.charts import timeline_svg
from followup.models import Action, ActionPlan, ProgressReport
from followup.selectors import (
    accepted_recommendations,
    actions_of,
    comparison,
    implementation_rates,
    overall_rate,
    period_label,
    periods_between,
    plan_of,
    portfolio_follow_up,
    with_status,
)
from reports.services import report_request
from reviews.forms import RATING_CHOICES
from reviews.models import MAX_NOTE, ReviewCycle
from reviews.permissions import Perm, Role, get_review_for, has_perm, members_of, reviews_for
from reviews.selectors import recommendation_numbers_now
from reviews.services import StaleEdit
from reviews.views import confirm_first, confirmed

DUE_SOON_DAYS = 90


class RecommendationChoices(forms.ModelMultipleChoiceField):
    def __init__(self, *args, numbers: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.numbers = numbers

    def label_from_instance(self, obj) -> str:
        text = obj.government_position.text
        return f"{self.numbers.get(obj.pk, '')} {text[:120]}{'…' if len(text) > 120 else ''}"


class ActionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Action"), max_length=300)
    recommendations = RecommendationChoices(
        label=gettext_lazy("Recommendations it implements"),
        queryset=None,
        numbers={},
        widget=forms.CheckboxSelectMultiple,
    )
    responsible_institution = forms.CharField(label=gettext_lazy("Responsible institution"), max_length=300)
    focal_point = forms.ModelChoiceField(
        label=gettext_lazy("Focal point"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("A counterpart invited as a focal point of the review: they report the progress."),
    )
    start_date = forms.DateField(label=gettext_lazy("Start date"), widget=forms.DateInput(attrs={"type": "date"}))
    due_date = forms.DateField(label=gettext_lazy("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    indicator = forms.CharField(label=gettext_lazy("Indicator"), max_length=300)
    baseline = forms.CharField(label=gettext_lazy("Baseline"), max_length=200, required=False)
    target = forms.CharField(label=gettext_lazy("Target"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, review: ReviewCycle, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["recommendations"]
        field.queryset = accepted_recommendations(review).select_related("government_position")
        field.numbers = recommendation_numbers_now([review.pk])
        focal_points = [user.pk for user in members_of(review, Role.FOCAL_POINT)]
        self.fields["focal_point"].queryset = get_user_model().objects.filter(pk__in=focal_points)


class ProgressForm(forms.Form):
    period = forms.TypedChoiceField(label=gettext_lazy("Reporting period"), coerce=datetime.date.fromisoformat)
    progress = forms.CharField(
        label=gettext_lazy("Progress made"), max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 4})
    )
    indicator_value = forms.CharField(label=gettext_lazy("Value of the indicator"), max_length=200, required=False)
    completed = forms.BooleanField(label=gettext_lazy("The action is completed"), required=False)
    evidence_instrument = forms.ModelChoiceField(
        label=gettext_lazy("National instrument adopted"), queryset=None, required=False
    )
    evidence_file = forms.FileField(
        label=gettext_lazy("Evidence (a file)"),
        required=False,
        help_text=gettext_lazy("PDF, Word, OpenDocument, RTF or text, 20 MB at most."),
    )

    def __init__(self, *args, action: Action, periods: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods
        self.fields["evidence_instrument"].queryset = action.review.member_state.instruments.order_by("title")


class ProgressReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("return", "return")])
    question = forms.CharField(max_length=MAX_NOTE, required=False, strip=False)


def _action(review: ReviewCycle, action_pk: int) -> Action:
    return get_object_or_404(review.actions.select_related("review__member_state", "focal_point"), pk=action_pk)


@login_required
@require_safe
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """The review's follow-up: implementation rates by support and thematic area, what is due in the next 90
    days and what is overdue, the timeline, and the action plan itself."""
    review = get_review_for(request.user, pk, Perm.VIEW_DRAFTS)
    today = timezone.localdate()
    actions = actions_of(review, today)
    open_ones = [a for a in actions if a.status not in (Action.Status.COMPLETED, Action.Status.CANCELLED)]
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    plan = plan_of(review)
    return render(
        request,
        "followup/dashboard.html",
        {
            "review": review,
            "actions": actions,
            "overall": overall_rate(actions),
            "rate_tables": [
                (_("By support area"), implementation_rates(review, "support_area", today)),
                (_("By thematic area"), implementation_rates(review, "thematic_area", today)),
            ],
            "can_see_working_state": has_perm(request.user, review, Perm.VIEW),
            "due_soon": [a for a in open_ones if today <= a.due_date <= soon],
            "overdue": [a for a in open_ones if a.status == Action.Status.DELAYED],
            "timeline": mark_safe(timeline_svg(actions, today)),  # noqa: S308 - every text in it is escaped
            "plan": plan,
            "periods": ActionPlan.Period.choices,
            "can_change": has_perm(request.user, review, Perm.CHANGE),
            "can_add": has_perm(request.user, review, Perm.CHANGE) and accepted_recommendations(review).exists(),
            "next_review": review.follow_up_cycles.first(),
            "can_report": services.can_report_progress(request.user, review),
            "can_have_pdf": has_perm(request.user, review, Perm.DOWNLOAD_REPORT),
            "report_languages": settings.LANGUAGES,
            "can_open_next": has_perm(request.user, review, Perm.CHANGE)
            and review.state in (ReviewCycle.State.FINAL, ReviewCycle.State.FOLLOW_UP),
        },
    )


@login_required
@require_POST
def reporting_period(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk, Perm.CHANGE)
    try:
        services.plan_period_set(review=review, by=request.user, reporting_period=request.POST.get("period", ""))
    except ValidationError:
        messages.error(request, _("Choose quarterly or half-yearly reports."))
    else:
        messages.success(request, _("The reporting period is set."))
    return redirect("reviews:followup", pk=review.pk)


@login_required
@require_GET_or_POST
def action_form(request: HttpRequest, pk: int, action_pk: int | None = None) -> HttpResponse:
    """A new action of the plan, or one changed (the team)."""
    review = get_review_for(request.user, pk, Perm.CHANGE)
    action = _action(review, action_pk) if action_pk else None
    initial = {}
    if action is not None:
        initial = {name: getattr(action, name) for name in services.ACTION_FIELDS}
        initial["recommendations"] = list(action.recommendations.all())
        initial["version"] = action.version
    form = ActionForm(request.POST or None, initial=initial, review=review)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                if action is None:
                    action = services.action_create(review=review, by=request.user, **data)
                else:
                    action = services.action_update(action=action, by=request.user, version=version or 0, **data)
            except PermissionDenied:
                raise Http404 from None
            except StaleEdit:
                form.add_error(
                    None, _("Someone changed this action meanwhile: your text is below; reload to see theirs.")
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The action is saved."))
                return redirect("reviews:followup", pk=review.pk)
        status = 400
    return render(
        request, "followup/action_form.html", {"review": review, "form": form, "action": action}, status=status
    )


@login_required
@require_POST
def action_cancel(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk, Perm.CHANGE)
    action = _action(review, action_pk)
    try:
        services.action_cancel(action=action, by=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(
            request,
            _("The action was not cancelled: %(error)s Your text: %(reason)s")
            % {"error": " ".join(exc.messages), "reason": request.POST.get("reason", "")},
        )
    else:
        messages.success(request, _("The action is cancelled; it stays in the plan."))
    return redirect("reviews:action_progress", pk=review.pk, action_pk=action.pk)


def _periods(action: Action, schedule: str, today: datetime.date) -> list[tuple[str, str]]:
    """The reporting periods a report may be for: from the action's start to today (a delayed action goes on
    being reported), the latest first."""
    starts = periods_between(action.start_date, today, schedule)
    return [(start.isoformat(), period_label(start, schedule)) for start in reversed(starts)]


@login_required
@require_GET_or_POST
def action_progress(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """An action with its progress reports: a focal point reports the progress of a period (with its evidence);
    the team accepts each report or sends it back with a question."""
    review = get_review_for(request.user, pk, Perm.VIEW_DRAFTS)
    action = _action(review, action_pk)
    today = timezone.localdate()
    schedule = plan_of(review).reporting_period
    can_report = services.can_report_progress(request.user, review) and not action.cancelled_at
    periods = _periods(action, schedule, today)
    form = None
    status = 200
    if can_report:
        form = ProgressForm(request.POST or None, request.FILES or None, action=action, periods=periods)
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.progress_submit(action=action, by=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("Your report is sent to the IOM team."))
                    return redirect("reviews:action_progress", pk=review.pk, action_pk=action.pk)
            status = 400
    elif request.method == "POST":
        raise Http404
    reports = list(
        action.progress_reports.select_related("submitted_by", "reviewed_by", "evidence_instrument").order_by(
            "-period_start"
        )
    )
    for report in reports:
        report.label = period_label(report.period_start, schedule)
    action_status = with_status(review.actions.filter(pk=action.pk), today).values_list("status", flat=True).get()
    return render(
        request,
        "followup/action_progress.html",
        {
            "review": review,
            "action": action,
            "action_status": Action.Status(action_status).label,
            "reports": reports,
            "form": form,
            "can_review": has_perm(request.user, review, Perm.CHANGE),
            "can_see_working_state": has_perm(request.user, review, Perm.VIEW),
        },
        status=status,
    )


@login_required
@require_POST
def progress_review(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk, Perm.CHANGE)
    report = get_object_or_404(
        ProgressReport.objects.filter(action__review=review).select_related("action"), pk=report_pk
    )
    form = ProgressReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form_errors_text(form))
        services.progress_review(
            report=report,
            by=request.user,
            accept=form.cleaned_data["decision"] == "accept",
            question=form.cleaned_data["question"],
        )
    except ValidationError as exc:
        messages.error(
            request,
            _("Nothing was changed: %(error)s Your question: %(question)s")
            % {"error": " ".join(exc.messages), "question": request.POST.get("question", "")},
        )
    else:
        messages.success(
            request,
            _("The report is accepted.")
            if form.cleaned_data["decision"] == "accept"
            else _("The report is sent back with your question."),
        )
    return redirect("reviews:action_progress", pk=review.pk, action_pk=report.action_id)


@login_required
@require_safe
def progress_evidence(request: HttpRequest, pk: int, report_pk: int) -> FileResponse:
    """A progress report's evidence, to those who may read the review's follow-up (never a public media URL)."""
    review = get_review_for(request.user, pk, Perm.VIEW_DRAFTS)
    report = get_object_or_404(
        ProgressReport.objects.filter(action__review=review).exclude(evidence_file=""), pk=report_pk
    )
    name = report.evidence_file.name.rsplit("/", 1)[-1]
    return FileResponse(report.evidence_file.open("rb"), as_attachment=True, filename=name)


@login_required
@require_safe
def portfolio(request: HttpRequest) -> HttpResponse:
    """The follow-up of every review the person may see whole (a manager: all of them): how far each action
    plan is implemented, what is overdue and what falls due in the next 90 days."""
    rows = portfolio_follow_up(reviews_for(request.user, Perm.VIEW), due_within=DUE_SOON_DAYS)
    return render(request, "followup/portfolio.html", {"rows": rows})


@login_required
@require_POST
def next_cycle(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the follow-up review of a final review (asked first)."""
    review = get_review_for(request.user, pk, Perm.CHANGE)
    if not confirmed(request):
        return confirm_first(
            request,
            review,
            title=_("Open the follow-up review?"),
            consequence=_(
                "A new review of %(state)s starts on the latest criteria library, with the same team and "
                "counterparts; the recommendations accepted and not yet implemented are carried over, and each "
                "criterion shows this review's rating and finding as its baseline. This review goes into follow-up."
            )
            % {"state": review.member_state.name},
            button=_("Open the follow-up review"),
            cancel=reverse("reviews:followup", args=[review.pk]),
        )
    try:
        opened = services.next_cycle_open(review=review, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reviews:followup", pk=review.pk)
    messages.success(request, _("The follow-up review is open."))
    return redirect("reviews:detail", pk=opened.pk)


@login_required
@require_safe
def cycle_comparison(request: HttpRequest, pk: int) -> HttpResponse:
    """A follow-up review beside the cycle it follows (the IOM team and the managers)."""
    review = get_review_for(request.user, pk, Perm.VIEW)
    compared = comparison(review)
    if compared is None:
        raise Http404
    numbers = recommendation_numbers_now([review.pk, compared.previous.pk])
    return render(
        request,
        "followup/comparison.html",
        {
            "review": review,
            "compared": compared,
            "numbers": numbers,
            "rating_labels": {key: str(label) for key, label in RATING_CHOICES},
            "can_see_working_state": True,
        },
    )


@login_required
@require_safe
def plan_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The action plan as a spreadsheet, to report the current period's progress offline."""
    review = get_review_for(request.user, pk, Perm.VIEW_DRAFTS)
    response = HttpResponse(
        spreadsheet.plan_xlsx(review),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{review.member_state.code}-action-plan-{review.pk}.xlsx"'
    return response


UPLOAD_KEY = "followup-plan-upload-%d"


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("The action plan, filled in (.xlsx)"))


@login_required
@require_GET_or_POST
def plan_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """A focal point uploads the plan filled in offline: it is read and shown first, then applied all or nothing."""
    review = get_review_for(request.user, pk, Perm.VIEW_DRAFTS)
    if not services.can_report_progress(request.user, review):
        raise Http404
    key = UPLOAD_KEY % review.pk
    if request.method == "POST" and "apply" in request.POST:
        kept = request.session.get(key)
        if not kept or kept["token"] != request.POST["apply"]:
            messages.error(request, _("This upload was applied or replaced already: upload the file again."))
            return redirect("reviews:plan_upload", pk=review.pk)
        try:
            count = spreadsheet.apply_rows(review, request.user, kept["rows"])
        except ValidationError as exc:
            messages.error(request, _("Nothing was changed: %(error)s") % {"error": " ".join(exc.messages)})
            return redirect("reviews:plan_upload", pk=review.pk)
        del request.session[key]
        messages.success(request, _("%(count)d reports are sent to the IOM team.") % {"count": count})
        return redirect("reviews:followup", pk=review.pk)
    form = UploadForm(request.POST or None, request.FILES or None)
    reading, token, status = None, "", 200
    if request.method == "POST":
        if form.is_valid():
            reading = spreadsheet.read_upload(review, form.cleaned_data["file"])
            if not reading.errors:
                token = get_random_string(20)
                request.session[key] = {"token": token, "rows": spreadsheet.to_session(reading)}
        if not form.is_valid() or reading.errors:
            status = 400
    return render(
        request,
        "followup/plan_upload.html",
        {"review": review, "form": form, "reading": reading, "token": token, "can_see_working_state": False},
        status=status,
    )


@login_required
@require_POST
def followup_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the follow-up report's PDF (the reports pipeline makes it); the review's page follows the job."""
    review = get_review_for(request.user, pk, Perm.VIEW_DRAFTS)
    try:
        report_request(review=review, by=request.user, kind="followup", language=request.POST.get("language", ""))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reviews:followup", pk=review.pk)
    messages.success(request, _("The follow-up report is being made: it appears among the PDF reports."))
    return redirect(reverse("reviews:detail", args=[review.pk]) + "#reports")
