"""The floors the benchmarks compare the product's pages with, served beside the product's own URLs.

A benchmark run points ROOT_URLCONF here (settings `benchmarks.settings`): every page of the product, plus
- /bench/plain-workspace/<pk>/[?area=]: the same rows as the workspace (the same selector and queries), printed
  by a plain Django template with no form, no include and no translation: what rendering those rows costs;
- /bench/signed-in/: a trivial page behind the sign-in: what a request costs before any page's own work.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from iomborder.urls import urlpatterns as product_urlpatterns
from reviews.permissions import Perm, get_review_for
from reviews.selectors import workspace_for

PLAIN_WORKSPACE = engines["django"].from_string(
    """<!doctype html><html><body><h1>{{ review.title }}</h1>
{% for work in areas %}<h2>{{ work.area.name }}</h2><table>
{% for a in work.assessments %}<tr><td>{{ a.criterion.code }}</td><td>{{ a.criterion.title }}</td>
<td>{{ a.criterion.thematic_area.name }}{% for name in a.references %} {{ name }}{% endfor %}</td>
<td>{{ a.criterion.guidance }}</td><td>{{ a.rating }} {{ a.not_applicable }}</td><td>{{ a.finding }}</td>
<td>{% for i in a.cited %}{{ i.title }} {% endfor %}</td><td>{{ a.internal_note }}</td>
<td>{{ a.is_restricted }}</td><td>{{ a.updated_by }} {{ a.updated_at }}</td></tr>
{% endfor %}</table>{% endfor %}</body></html>"""
)


@login_required
def plain_workspace(request, pk):
    review = get_review_for(request.user, pk, Perm.VIEW)
    areas, _area, _overall, _has_instruments = workspace_for(review, request.GET.get("area", ""))
    return HttpResponse(PLAIN_WORKSPACE.render({"review": review, "areas": areas}, request))


@login_required
def signed_in(request):
    return HttpResponse("ok")


urlpatterns = [
    path("bench/plain-workspace/<int:pk>/", plain_workspace, name="bench-plain-workspace"),
    path("bench/signed-in/", signed_in, name="bench-signed-in"),
    *product_urlpatterns,
]
