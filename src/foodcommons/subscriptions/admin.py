from django.contrib import admin

from foodcommons.subscriptions.models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("kind", "key", "email", "language", "confirmed_at", "notified_until")
    list_filter = ("kind", "language")
    search_fields = ("email", "key")
