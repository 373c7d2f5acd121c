from django.contrib import admin

from followup.models import Position
from reviews.admin import ReadOnlyAdmin


@admin.register(Position)
class PositionAdmin(ReadOnlyAdmin):
    # Recorded through the workshop (followup.services), which logs each change: the admin only shows them.
    list_display = ("recommendation", "stance", "draft", "recorded_by", "recorded_at")
    list_filter = ("stance",)
