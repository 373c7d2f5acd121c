from django.shortcuts import get_object_or_404
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS

from frameworks.models import NationalInstrument, SupportArea
from frameworks.selectors import instruments_of
from frameworks.services import validate_instrument_file
from reviews.instruments import instrument_create, instrument_update
from reviews.permissions import Perm, get_state_for, has_state_perm


class InstrumentSerializer(serializers.ModelSerializer):
    member_state = serializers.CharField(source="member_state.code", read_only=True)
    support_area = serializers.SlugRelatedField(slug_field="code", queryset=SupportArea.objects.all())
    url = serializers.URLField(required=False, allow_blank=True)

    class Meta:
        model = NationalInstrument
        fields = [
            "id",
            "member_state",
            "title",
            "instrument_type",
            "support_area",
            "date",
            "status",
            "reference",
            "url",
            "language",
            "file",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate_file(self, upload):
        if upload:
            validate_instrument_file(upload)
        return upload


class StateScoped:
    """An endpoint under /states/{code}/: before anything is read or validated, another state's code answers
    404, and a write by someone who may not change the state's instruments 403."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.state = get_state_for(request.user, self.kwargs["code"], Perm.VIEW)
        if request.method not in SAFE_METHODS and not has_state_perm(request.user, self.state, Perm.CHANGE):
            raise PermissionDenied


class InstrumentList(StateScoped, generics.ListCreateAPIView):
    """The national instruments of a member state, for the advisers on its reviews."""

    serializer_class = InstrumentSerializer

    def get_queryset(self):
        return instruments_of(self.state)

    def perform_create(self, serializer):
        serializer.instance = instrument_create(
            member_state=self.state, by=self.request.user, **serializer.validated_data
        )


class InstrumentDetail(StateScoped, generics.RetrieveUpdateAPIView):
    serializer_class = InstrumentSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return get_object_or_404(
            self.state.instruments.select_related("support_area", "member_state"), pk=self.kwargs["pk"]
        )

    def perform_update(self, serializer):
        serializer.instance = instrument_update(
            instrument=serializer.instance, by=self.request.user, **serializer.validated_data
        )
