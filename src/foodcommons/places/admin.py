"""Admin of places for operators: read everything, change only through the services."""

from django.contrib import admin, messages

from foodcommons.core.problems import Problem
from foodcommons.places import services
from foodcommons.places.models import Place, PlaceRevision


class RevisionInline(admin.TabularInline):
    model = PlaceRevision
    fields = ("version", "action", "author", "created_at", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-version",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    """Places are edited through the API and forms so that every change is a revision; here they are read."""

    list_display = ("public_id", "name_fr", "name_nl", "commune", "status", "version", "updated_at", "deleted_at")
    list_filter = ("status", ("deleted_at", admin.EmptyFieldListFilter), "categories")
    search_fields = ("public_id", "name_fr", "name_nl", "name_en", "locality")
    list_select_related = ("commune",)
    inlines = [RevisionInline]
    actions = ["soft_delete", "restore"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Place._meta.get_fields() if f.concrete and not f.many_to_many]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("commune__geometry")

    @admin.action(description="Delete the selected places (soft, revertible)")
    def soft_delete(self, request, queryset):
        self._each(request, queryset.filter(deleted_at__isnull=True), services.delete_place, "deleted")

    @admin.action(description="Restore the selected deleted places")
    def restore(self, request, queryset):
        self._each(request, queryset.filter(deleted_at__isnull=False), services.restore_place, "restored")

    def _each(self, request, queryset, service, verb: str) -> None:
        done = 0
        for place in queryset:
            try:
                service(public_id=place.public_id, author=request.user, comment=f"{verb} in the admin")
                done += 1
            except Problem as problem:
                self.message_user(request, f"{place.public_id}: {problem.detail}", messages.ERROR)
        self.message_user(request, f"{done} place(s) {verb}.")
