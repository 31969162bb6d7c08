from django.contrib import admin

from foodcommons.imports.models import Source, SourceRecord


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "organisation", "licence", "priority")
    list_filter = ("organisation",)
    search_fields = ("slug", "name")
    readonly_fields = ("unmatched_organisation",)  # a slug that named no organisation when sources were linked: resolve it


@admin.register(SourceRecord)
class SourceRecordAdmin(admin.ModelAdmin):
    list_display = ("source", "external_id", "place", "fetched_at")
    list_filter = ("source",)
    search_fields = ("external_id",)
    raw_id_fields = ("place",)
