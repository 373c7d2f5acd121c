"""The search page: the header's search box leads here."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from reviews.search import MAX_QUERY, search


@login_required
@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    hits = search(request.user, query) if query else []
    kinds = {}
    for hit in hits:
        kinds.setdefault(hit.kind, []).append(hit)
    return render(request, "reviews/search.html", {"query": query, "hits": hits, "kinds": kinds})
