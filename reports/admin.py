from django.contrib import admin

from reports.models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ("review", "draft", "edition", "language", "state", "requested_by", "created_at")
    list_filter = ("state", "edition", "language")
    readonly_fields = ("content_hash", "error", "started_at", "finished_at")
