from django.contrib import admin

from foodcommons.taxonomy.models import AttributeDefinition, Category


class AttributeInline(admin.TabularInline):
    model = AttributeDefinition
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("slug", "label_fr", "label_nl", "label_en", "parent", "position")
    list_filter = ("parent",)
    search_fields = ("slug", "label_fr", "label_nl", "label_en")
    inlines = [AttributeInline]
