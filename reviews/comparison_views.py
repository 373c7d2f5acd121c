"""Reviews side by side: the choice of reviews, the comparison page and its spreadsheet."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from reviews.comparison import MAX_REVIEWS, comparison, comparison_xlsx, reviews_to_compare
from reviews.permissions import Perm, reviews_for


@login_required
@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    """Without `reviews`: the reviews the person may put side by side, to choose from. With two to six: them."""
    chosen = request.GET.getlist("reviews")
    if len(chosen) == 1 and "," in chosen[0]:
        chosen = chosen[0].split(",")
    if not chosen:
        choices = (
            reviews_for(request.user, Perm.VIEW)
            .select_related("member_state")
            .order_by("member_state__name_en", "-start_date")
        )
        return render(request, "reviews/compare_choose.html", {"choices": choices, "max": MAX_REVIEWS})
    data = comparison(reviews_to_compare(request.user, chosen))
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            comparison_xlsx(data), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="comparison.xlsx"'
        return response
    return render(
        request,
        "reviews/compare.html",
        {**data, "query": ",".join(str(r.pk) for r in data["reviews"])},
    )
