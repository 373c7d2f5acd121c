"""The REST API of legal review down to the article: a state's provisions, the catalogue's standard provisions,
a review's gap matrix (version-checked like assessments) and the search. The same services and rules as the
pages."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from frameworks.models import Provision, StandardProvision
from reviews import gap_matrix, provisions
from reviews.api import ReviewScoped, pop_version
from reviews.comparison import comparison, reviews_to_compare
from reviews.instrument_api import StateScoped
from reviews.models import GapEntry
from reviews.services import StaleEdit


class ProvisionSerializer(serializers.ModelSerializer):
    amendment = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="On a change: record the text as the article's new version (the old one stays where cited).",
    )
    previous = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Provision
        fields = [
            "id",
            "number",
            "heading",
            "text",
            "order",
            "version",
            "is_current",
            "previous",
            "amended_on",
            "amendment",
        ]
        read_only_fields = ["order", "version", "is_current", "previous"]


class ProvisionList(StateScoped, generics.ListCreateAPIView):
    """The articles of an instrument (current and earlier versions, in order); POST types one."""

    serializer_class = ProvisionSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.instrument = get_object_or_404(self.state.instruments, pk=self.kwargs["instrument_pk"])

    def get_queryset(self):
        return self.instrument.provisions.order_by("order", "number", "version")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = provisions.provision_create(
            instrument=self.instrument,
            by=self.request.user,
            number=data["number"],
            heading=data.get("heading", ""),
            text=data["text"],
        )


class ProvisionDetail(StateScoped, generics.RetrieveUpdateAPIView):
    """One article; PATCH corrects it, or with `amendment` records its new version (answered with that one)."""

    serializer_class = ProvisionSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        instrument = get_object_or_404(self.state.instruments, pk=self.kwargs["instrument_pk"])
        return get_object_or_404(instrument.provisions, pk=self.kwargs["pk"])

    def perform_update(self, serializer):
        provision, data = serializer.instance, serializer.validated_data
        serializer.instance = provisions.provision_change(
            provision=provision,
            by=self.request.user,
            number=data.get("number", provision.number),
            heading=data.get("heading", provision.heading),
            text=data.get("text", provision.text),
            amendment=data.get("amendment", False),
            amended_on=data.get("amended_on"),
        )


class StandardProvisionSerializer(serializers.ModelSerializer):
    reference = serializers.SlugRelatedField(slug_field="code", read_only=True)
    criteria = serializers.SerializerMethodField()

    class Meta:
        model = StandardProvision
        fields = [
            "code",
            "reference",
            "article",
            "name_en",
            "name_fr",
            "name_es",
            "description_en",
            "description_fr",
            "description_es",
            "criteria",
        ]

    def get_criteria(self, standard) -> list[str]:
        return sorted({criterion.code for criterion in standard.criteria.all()})


class StandardProvisionList(generics.ListAPIView):
    """The catalogue's standard provisions (articles of international instruments), with the criteria that ask
    about each (by code). Every signed-in person may read the catalogue."""

    serializer_class = StandardProvisionSerializer
    queryset = StandardProvision.objects.select_related("reference").prefetch_related("criteria")


class GapEntrySerializer(serializers.ModelSerializer):
    standard_provision = serializers.SlugRelatedField(slug_field="code", queryset=StandardProvision.objects.all())
    provision = serializers.PrimaryKeyRelatedField(queryset=Provision.objects.all(), allow_null=True, required=False)
    version = serializers.IntegerField(
        required=False, help_text="The version an edit starts from; a stale version answers 409 with the entry."
    )

    class Meta:
        model = GapEntry
        fields = ["id", "standard_provision", "provision", "verdict", "comment", "version", "updated_at"]
        read_only_fields = ["updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        review = self.context.get("review")
        if review is not None:  # only the reviewed state's current provisions (another's id: "does not exist")
            self.fields["provision"].queryset = gap_matrix.national_provisions(review)
            self.fields["standard_provision"].queryset = gap_matrix.standard_provisions_in_scope(review)


class GapMatrixSerializer(serializers.Serializer):
    entries = GapEntrySerializer(many=True)
    gaps = serializers.ListField(child=serializers.CharField(), help_text="Standard provisions without one.")


class GapMatrix(ReviewScoped, generics.ListCreateAPIView):
    """The review's gap matrix entries; POST pairs a standard provision in scope with a national provision (or
    none: a note on the gap). `gaps` in the answer of GET names the standard provisions without one."""

    serializer_class = GapEntrySerializer
    pagination_class = None  # a review's matrix is a few hundred lines at most, read whole

    def get_queryset(self):
        return self.review.gap_entries.select_related("standard_provision").order_by("pk")

    @extend_schema(responses={200: GapMatrixSerializer})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        answer = super().list(request, *args, **kwargs)
        gaps = [
            row["standard"].code
            for group in gap_matrix.gap_matrix(self.review)
            for row in group["standards"]
            if row["is_gap"]
        ]
        return Response({"entries": answer.data, "gaps": gaps})

    def perform_create(self, serializer):
        data = serializer.validated_data
        entry = gap_matrix.gap_entry_add(
            review=self.review,
            by=self.request.user,
            standard_provision=data["standard_provision"],
            provision=data.get("provision"),
        )
        changes = {name: data[name] for name in ("verdict", "comment") if name in data}
        if changes:
            entry = gap_matrix.gap_entry_update(entry=entry, by=self.request.user, version=entry.version, **changes)
        serializer.instance = entry


class GapEntryDetail(ReviewScoped, generics.RetrieveUpdateAPIView):
    serializer_class = GapEntrySerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return get_object_or_404(self.review.gap_entries, pk=self.kwargs["pk"])

    @extend_schema(responses={200: GapEntrySerializer, 409: OpenApiResponse(GapEntrySerializer, "Stale version")})
    def patch(self, request, *args, **kwargs):
        entry = self.get_object()
        serializer = self.get_serializer(entry, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = pop_version(data)
        changes = {name: data[name] for name in ("verdict", "comment") if name in data}
        try:
            updated = gap_matrix.gap_entry_update(entry=entry, by=request.user, version=version, **changes)
        except StaleEdit as stale:
            return Response(self.get_serializer(stale.current).data, status=status.HTTP_409_CONFLICT)
        return Response(self.get_serializer(updated).data)


class ReviewsSideBySideSerializer(serializers.Serializer):
    reviews = serializers.ListField(child=serializers.DictField())
    criteria = serializers.ListField(child=serializers.DictField())
    standards = serializers.ListField(child=serializers.DictField())


class Comparison(APIView):
    """Two to six reviews side by side (`?reviews=1,2`): the ratings of the criteria they share, and per standard
    provision the national provisions each names with their verdicts (null: not in that review's scope). A review
    the person may not see answers 404."""

    @extend_schema(
        parameters=[OpenApiParameter("reviews", str, description="Review ids, comma-separated (2 to 6).")],
        responses={200: ReviewsSideBySideSerializer},
    )
    def get(self, request):
        ids = [part for part in request.query_params.get("reviews", "").split(",") if part.strip()]
        data = comparison(reviews_to_compare(request.user, ids))
        return Response(
            {
                "reviews": [
                    {"id": r.pk, "title": r.title, "member_state": r.member_state.code} for r in data["reviews"]
                ],
                "criteria": [
                    {"code": row["code"], "title": row["title"], "ratings": row["ratings"]} for row in data["criteria"]
                ],
                "standards": [
                    {"code": row["standard"].code, "article": row["standard"].article, "reviews": row["cells"]}
                    for row in data["standards"]
                ],
            }
        )
