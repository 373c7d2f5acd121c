from django.contrib import admin

from core.models import ActionLog


@admin.register(ActionLog)
class ActionLogAdmin(admin.ModelAdmin):
    """Shown, searched and filtered; never added to, changed or deleted."""

    list_display = ("at", "by", "action", "object_repr", "review_id")
    list_filter = ("action",)
    search_fields = ("action", "object_repr")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
