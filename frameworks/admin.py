from django.contrib import admin

from frameworks.models import (
    AssessmentFramework,
    Criterion,
    InternationalReference,
    MemberState,
    NationalInstrument,
    SupportArea,
    ThematicArea,
)


@admin.register(MemberState)
class MemberStateAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "name_fr", "name_es", "region", "is_fictional")
    list_filter = ("region", "is_fictional")
    search_fields = ("code", "code3", "name_en", "name_fr", "name_es")


class CatalogueEntryAdmin(admin.ModelAdmin):
    list_display = ("code", "order", "name_en", "name_fr", "name_es")
    search_fields = ("code", "name_en", "name_fr", "name_es")


admin.site.register(SupportArea, CatalogueEntryAdmin)
admin.site.register(ThematicArea, CatalogueEntryAdmin)


@admin.register(InternationalReference)
class InternationalReferenceAdmin(CatalogueEntryAdmin):
    list_display = ("code", "kind", "name_en")
    list_filter = ("kind",)


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ("code", "support_area", "thematic_area", "title_en")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(AssessmentFramework)
class AssessmentFrameworkAdmin(admin.ModelAdmin):
    # A loaded library version is a record reviews rely on: it changes only by loading a new version.
    list_display = ("code", "version", "name_en", "loaded_at")
    readonly_fields = ("code", "version", "content_hash", "loaded_at")
    inlines = [CriterionInline]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ("code", "framework", "support_area", "thematic_area", "title_en")
    list_filter = ("framework", "support_area", "thematic_area")
    search_fields = ("code", "title_en", "title_fr", "title_es")
    filter_horizontal = ("references",)


@admin.register(NationalInstrument)
class NationalInstrumentAdmin(admin.ModelAdmin):
    list_display = ("title", "member_state", "instrument_type", "support_area", "status", "date")
    list_filter = ("instrument_type", "status", "support_area", "member_state")
    search_fields = ("title", "reference")
    autocomplete_fields = ("member_state",)
