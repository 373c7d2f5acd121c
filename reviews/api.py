"""The REST API of reviews, assessments and recommendations: the same services and access rules as the pages."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from core.actions import label as action_label
from core.models import ActionLog
from frameworks.models import (
    AssessmentFramework,
    Criterion,
    InternationalReference,
    MemberState,
    NationalInstrument,
    Provision,
    SupportArea,
    ThematicArea,
)
from frameworks.selectors import current_framework
from reviews import services
from reviews.forms import NOT_APPLICABLE
from reviews.models import Assessment, Rating, Recommendation, ReviewCycle
from reviews.permissions import Perm, can_open_reviews, get_review_for, has_perm, reviews_for
from reviews.selectors import attach_progress, history_for, recommendation_numbers_now, review_progress


class ReviewScoped:
    """An endpoint under /reviews/{id}/: the review is fetched, and the permission of the method checked,
    before the body is read. Another state's review answers 404; one the user may see but not change, 403."""

    review_kwarg = "review_pk"
    read_perm = Perm.VIEW
    write_perm = Perm.CHANGE

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.review = get_review_for(request.user, self.kwargs[self.review_kwarg], self.read_perm)
        if request.method not in SAFE_METHODS and not has_perm(request.user, self.review, self.write_perm):
            raise PermissionDenied

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "review": getattr(self, "review", None)}


def pop_version(data: dict) -> int:
    """The version an edit starts from: required, so that a stale edit is refused instead of overwriting."""
    version = data.pop("version", None)
    if version is None:
        raise serializers.ValidationError({"version": ["This field is required."]})
    return version


