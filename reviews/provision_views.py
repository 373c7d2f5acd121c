"""The articles of a national instrument: typed by hand, or split from its file and corrected in a preview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.http import is_htmx, require_GET_or_POST
from frameworks.forms import ProvisionChangeForm, ProvisionForm
from frameworks.models import ProvisionSplit
from reviews import provisions as services
from reviews.permissions import Perm, get_state_for, has_state_perm


def _instrument(request, code, instrument_pk, perm=Perm.VIEW):
    state = get_state_for(request.user, code, perm)
    return state, get_object_or_404(state.instruments, pk=instrument_pk)


@login_required
@require_GET_or_POST
def provision_list(request: HttpRequest, code: str, instrument_pk: int) -> HttpResponse:
    """The instrument's current articles in order, each with its earlier versions; a form to type one."""
    state, instrument = _instrument(request, code, instrument_pk)
    can_change = has_state_perm(request.user, state, Perm.CHANGE)
    form = ProvisionForm(request.POST or None)
    if request.method == "POST":
        if not can_change:
            state, instrument = _instrument(request, code, instrument_pk, Perm.CHANGE)  # 404
        if form.is_valid():
            try:
                services.provision_create(instrument=instrument, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The article is saved."))
                return redirect("instruments:provisions", code=state.code, instrument_pk=instrument.pk)
    provisions = instrument.provisions.select_related("next_version").order_by("order", "number", "-version")
    current = [p for p in provisions if p.is_current]
    earlier = {}
    for provision in provisions:
        if not provision.is_current:
            earlier.setdefault(provision.number, []).append(provision)
    for provision in current:
        provision.earlier = earlier.get(provision.number, [])
    return render(
        request,
        "frameworks/provision_list.html",
        {
            "state": state,
            "instrument": instrument,
            "provisions": current,
            "form": form,
            "can_change": can_change,
            "splits": instrument.splits.exclude(state=ProvisionSplit.State.SAVED)[:3] if can_change else [],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET_or_POST
def provision_edit(request: HttpRequest, code: str, instrument_pk: int, provision_pk: int) -> HttpResponse:
    state, instrument = _instrument(request, code, instrument_pk, Perm.CHANGE)
    provision = get_object_or_404(instrument.provisions, pk=provision_pk, is_current=True)
    initial = {"number": provision.number, "heading": provision.heading, "text": provision.text}
    form = ProvisionChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.provision_change(provision=provision, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The article is saved."))
            return redirect("instruments:provisions", code=state.code, instrument_pk=instrument.pk)
    return render(
        request,
        "frameworks/provision_form.html",
        {"state": state, "instrument": instrument, "provision": provision, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def provision_split_start(request: HttpRequest, code: str, instrument_pk: int) -> HttpResponse:
    state, instrument = _instrument(request, code, instrument_pk, Perm.CHANGE)
    try:
        split = services.provisions_split_start(instrument=instrument, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("instruments:provisions", code=state.code, instrument_pk=instrument.pk)
    return redirect("instruments:provision_split", code=state.code, instrument_pk=instrument.pk, split_pk=split.pk)


def _posted_rows(request, count: int) -> list[dict]:
    return [
        {
            "number": request.POST.get(f"number-{n}", ""),
            "heading": request.POST.get(f"heading-{n}", ""),
            "text": request.POST.get(f"text-{n}", ""),
            "keep": bool(request.POST.get(f"keep-{n}")),
            "merge": bool(request.POST.get(f"merge-{n}")),
        }
        for n in range(count)
    ]


@login_required
@require_GET_or_POST
def provision_split(request: HttpRequest, code: str, instrument_pk: int, split_pk: int) -> HttpResponse:
    """The articles found in the file, while the worker splits it (the page asks again) and then as a preview:
    the adviser corrects numbers, headings and texts, merges, cuts ("---") or drops, checks again, and saves."""
    state, instrument = _instrument(request, code, instrument_pk, Perm.CHANGE)
    split = get_object_or_404(instrument.splits, pk=split_pk)
    context = {"state": state, "instrument": instrument, "split": split, "errors": []}
    if split.state == ProvisionSplit.State.SPLITTING:
        return render(
            request,
            "frameworks/_split_progress.html" if is_htmx(request) else "frameworks/provision_split.html",
            context,
        )
    if is_htmx(request):
        response = HttpResponse()
        response["HX-Refresh"] = "true"
        return response
    rows = (
        [{**piece, "keep": bool(piece["number"]), "merge": False} for piece in split.found.get("pieces", [])]
        if split.found
        else []
    )
    status = 200
    if request.method == "POST" and split.state == ProvisionSplit.State.READY:
        count = request.POST.get("count", "")
        rows = _posted_rows(request, min(int(count), 5000) if count.isdigit() else 0)
        if request.POST.get("action") == "save":
            try:
                counts = services.provisions_split_save(split=split, by=request.user, rows=rows)
            except ValidationError as exc:
                context["errors"] = exc.messages
                status = 400
            else:
                messages.success(
                    request,
                    _("Articles saved: %(created)d new, %(amended)d amended, %(unchanged)d unchanged.") % counts,
                )
                return redirect("instruments:provisions", code=state.code, instrument_pk=instrument.pk)
        else:  # check again: the corrections applied, shown once more
            rows = [{**row, "keep": True, "merge": False} for row in services.preview_rows(rows)]
    context["rows"] = rows
    return render(request, "frameworks/provision_split.html", context, status=status)
