"""The REST API of the follow-up: the government's positions, under the review's permissions."""

from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from followup import services
from followup.models import Action, Position, ProgressReport
from followup.selectors import comparison, put_to_government, validated_draft, with_status
from reviews.api import ReviewScoped, pop_version
from reviews.models import MAX_NOTE, MAX_RECOMMENDATION, Recommendation
from reviews.permissions import Perm, get_review_for
from reviews.services import StaleEdit


class PositionSerializer(serializers.Serializer):
    """A recommendation of the draft put to the government, and the position it took (null: none yet)."""

    number = serializers.CharField(help_text="The recommendation's number in the draft (R1, R2…).")
    recommendation = serializers.IntegerField(source="id")
    text = serializers.CharField(help_text="The recommendation as the draft put it.")
    stance = serializers.ChoiceField(choices=Position.Stance.choices, source="position.stance", allow_null=True)
    agreed_text = serializers.CharField(source="position.agreed_text", allow_null=True)
    reason = serializers.CharField(source="position.reason", allow_null=True)
    recorded_by = serializers.CharField(source="position.recorded_by", allow_null=True)
    recorded_at = serializers.DateTimeField(source="position.recorded_at", allow_null=True)


class PositionInputSerializer(serializers.Serializer):
    recommendation = serializers.IntegerField(help_text="The id of a recommendation of the draft.")
    stance = serializers.ChoiceField(choices=Position.Stance.choices)
    agreed_text = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=MAX_RECOMMENDATION, trim_whitespace=False
    )
    reason = serializers.CharField(allow_blank=True, required=False, default="", max_length=MAX_NOTE)


class PositionList(ReviewScoped, generics.GenericAPIView):
    """The government's positions on the recommendations of the draft it validated; POST records one, or
    changes it (the IOM team and the managers: anyone else who reads the review gets 403)."""

    serializer_class = PositionSerializer
    read_perm = write_perm = Perm.VIEW_DRAFTS  # who writes is the service's to say

    def _items(self):
        draft = validated_draft(self.review)
        return put_to_government(self.review, draft, translation.get_language()) if draft else []

    def get(self, request, review_pk):
        return Response(PositionSerializer(self._items(), many=True).data)

    @extend_schema(request=PositionInputSerializer, responses={201: PositionSerializer})
    def post(self, request, review_pk):
        given = PositionInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        recommendation_id = data.pop("recommendation")
        services.position_record(review=self.review, recommendation_id=recommendation_id, by=request.user, **data)
        item = next(item for item in self._items() if item.id == recommendation_id)
        return Response(PositionSerializer(item).data, status=status.HTTP_201_CREATED)


class ActionSerializer(serializers.ModelSerializer):
    recommendations = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Recommendation.all_objects.all(), help_text="Ids of accepted recommendations."
    )
    focal_point = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), allow_null=True, required=False
    )
    status = serializers.SerializerMethodField(help_text="Worked out from the accepted progress reports.")
    latest_value = serializers.SerializerMethodField(help_text="The indicator's last accepted value.")

    class Meta:
        model = Action
        fields = [
            "id",
            "title",
            "recommendations",
            "responsible_institution",
            "focal_point",
            "start_date",
            "due_date",
            "indicator",
            "baseline",
            "target",
            "status",
            "latest_value",
            "cancelled_at",
            "version",
        ]
        read_only_fields = ["cancelled_at"]

    def get_status(self, action) -> str:
        return getattr(action, "status", "")

    def get_latest_value(self, action) -> str | None:
        return getattr(action, "latest_value", None)


def _with_status(review, action_pk):
    return with_status(review.actions.filter(pk=action_pk)).prefetch_related("recommendations").get()


