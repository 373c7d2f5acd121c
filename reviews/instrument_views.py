from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.forms import add_service_errors
from core.http import require_GET_or_POST
from frameworks.forms import InstrumentForm
from frameworks.selectors import instruments_of
from reviews.instruments import instrument_create, instrument_update
from reviews.permissions import Perm, get_state_for, has_state_perm, reviews_for


@login_required
@require_safe
def instrument_list(request: HttpRequest, code: str) -> HttpResponse:
    """The state's instruments; opened from one of its reviews (`?review=`), with that review's tabs around."""
    state = get_state_for(request.user, code, Perm.VIEW)
    review = None
    if str(request.GET.get("review", "")).isdigit():
        review = reviews_for(request.user, Perm.VIEW).filter(member_state=state, pk=request.GET["review"]).first()
    return render(
        request,
        "frameworks/instrument_list.html",
        {
            "state": state,
            "review": review,
            "instruments": instruments_of(state),
            "can_change": has_state_perm(request.user, state, Perm.CHANGE),
        },
    )


@login_required
@require_GET_or_POST
def instrument_form(request: HttpRequest, code: str, instrument_pk: int | None = None) -> HttpResponse:
    state = get_state_for(request.user, code, Perm.CHANGE)
    instrument = get_object_or_404(state.instruments, pk=instrument_pk) if instrument_pk is not None else None
    form = InstrumentForm(request.POST or None, request.FILES or None, instance=instrument)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if fields["file"] is False:  # "clear" was ticked
            fields["file"] = ""
        try:
            if instrument is None:
                instrument_create(member_state=state, by=request.user, **fields)
            else:
                instrument_update(instrument=instrument, by=request.user, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The instrument is saved."))
            return redirect("instruments:instruments", code=state.code)
    return render(request, "frameworks/instrument_form.html", {"state": state, "form": form, "instrument": instrument})


@login_required
@require_safe
def instrument_file(request: HttpRequest, code: str, instrument_pk: int) -> FileResponse:
    """The instrument's file, to those who may see the state's instruments (never a public media URL)."""
    state = get_state_for(request.user, code, Perm.VIEW)
    instrument = get_object_or_404(state.instruments, pk=instrument_pk)
    if not instrument.file:
        raise Http404
    return FileResponse(
        instrument.file.open("rb"), as_attachment=True, filename=instrument.file.name.rsplit("/", 1)[-1]
    )
