from django.contrib import admin

from foodcommons.collaboration.models import CategoryOwner, Membership, Organisation, PlaceMaintainer, Report, Suggestion


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ("user",)
    extra = 0


class CategoryOwnerInline(admin.TabularInline):
    model = CategoryOwner
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "created_at")
    search_fields = ("name", "slug")
    inlines = [MembershipInline, CategoryOwnerInline]


@admin.register(PlaceMaintainer)
class PlaceMaintainerAdmin(admin.ModelAdmin):
    list_display = ("place", "organisation")
    raw_id_fields = ("place",)


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    """Read-only: suggestions are decided in the moderation queue, which writes revisions."""

    list_display = ("public_id", "kind", "place", "status", "created_at")
    list_filter = ("status", "kind")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("public_id", "place", "reason", "status", "created_at")
    list_filter = ("status", "reason")
    raw_id_fields = ("place", "duplicate_of", "author", "resolved_by")
