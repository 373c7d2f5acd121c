from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from reviews.models import Assessment, EditRecord, Recommendation, ReviewCycle, ReviewTransition


class NoDelete:
    """The record of a review is kept: no delete in the admin (reviews, drafts, validations, history)."""

    def has_delete_permission(self, request, obj=None):
        return False


class TransitionInline(admin.TabularInline):
    model = ReviewTransition
    fields = ("from_state", "to_state", "by", "at", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ReviewCycle)
class ReviewCycleAdmin(NoDelete, GuardedModelAdmin):
    # Object permissions (who is on the team, which counterparts are invited) are edited on the
    # "Object permissions" page that GuardedModelAdmin adds.
    list_display = ("title", "member_state", "state", "report_language", "due_date")
    list_filter = ("state", "report_language", "member_state")
    search_fields = ("title",)
    autocomplete_fields = ("member_state",)
    readonly_fields = ("state",)
    filter_horizontal = ("thematic_areas",)
    inlines = [TransitionInline]


@admin.register(Assessment)
class AssessmentAdmin(NoDelete, admin.ModelAdmin):
    list_display = ("review", "criterion", "rating", "not_applicable", "is_restricted", "updated_at")
    list_filter = ("rating", "not_applicable", "is_restricted")
    raw_id_fields = ("review", "criterion")
    filter_horizontal = ("evidence",)


@admin.register(Recommendation)
class RecommendationAdmin(NoDelete, admin.ModelAdmin):
    list_display = ("__str__", "review", "support_area", "priority", "time_frame", "implementation_status")
    list_filter = ("support_area", "priority", "time_frame", "implementation_status", "is_restricted")
    raw_id_fields = ("review", "carried_over_from")
    filter_horizontal = ("criteria", "references")


class ReadOnlyAdmin(NoDelete, admin.ModelAdmin):
    """Records of what people did: shown in the admin site, never edited there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EditRecord)
class EditRecordAdmin(ReadOnlyAdmin):
    list_display = ("at", "by", "review", "item_label", "field")
    list_filter = ("field",)
    search_fields = ("item_label", "before", "after")
