"""The REST API of the consultation: published drafts and comment threads, under the review's permissions."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from consultation import services as consultation
from consultation.models import Comment, DraftVersion
from reviews.api import ReviewScoped
from reviews.permissions import Perm


class DraftSerializer(serializers.ModelSerializer):
    published_by = serializers.StringRelatedField()

    class Meta:
        model = DraftVersion
        fields = [
            "number",
            "published_by",
            "published_at",
            "comments_due",
            "approved_at",
            "content_hash",
            "snapshot",
        ]
        read_only_fields = fields


class PublishSerializer(serializers.Serializer):
    comments_due = serializers.DateField(
        required=False, help_text="The last day for the government's comments (default: in 14 days)."
    )


class DraftList(ReviewScoped, generics.ListCreateAPIView):
    """The published drafts of the review; POST publishes the current text as the next draft."""

    serializer_class = DraftSerializer
    read_perm = Perm.VIEW_DRAFTS

    def get_queryset(self):
        return self.review.drafts.select_related("published_by").order_by("number")

    @extend_schema(request=PublishSerializer, responses={201: DraftSerializer})
    def post(self, request, review_pk):
        given = PublishSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            draft = consultation.draft_publish(review=self.review, by=request.user, **given.validated_data)
        except DjangoPermissionDenied:
            raise Http404 from None
        return Response(DraftSerializer(draft).data, status=status.HTTP_201_CREATED)


class DraftDetail(ReviewScoped, generics.RetrieveAPIView):
    serializer_class = DraftSerializer
    read_perm = Perm.VIEW_DRAFTS

    def get_object(self):
        return get_object_or_404(self.review.drafts, number=self.kwargs["number"])


class CommentSerializer(serializers.ModelSerializer):
    draft = serializers.IntegerField(source="draft.number", help_text="The number of the draft commented on.")
    author = serializers.StringRelatedField()
    answered_by = serializers.StringRelatedField()
    quote = serializers.CharField(source="quote_exact", required=False, allow_blank=True)
    parent = serializers.PrimaryKeyRelatedField(queryset=Comment.objects.all(), required=False, allow_null=True)
    body_html = serializers.SerializerMethodField(help_text="The comment as sanitised HTML.")

    class Meta:
        model = Comment
        fields = [
            "id",
            "draft",
            "parent",
            "target_type",
            "target_key",
            "quote",
            "quote_prefix",
            "quote_suffix",
            "body",
            "body_html",
            "author",
            "created_at",
            "status",
            "answer",
            "answered_by",
            "answered_at",
            "is_outdated",
        ]
        read_only_fields = [
            "quote_prefix",
            "quote_suffix",
            "author",
            "created_at",
            "status",
            "answer",
            "answered_by",
            "answered_at",
            "is_outdated",
        ]

    def get_body_html(self, comment) -> str:
        return str(comment.rendered())


class CommentAnswerSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Comment.Status.choices)
    answer = serializers.CharField(allow_blank=True, required=False, default="")


class CommentQuerySerializer(serializers.Serializer):
    draft = serializers.IntegerField(min_value=1, required=False, help_text="Only the comments on this draft.")


class CommentList(ReviewScoped, generics.ListCreateAPIView):
    """Every comment of the review's drafts (?draft=N for one draft); POST comments or replies (parent)."""

    serializer_class = CommentSerializer
    read_perm, write_perm = Perm.VIEW_DRAFTS, Perm.COMMENT

    @extend_schema(parameters=[CommentQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        comments = (
            Comment.objects.filter(draft__review=self.review)
            .select_related("draft", "author", "answered_by")
            .defer("draft__snapshot")
            .order_by("created_at", "pk")
        )
        query = CommentQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        if query.validated_data.get("draft"):
            comments = comments.filter(draft__number=query.validated_data["draft"])
        return comments

    def perform_create(self, serializer):
        review = self.review
        data = serializer.validated_data
        draft = get_object_or_404(review.drafts, number=data["draft"]["number"])
        parent = data.get("parent")
        if parent is not None and parent.draft.review_id != review.pk:
            raise Http404
        try:
            serializer.instance = consultation.comment_create(
                draft=draft,
                by=self.request.user,
                body=data["body"],
                target_type=data.get("target_type", "draft"),
                target_key=data.get("target_key", ""),
                quote=data.get("quote_exact", ""),
                parent=parent,
            )
        except DjangoPermissionDenied:
            raise Http404 from None


class CommentDetail(ReviewScoped, generics.RetrieveAPIView):
    """A comment; PATCH a thread's status and answer (the IOM team)."""

    serializer_class = CommentSerializer

    read_perm = Perm.VIEW_DRAFTS

    def get_object(self):
        return get_object_or_404(
            Comment.objects.filter(draft__review=self.review)
            .select_related("draft", "author")
            .defer("draft__snapshot"),
            pk=self.kwargs["pk"],
        )

    @extend_schema(request=CommentAnswerSerializer, responses={200: CommentSerializer})
    def patch(self, request, review_pk, pk):
        comment = self.get_object()
        answer = CommentAnswerSerializer(data=request.data)
        answer.is_valid(raise_exception=True)
        updated = consultation.thread_answer(thread=comment, by=request.user, **answer.validated_data)
        return Response(CommentSerializer(updated).data)
