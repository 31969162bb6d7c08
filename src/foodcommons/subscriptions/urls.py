"""Pages of subscriptions (included at the site root)."""

from django.urls import path

from foodcommons.subscriptions import views

app_name = "subscriptions"
urlpatterns = [
    path("follow/confirm/<str:token>", views.confirm, name="confirm"),
    path("follow/unsubscribe/<str:token>", views.unsubscribe, name="unsubscribe"),
    path("follow/<str:kind>/<str:key>/feed.atom", views.feed, name="feed"),
    path("follow/<str:kind>/feed.atom", views.feed, name="feed-all"),
    path("follow/<str:kind>/<str:key>", views.follow, name="follow"),
    path("follow/<str:kind>", views.follow, name="follow-all"),
]
