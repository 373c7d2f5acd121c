"""Pages of the reports: asking for a PDF and following it, downloads, exports, and the portfolio."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from consultation import services as consultation_services
from core.forms import form_errors_text
from core.http import is_htmx, query_without_page, require_GET_or_POST
from reports import exports
from reports import services as reports
from reports.forms import ReportRequestForm
from reports.kinds import KINDS
from reports.models import ReportJob, WordImport
from reviews.forms import ReviewFilterForm
from reviews.models import ReviewCycle
from reviews.permissions import Perm, get_review_for, has_perm, states_for
from reviews.selectors import attach_progress, filter_reviews, review_list_for


def reports_panel(request: HttpRequest, review: ReviewCycle) -> dict:
    """The review page's section of reports, for those who may download them."""
    if not has_perm(request.user, review, Perm.DOWNLOAD_REPORT):
        return {}
    return {"reports": _reports_context(request, review)}


def _reports_context(request: HttpRequest, review: ReviewCycle) -> dict:
    jobs = list(
        review.report_jobs.select_related("draft", "requested_by")
        .defer("content", "draft__snapshot")  # the list shows states and numbers, not the texts
        .order_by("-created_at")[:10]
    )
    visible = [job for job in jobs if reports.can_download(request.user, job)]
    for job in visible:  # a report of another kind is named by its kind (reports/kinds.py)
        job.kind_label = KINDS[job.kind].label if job.kind in KINDS else None
    return {
        "review": review,
        "jobs": visible,
        "pending": any(job.state in (ReportJob.State.QUEUED, ReportJob.State.RENDERING) for job in visible),
        "drafts": review.drafts.defer("snapshot").order_by("-number"),
        "can_request_current": has_perm(request.user, review, Perm.VIEW),
        "editions": ReportJob.Edition.choices,
        "languages": settings.LANGUAGES,
        "formats": ReportJob.Format.choices,
    }


@login_required
@require_GET_or_POST
def report_jobs(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the latest jobs (the page polls it while one is pending). POST: ask for a report."""
    review = get_review_for(request.user, pk, Perm.DOWNLOAD_REPORT)
    status, error = 200, ""
    if request.method == "POST":
        form = ReportRequestForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(form_errors_text(form))
            number = form.cleaned_data["draft"]
            draft = get_object_or_404(review.drafts, number=number) if number else None
            reports.report_request(
                review=review,
                by=request.user,
                draft=draft,
                edition=form.cleaned_data["edition"],
                language=form.cleaned_data["language"],
                file_format=form.cleaned_data["format"] or ReportJob.Format.PDF,
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 400
        if not is_htmx(request):
            if error:
                messages.error(request, error)
            return redirect(reverse("reviews:detail", args=[review.pk]) + "#reports")
    return render(
        request, "reviews/_reports.html", {**_reports_context(request, review), "error": error}, status=status
    )


@login_required
@require_safe
def report_download(request: HttpRequest, job_pk: int) -> FileResponse:
    job = get_object_or_404(ReportJob.objects.select_related("review", "draft"), pk=job_pk)
    # The same rule as the review's: a report of a review the user may not read answers 404.
    if not reports.can_download(request.user, job) or job.state != ReportJob.State.READY or not job.file:
        raise Http404
    reports.report_downloaded(job=job, by=request.user)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=reports.download_name(job))


def _export_language(request: HttpRequest, review: ReviewCycle) -> str:
    """The language asked for (`?language=`), else the review's report language."""
    language = request.GET.get("language") or review.report_language
    return language if language in dict(settings.LANGUAGES) else review.report_language


@login_required
@require_safe
def recommendations_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    review = get_review_for(request.user, pk, Perm.VIEW)
    language = _export_language(request, review)
    name = slugify(f"{review.member_state.code} {review.title}")[:60] or "recommendations"
    if fmt == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        body = exports.recommendations_xlsx(review, language)
    else:
        content_type, body = "text/csv; charset=utf-8", exports.recommendations_csv(review, language)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}-recommendations.{fmt}"'
    return response


