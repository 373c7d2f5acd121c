from django.contrib import admin

from consultation.models import Comment, DraftVersion, Invitation, StateValidation
from reviews.admin import NoDelete, ReadOnlyAdmin


@admin.register(DraftVersion)
class DraftVersionAdmin(NoDelete, admin.ModelAdmin):
    # A published draft is immutable: the admin shows it and never edits it.
    list_display = ("review", "number", "published_by", "published_at", "approved_by")
    readonly_fields = [f.name for f in DraftVersion._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(NoDelete, admin.ModelAdmin):
    list_display = ("__str__", "draft", "target_type", "target_key", "status", "author", "created_at")
    list_filter = ("status", "target_type", "is_outdated")
    raw_id_fields = ("draft", "parent")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("email", "review", "invited_by", "created_at", "expires_at", "accepted_at")
    exclude = ("token_hash",)


@admin.register(StateValidation)
class StateValidationAdmin(ReadOnlyAdmin):
    list_display = ("review", "draft", "validated_by_name", "validated_on", "recorded_by")
