"""The search box's page and endpoint: what reviews.search finds in the working state (provisions, findings,
recommendations) for those who may see it, and what consultation.search finds in the published drafts of those
who read drafts only. Here, at the top, because it joins both."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from consultation.search import search_drafts
from reviews.search import LIMIT, MAX_QUERY, Hit, clean_query, search


def search_all(user, query: str) -> list[Hit]:
    hits = search(user, query) + search_drafts(user, query)
    hits.sort(key=lambda hit: -hit.rank)
    return hits[:LIMIT]


@login_required
@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    query = clean_query(request.GET.get("q", ""))[:MAX_QUERY]
    hits = search_all(request.user, query) if query else []
    return render(request, "reviews/search.html", {"query": query, "hits": hits})


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="provision, finding or recommendation")
    id = serializers.IntegerField(source="pk", help_text="0 for an item of a published draft")
    title = serializers.CharField()
    excerpt = serializers.CharField(help_text="HTML: the matched words in <mark>, the rest escaped.")
    url = serializers.CharField()
    rank = serializers.FloatField()
    place = serializers.CharField()


class SearchAPI(APIView):
    """Full-text search across the provisions, findings and recommendations the person may see."""

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="The words to find (200 characters at most).")],
        responses={200: SearchHitSerializer(many=True)},
    )
    def get(self, request):
        query = clean_query(request.query_params.get("q", ""))
        if not query:
            raise serializers.ValidationError({"q": [_("Give the words to find.")]})
        if len(query) > MAX_QUERY:
            raise serializers.ValidationError({"q": [_("%(count)d characters at most.") % {"count": MAX_QUERY}]})
        return Response(SearchHitSerializer(search_all(request.user, query), many=True).data)