@login_required
@require_safe
def gap_matrix_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The review's legal gap matrix as a spreadsheet, in the review's language (or `?language=`)."""
    review = get_review_for(request.user, pk, Perm.VIEW)
    language = _export_language(request, review)
    name = slugify(f"{review.member_state.code} {review.title}")[:60] or "review"
    response = HttpResponse(
        exports.gap_matrix_xlsx(review, language),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}-gap-matrix.xlsx"'
    return response


@login_required
@require_safe
def portfolio(request: HttpRequest) -> HttpResponse:
    """Every review the manager may see, by state, workflow state, progress and due date, with its reports."""
    reviews = review_list_for(request.user).filter(can_view_working_state=True)
    filters = ReviewFilterForm(request.GET or None, states=states_for(request.user, Perm.VIEW))
    if filters.is_valid():
        reviews = filter_reviews(reviews, **filters.cleaned_data)
    reviews = reviews.order_by("member_state__name_en", "due_date")
    page = Paginator(reviews, 50).get_page(request.GET.get("page"))
    page.object_list = attach_progress(page.object_list)
    latest = {}
    ready = ReportJob.objects.filter(review__in=[r.pk for r in page.object_list], state=ReportJob.State.READY)
    # Without the jobs' contents and the drafts' snapshots: only their numbers and files are shown.
    for job in ready.select_related("draft").defer("content", "draft__snapshot").order_by("-finished_at"):
        jobs = latest.setdefault(job.review_id, [])
        if len(jobs) < 3:
            jobs.append(job)
    for review in page.object_list:
        review.latest_reports = latest.get(review.pk, [])
    return render(
        request, "reviews/portfolio.html", {"page": page, "filters": filters, "query": query_without_page(request)}
    )


class WordUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("The draft as Word, with the ministry's comments (.docx)"))


@login_required
@require_GET_or_POST
def word_upload(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Bring back the draft's Word file annotated by a ministry: checked at once, read by a worker, then shown for
    triage before any thread is saved."""
    review = get_review_for(request.user, pk, Perm.COMMENT)
    draft = get_object_or_404(review.drafts, number=number)
    form = WordUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            imported = reports.word_import_upload(draft=draft, by=request.user, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("reviews:word_triage", pk=review.pk, import_pk=imported.pk)
    status = 400 if form.errors else 200
    return render(request, "reports/word_upload.html", {"review": review, "draft": draft, "form": form}, status=status)


@login_required
@require_GET_or_POST
def word_triage(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    """Each comment and suggested rewording the file holds, with the item it was found on: the person keeps,
    edits, moves or drops each, then confirms; the kept ones become threads."""
    review = get_review_for(request.user, pk, Perm.COMMENT)
    imported = get_object_or_404(
        WordImport.objects.filter(draft__review=review, uploaded_by=request.user).select_related("draft"),
        pk=import_pk,
    )
    labels = consultation_services.item_labels(imported.draft.snapshot, translation.get_language()[:2])
    items = [
        {**item, "index": n, "choice": f"{item['target_type']}:{item['target_key']}"}
        for n, item in enumerate(imported.found)
    ]
    error = ""
    if imported.state == WordImport.State.READY and is_htmx(request) and request.method == "GET":
        response = HttpResponse()  # read while the waiting page asked: the whole page, with its form, again
        response["HX-Refresh"] = "true"
        return response
    if imported.state != WordImport.State.READY:  # still being read (the page asks again), or could not be
        template = "reports/_word_reading.html" if is_htmx(request) else "reports/word_triage.html"
        return render(request, template, {"review": review, "imported": imported})
    if request.method == "POST" and not imported.confirmed_at:
        chosen = []
        for item in items:
            item["keep"] = bool(request.POST.get(f"keep-{item['index']}"))
            item["choice"] = request.POST.get(f"target-{item['index']}", item["choice"])
            item["body"] = request.POST.get(f"body-{item['index']}", item["body"])
            target_type, _sep, target_key = item["choice"].partition(":")
            if item["keep"]:
                chosen.append({**item, "target_type": target_type, "target_key": target_key})
        try:
            count = reports.word_import_confirm(imported=imported, by=request.user, chosen=chosen)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(
                request, _("%(count)d comments of the Word file are threads of the draft.") % {"count": count}
            )
            return redirect("reviews:draft", pk=review.pk, number=imported.draft.number)
    else:
        for item in items:
            item["keep"] = True
    options = [(f"{kind}:{key}", label) for (kind, key), label in labels.items()]
    return render(
        request,
        "reports/word_triage.html",
        {"review": review, "imported": imported, "items": items, "options": options, "error": error},
        status=400 if error else 200,
    )
