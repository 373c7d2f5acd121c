"""The REST API of the follow-up: the government's positions, under the review's permissions."""

from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from followup import services
from followup.models import Position
from followup.selectors import put_to_government, validated_draft
from reviews.api import ReviewScoped
from reviews.models import MAX_NOTE, MAX_RECOMMENDATION
from reviews.permissions import Perm


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
