from django.contrib import admin

from foodcommons.events.models import Event, Registration, Session


class SessionInline(admin.TabularInline):
    model = Session
    extra = 1


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("public_id", "title_fr", "starts_at", "organisation", "territory", "capacity", "status")
    search_fields = ("public_id", "title_fr", "title_nl", "title_en")
    raw_id_fields = ("place", "documents")
    filter_horizontal = ("work_streams",)
    list_filter = ("status", "requires_approval", "work_streams")
    inlines = [SessionInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("public_id", "event", "email", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("email", "name", "public_id")
    raw_id_fields = ("event", "user")
