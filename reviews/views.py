from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from reviews.permissions import Perm, get_review_for, has_perm
from reviews.selectors import review_list_for


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    return render(request, "reviews/review_list.html", {"reviews": review_list_for(request.user)})


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # A counterpart sees the published drafts only; the working state needs the view permission.
    review = get_review_for(request.user, pk, Perm.VIEW_DRAFTS)
    can_view_working_state = has_perm(request.user, review, Perm.VIEW)
    assessments = (
        review.assessments.select_related("criterion__support_area").order_by(
            "criterion__support_area__order", "criterion__order"
        )
        if can_view_working_state
        else []
    )
    return render(
        request,
        "reviews/review_detail.html",
        {"review": review, "assessments": assessments, "can_view_working_state": can_view_working_state},
    )