class ActionList(ReviewScoped, generics.ListCreateAPIView):
    """The review's action plan (readers of the review, its focal points included); POST adds an action (the
    team)."""

    serializer_class = ActionSerializer
    read_perm = Perm.VIEW_DRAFTS

    def get_queryset(self):
        return with_status(self.review.actions.all()).prefetch_related("recommendations").order_by("due_date", "pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        action = services.action_create(review=self.review, by=self.request.user, **data)
        serializer.instance = _with_status(self.review, action.pk)


class ActionDetail(ReviewScoped, generics.RetrieveAPIView):
    """An action; PATCH changes it, naming the `version` it starts from (the team)."""

    serializer_class = ActionSerializer
    read_perm = Perm.VIEW_DRAFTS

    def get_object(self):
        return get_object_or_404(
            with_status(self.review.actions.all()).prefetch_related("recommendations"), pk=self.kwargs["pk"]
        )

    @extend_schema(request=ActionSerializer, responses={200: ActionSerializer})
    def patch(self, request, review_pk, pk):
        action = self.get_object()
        given = ActionSerializer(action, data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        version = pop_version(data)
        try:
            services.action_update(action=action, by=request.user, version=version, **data)
        except StaleEdit as stale:
            current = _with_status(self.review, stale.current.pk)
            return Response(ActionSerializer(current).data, status=status.HTTP_409_CONFLICT)
        return Response(ActionSerializer(_with_status(self.review, action.pk)).data)


class ProgressSerializer(serializers.ModelSerializer):
    period = serializers.DateField(
        source="period_start", help_text="Any day of the reporting period; answered as its first day."
    )
    submitted_by = serializers.StringRelatedField()
    reviewed_by = serializers.StringRelatedField()

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "period",
            "progress",
            "indicator_value",
            "completed",
            "evidence_instrument",
            "state",
            "question",
            "submitted_by",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
        ]
        read_only_fields = ["state", "question", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at"]


class ProgressReviewSerializer(serializers.Serializer):
    report = serializers.IntegerField(help_text="The id of a progress report of the action.")
    decision = serializers.ChoiceField(choices=["accept", "return"])
    question = serializers.CharField(required=False, allow_blank=True, default="", max_length=MAX_NOTE)


class ActionProgress(generics.GenericAPIView):
    """An action's progress reports (readers of its review); POST submits one (a focal point of the review);
    PATCH accepts or returns one with a question (the team)."""

    serializer_class = ProgressSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        action = get_object_or_404(Action.objects.select_related("review"), pk=self.kwargs["pk"])
        get_review_for(request.user, action.review_id, Perm.VIEW_DRAFTS)  # 404 to anyone who may not read it
        self.action = action

    def get(self, request, pk):
        reports = self.action.progress_reports.select_related("submitted_by", "reviewed_by").order_by("period_start")
        return Response(ProgressSerializer(reports, many=True).data)

    @extend_schema(request=ProgressSerializer, responses={201: ProgressSerializer})
    def post(self, request, pk):
        given = ProgressSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        data["period"] = data.pop("period_start")
        report = services.progress_submit(action=self.action, by=request.user, **data)
        return Response(ProgressSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProgressReviewSerializer, responses={200: ProgressSerializer})
    def patch(self, request, pk):
        given = ProgressReviewSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        report = get_object_or_404(self.action.progress_reports, pk=given.validated_data["report"])
        reviewed = services.progress_review(
            report=report,
            by=request.user,
            accept=given.validated_data["decision"] == "accept",
            question=given.validated_data["question"],
        )
        return Response(ProgressSerializer(reviewed).data)


class NextCycleSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The id of the follow-up review opened.")


class NextCycle(ReviewScoped, generics.GenericAPIView):
    """POST opens the follow-up review of a final review (the team): 201 with its id."""

    serializer_class = NextCycleSerializer

    @extend_schema(request=None, responses={201: NextCycleSerializer})
    def post(self, request, review_pk):
        opened = services.next_cycle_open(review=self.review, by=request.user)
        return Response({"id": opened.pk}, status=status.HTTP_201_CREATED)


class ComparisonSerializer(serializers.Serializer):
    previous = serializers.IntegerField(source="previous.pk", help_text="The id of the review this one follows.")
    criteria = serializers.SerializerMethodField()
    areas = serializers.SerializerMethodField()
    addressed = serializers.SerializerMethodField(help_text="Previous recommendations implemented.")
    carried_over = serializers.SerializerMethodField(help_text="This review's recommendations carried over.")
    dropped = serializers.SerializerMethodField(help_text="Previous recommendations neither implemented nor carried.")

    def get_criteria(self, compared) -> list[dict]:
        return [{"code": c.code, "before": c.before, "after": c.after, "change": c.change} for c in compared.criteria]

    def get_areas(self, compared) -> list[dict]:
        return [{"area": a.area, "before": a.before, "after": a.after, "change": a.change} for a in compared.areas]

    def get_addressed(self, compared) -> list[int]:
        return [r.pk for r in compared.addressed]

    def get_carried_over(self, compared) -> list[dict]:
        return [{"id": r.pk, "carried_over_from": r.carried_over_from_id} for r in compared.carried_over]

    def get_dropped(self, compared) -> list[int]:
        return [r.pk for r in compared.dropped]


class CycleComparison(ReviewScoped, generics.GenericAPIView):
    """A follow-up review beside the cycle it follows: ratings then and now, and what became of the previous
    recommendations. 404 for a review that follows none."""

    serializer_class = ComparisonSerializer

    def get(self, request, review_pk):
        compared = comparison(self.review)
        if compared is None:
            raise Http404
        return Response(ComparisonSerializer(compared).data)
