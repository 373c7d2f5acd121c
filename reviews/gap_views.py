"""The legal gap matrix's page: each standard provision in scope with the national provisions that implement it,
their verdicts and comments (autosaved as findings are), and the gaps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import is_htmx, require_GET_or_POST
from reviews import gap_matrix as services
from reviews.models import GapEntry
from reviews.permissions import Perm, get_review_for
from reviews.services import StaleEdit, can_edit


def _page(request, review, *, status=200, **extra):
    return render(
        request,
        "reviews/gap_matrix.html",
        {
            "review": review,
            "groups": services.gap_matrix(review),
            "provisions": services.national_provisions(review) if can_edit(request.user, review) else [],
            "can_change": can_edit(request.user, review),
            "verdicts": GapEntry.Verdict.choices,
            **extra,
        },
        status=status,
    )


@login_required
@require_GET_or_POST
def gap_matrix(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the matrix. POST (the team): pair a standard provision with a national provision, or note a gap."""
    if request.method == "GET":
        return _page(request, get_review_for(request.user, pk, Perm.VIEW))
    review = get_review_for(request.user, pk, Perm.CHANGE)
    standard_pk = request.POST.get("standard", "")
    standard = (
        services.standard_provisions_in_scope(review).filter(pk=standard_pk).first() if standard_pk.isdigit() else None
    )
    provision_pk = request.POST.get("provision") or ""
    provision = services.national_provisions(review).filter(pk=provision_pk).first() if provision_pk.isdigit() else None
    try:
        if standard is None or (provision_pk and provision is None):
            raise ValidationError(_("Choose a standard provision in scope and a provision of the state's instruments."))
        entry = services.gap_entry_add(review=review, by=request.user, standard_provision=standard, provision=provision)
    except ValidationError as exc:
        return _page(request, review, status=400, error=" ".join(exc.messages))
    return redirect(reverse("reviews:gap_matrix", args=[review.pk]) + f"#entry-{entry.pk}")


@login_required
@require_POST
def gap_entry(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """The autosave of an entry's verdict and comment (htmx), or its Save button (no JavaScript)."""
    review = get_review_for(request.user, pk, Perm.CHANGE)
    entry = get_object_or_404(review.gap_entries, pk=entry_pk)
    context, status = {"review": review, "entry": entry}, 200
    verdict = request.POST.get("verdict", "")
    posted = {"verdict": verdict, "comment": request.POST.get("comment", "")}
    try:
        version = int(request.POST.get("version", ""))
        if verdict not in dict(GapEntry.Verdict.choices) and verdict != "":
            raise ValidationError(_("Choose a verdict of the list."))
        context["entry"] = services.gap_entry_update(entry=entry, by=request.user, version=version, **posted)
        context["saved"] = True
    except StaleEdit as stale:
        context.update(conflict=stale.current, mine=posted)
        status = 409
    except (ValueError, ValidationError) as exc:
        context["errors"] = exc.messages if isinstance(exc, ValidationError) else [_("The form is out of date.")]
        status = 400
    if is_htmx(request):
        return render(request, "reviews/_gap_status.html", context, status=status)
    if status == 200:
        messages.success(request, _("Saved."))
        return redirect(reverse("reviews:gap_matrix", args=[review.pk]) + f"#entry-{entry.pk}")
    # The page again, with what was typed in the entry's form and why it was not saved.
    return _page(
        request,
        review,
        status=status,
        posted_entry=entry.pk,
        posted=posted,
        **{k: context.get(k) for k in ("conflict", "errors")},
    )


@login_required
@require_POST
def gap_entry_remove(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    review = get_review_for(request.user, pk, Perm.CHANGE)
    entry = get_object_or_404(review.gap_entries, pk=entry_pk)
    try:
        services.gap_entry_remove(entry=entry, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The line is removed from the matrix."))
    return redirect("reviews:gap_matrix", pk=review.pk)