class ReviewSerializer(serializers.ModelSerializer):
    member_state = serializers.SlugRelatedField(slug_field="code", queryset=MemberState.objects.all())
    framework = serializers.PrimaryKeyRelatedField(
        queryset=AssessmentFramework.objects.all(),
        required=False,
        help_text="The criteria library version (default: the latest version of the shipped library).",
    )
    thematic_areas = serializers.SlugRelatedField(slug_field="code", queryset=ThematicArea.objects.all(), many=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = ReviewCycle
        fields = [
            "id",
            "member_state",
            "title",
            "framework",
            "report_language",
            "thematic_areas",
            "state",
            "start_date",
            "due_date",
            "progress",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["state", "created_at", "updated_at"]

    def get_progress(self, review) -> dict:
        if hasattr(review, "assessed_count"):  # annotated by the list's query
            return {"assessed": review.assessed_count, "total": review.criteria_count}
        _per_area, overall = review_progress(review)
        return {"assessed": overall.done, "total": overall.total}


class ReviewUpdateSerializer(ReviewSerializer):
    """A review's member state and library are fixed at creation: shown, and refused (400) if asked to change."""

    member_state = serializers.SlugRelatedField(slug_field="code", read_only=True)
    framework = serializers.PrimaryKeyRelatedField(read_only=True)

    def validate(self, attrs):
        fixed = {"member_state": self.instance.member_state.code, "framework": self.instance.framework_id}
        errors = {
            name: [
                _("A review's %(field)s is fixed when it is opened.")
                % {"field": ReviewCycle._meta.get_field(name).verbose_name}
            ]
            for name, current in fixed.items()
            if name in self.initial_data and str(self.initial_data[name]).upper() != str(current).upper()
        }
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ReviewList(generics.ListCreateAPIView):
    """The reviews the user works on (team or manager); an adviser may open a new one."""

    serializer_class = ReviewSerializer

    def get_queryset(self):
        return (
            reviews_for(self.request.user, Perm.VIEW)
            .select_related("member_state")
            .prefetch_related("thematic_areas")
            .order_by("due_date", "pk")
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return attach_progress(page) if page is not None else None

    def perform_create(self, serializer):
        if not can_open_reviews(self.request.user):
            raise PermissionDenied
        data = dict(serializer.validated_data)
        data.setdefault("framework", current_framework())
        serializer.instance = services.review_create(by=self.request.user, **data)


class ReviewDetail(ReviewScoped, generics.RetrieveUpdateAPIView):
    serializer_class = ReviewUpdateSerializer
    http_method_names = ["get", "patch", "head", "options"]
    review_kwarg = "pk"

    def get_object(self):
        return self.review

    def perform_update(self, serializer):
        serializer.instance = services.review_update(
            review=serializer.instance, by=self.request.user, **serializer.validated_data
        )


@extend_schema_field(
    {
        "oneOf": [{"type": "integer", "minimum": 0, "maximum": 4}, {"type": "string", "enum": [NOT_APPLICABLE]}],
        "nullable": True,
    }
)
class RatingField(serializers.ChoiceField):
    """A rating as people give it: 0 to 4 (a number, or its text), 'na', or null; answered as a number or 'na'."""


class AssessmentSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.code", read_only=True)
    criterion_title = serializers.CharField(source="criterion.title", read_only=True)
    support_area = serializers.CharField(source="criterion.support_area.code", read_only=True)
    rating = RatingField(
        choices=[*(str(value) for value in Rating.values), NOT_APPLICABLE],
        allow_null=True,
        required=False,
        help_text="0 to 4 on the scale, 'na' for not applicable, null for not yet rated.",
    )
    evidence = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=NationalInstrument.objects.all(), help_text="Instrument ids."
    )
    provisions = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Provision.objects.all(), help_text="Ids of the state's provisions cited."
    )
    version = serializers.IntegerField(
        help_text="The version the edit starts from; a stale version answers 409 with the current assessment."
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "criterion",
            "criterion_title",
            "support_area",
            "rating",
            "evidence",
            "provisions",
            "finding",
            "internal_note",
            "is_restricted",
            "version",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["rating"] = NOT_APPLICABLE if instance.not_applicable else instance.rating
        return data


class AssessmentList(ReviewScoped, generics.ListAPIView):
    serializer_class = AssessmentSerializer

    def get_queryset(self):
        return (
            self.review.assessments.select_related("criterion__support_area")
            .prefetch_related("evidence", "provisions")
            .order_by("criterion__support_area__order", "criterion__order")
        )


class AssessmentDetail(ReviewScoped, generics.RetrieveUpdateAPIView):
    serializer_class = AssessmentSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return get_object_or_404(
            self.review.assessments.select_related("criterion__support_area"), pk=self.kwargs["pk"]
        )

    @extend_schema(responses={200: AssessmentSerializer, 409: OpenApiResponse(AssessmentSerializer, "Stale version")})
    def patch(self, request, *args, **kwargs):
        assessment = self.get_object()
        serializer = self.get_serializer(assessment, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = pop_version(data)
        changes = {name: data[name] for name in ("finding", "internal_note", "is_restricted") if name in data}
        if "rating" in data:
            rating = data["rating"]
            changes["not_applicable"] = rating == NOT_APPLICABLE
            changes["rating"] = None if rating in (None, NOT_APPLICABLE) else int(rating)
        try:
            updated = services.assessment_update(
                assessment=assessment,
                by=request.user,
                version=version,
                evidence=data.get("evidence"),
                provisions=data.get("provisions"),
                **changes,
            )
        except services.StaleEdit as stale:
            return Response(self.get_serializer(stale.current).data, status=status.HTTP_409_CONFLICT)
        return Response(self.get_serializer(updated).data)


class RecommendationSerializer(serializers.ModelSerializer):
    support_area = serializers.SlugRelatedField(slug_field="code", queryset=SupportArea.objects.all())
    thematic_area = serializers.SlugRelatedField(
        slug_field="code", queryset=ThematicArea.objects.all(), allow_null=True, required=False
    )
    criteria = serializers.SlugRelatedField(
        slug_field="code", queryset=Criterion.objects.all(), many=True, required=False
    )
    references = serializers.SlugRelatedField(
        slug_field="code", queryset=InternationalReference.objects.all(), many=True, required=False
    )
    version = serializers.IntegerField(
        required=False, help_text="Required to change: the version the edit starts from."
    )
    number = serializers.SerializerMethodField(
        help_text="R1, R2…: its number in the report's order, the same as in the drafts, reports and matrix."
    )

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "number",
            *services.RECOMMENDATION_FIELDS,
            "criteria",
            "references",
            "implementation_status",
            "order",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["implementation_status", "order", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Codes are unique within a library, not across its versions: they are looked up in the review's own.
        review = self.context.get("review")
        if review is not None:
            self.fields["criteria"].child_relation.queryset = review.framework.criteria.all()

    def get_number(self, recommendation) -> str:
        numbers = self.context["numbers"]() if "numbers" in self.context else {}
        return (
            numbers.get(recommendation.pk) or recommendation_numbers_now([recommendation.review_id])[recommendation.pk]
        )


def _numbers(view) -> dict[int, str]:
    """The review's recommendation numbers, read once for a response (the serializer asks for each)."""
    if not hasattr(view, "_recommendation_numbers"):
        view._recommendation_numbers = recommendation_numbers_now([view.review.pk])
    return view._recommendation_numbers


class RecommendationList(ReviewScoped, generics.ListCreateAPIView):
    serializer_class = RecommendationSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "numbers": lambda: _numbers(self)}

    def get_queryset(self):
        return (
            self.review.recommendations.select_related("support_area", "thematic_area")
            .prefetch_related("criteria", "references")
            .order_by("support_area__order", "order", "pk")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = services.recommendation_create(review=self.review, by=self.request.user, **data)


class RecommendationDetail(ReviewScoped, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = RecommendationSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "numbers": lambda: _numbers(self)}

    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self):
        return get_object_or_404(self.review.recommendations, pk=self.kwargs["pk"])

    @extend_schema(
        responses={200: RecommendationSerializer, 409: OpenApiResponse(RecommendationSerializer, "Stale version")}
    )
    def patch(self, request, *args, **kwargs):
        recommendation = self.get_object()
        serializer = self.get_serializer(recommendation, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = pop_version(data)
        try:
            updated = services.recommendation_update(
                recommendation=recommendation, by=request.user, version=version, **data
            )
        except services.StaleEdit as stale:
            return Response(self.get_serializer(stale.current).data, status=status.HTTP_409_CONFLICT)
        return Response(self.get_serializer(updated).data)

    def perform_destroy(self, instance):
        services.recommendation_delete(recommendation=instance, by=self.request.user)


class HistorySerializer(serializers.ModelSerializer):
    by = serializers.StringRelatedField()
    label = serializers.SerializerMethodField(help_text="The action in the reader's language.")

    class Meta:
        model = ActionLog
        fields = ["id", "at", "by", "action", "label", "object_repr", "data"]
        read_only_fields = fields

    def get_label(self, entry) -> str:
        return action_label(entry.action)


class HistoryList(ReviewScoped, generics.ListAPIView):
    """The review's action log, newest first: who did what, when, and what changed (data.changes)."""

    serializer_class = HistorySerializer

    def get_queryset(self):
        return history_for(self.review)
