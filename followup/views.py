"""The follow-up's pages: the government's positions, and the validation workshop that records them."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.forms import add_service_errors
from core.http import is_htmx, require_GET_or_POST
from followup import services
from followup.models import Position
from followup.selectors import put_to_government, validated_draft
from reviews.models import MAX_NOTE, MAX_RECOMMENDATION, ReviewCycle
from reviews.permissions import Perm, get_review_for, has_perm


class PositionForm(forms.Form):
    stance = forms.ChoiceField(
        label=gettext_lazy("Position of the government"), choices=Position.Stance.choices, widget=forms.RadioSelect
    )
    agreed_text = forms.CharField(
        label=gettext_lazy("Agreed wording"),
        required=False,
        max_length=MAX_RECOMMENDATION,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Only when the recommendation was accepted with amended wording."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason given"),
        required=False,
        max_length=MAX_NOTE,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def followup_panel(request: HttpRequest, review: ReviewCycle) -> dict:
    """The review page's section of the follow-up: how many positions are recorded (once there are any to
    record), and the cycles before and after this one."""
    if not has_perm(request.user, review, Perm.VIEW_DRAFTS):
        return {}
    after_consultation = review.state in (
        ReviewCycle.State.VALIDATION,
        ReviewCycle.State.FINAL,
        ReviewCycle.State.FOLLOW_UP,
    )
    if not (after_consultation or review.carried_over_from_id):
        return {}
    return {
        "followup": {
            "recorded": Position.objects.filter(recommendation__review=review).count() if after_consultation else None,
            "previous": review.carried_over_from,
            "next": review.follow_up_cycles.first(),
            "can_compare": review.carried_over_from_id and has_perm(request.user, review, Perm.VIEW),
        }
    }


@login_required
@require_safe
def positions(request: HttpRequest, pk: int) -> HttpResponse:
    """The recommendations of the draft put to the government, each with the position it took."""
    review = get_review_for(request.user, pk, Perm.VIEW_DRAFTS)  # the team, the managers, the state's counterparts
    draft = validated_draft(review)
    items = put_to_government(review, draft, translation.get_language()) if draft else []
    counts = dict.fromkeys(Position.Stance, 0)
    for item in items:
        if item.position:
            counts[item.position.stance] += 1
    return render(
        request,
        "followup/positions.html",
        {
            "review": review,
            "draft": draft,
            "items": items,
            "counts": [(Position.Stance(stance).label, count) for stance, count in counts.items()],
            "not_recorded": sum(1 for item in items if item.position is None),
            "can_record": services.can_record_positions(request.user, review),
            "can_see_working_state": has_perm(request.user, review, Perm.VIEW),
        },
    )


def _initial(item) -> dict:
    position = item.position
    return (
        {"stance": position.stance, "agreed_text": position.agreed_text, "reason": position.reason} if position else {}
    )


@login_required
@require_GET_or_POST
def workshop(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The validation workshop, one recommendation at a time: its text as the draft put it, and the government's
    position, recorded while the delegation is in the room; saving goes to the next one (in place with htmx)."""
    review = get_review_for(request.user, pk, Perm.VIEW_DRAFTS)
    draft = validated_draft(review)
    if draft is None or not services.can_record_positions(request.user, review):
        raise Http404
    items = put_to_government(review, draft, translation.get_language())
    if not 1 <= number <= len(items):
        raise Http404
    item = items[number - 1]
    form = PositionForm(request.POST or None, initial=_initial(item))
    if request.method == "POST" and form.is_valid():
        try:
            services.position_record(review=review, recommendation_id=item.id, by=request.user, **form.cleaned_data)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if number == len(items):
                messages.success(request, _("Every recommendation has been through the workshop."))
                return _go_to(request, reverse("reviews:positions", args=[review.pk]))
            if not is_htmx(request):
                return redirect("reviews:workshop", pk=review.pk, number=number + 1)
            items = put_to_government(review, draft, translation.get_language())
            number, form = number + 1, None
    status = 400 if form is not None and form.errors else 200
    return _card(request, review, draft, items, number, form=form, status=status)


def _go_to(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect, which htmx makes in the whole window rather than in the card."""
    if not is_htmx(request):
        return redirect(url)
    response = HttpResponse()
    response["HX-Redirect"] = url
    return response


def _card(request, review, draft, items, number, *, form=None, status=200) -> HttpResponse:
    """The workshop's card of recommendation `number` (from 1): the whole page, or the card alone for htmx."""
    item = items[number - 1]
    context = {
        "review": review,
        "draft": draft,
        "item": item,
        "number": number,
        "total": len(items),
        "form": form or PositionForm(initial=_initial(item)),
        "previous_url": reverse("reviews:workshop", args=[review.pk, number - 1]) if number > 1 else "",
        "next_url": reverse("reviews:workshop", args=[review.pk, number + 1]) if number < len(items) else "",
        "recorded": sum(1 for i in items if i.position),
    }
    if not is_htmx(request):
        return render(request, "followup/workshop.html", context, status=status)
    response = render(request, "followup/_workshop_card.html", context, status=status)
    response["HX-Push-Url"] = reverse("reviews:workshop", args=[review.pk, number])
    return response
