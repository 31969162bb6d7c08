from django.contrib import admin

from foodcommons.territories.models import Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fr", "name_nl", "level", "parent", "population")
    list_filter = ("level",)
    search_fields = ("code", "name_fr", "name_nl")
    exclude = ("geometry",)
    readonly_fields = ("min_lon", "min_lat", "max_lon", "max_lat")
