"""Pages and non-API endpoints of this area (included at the site root)."""

from django.urls import include, path

from foodcommons.collaboration import views

app_name = "collaboration"
urlpatterns = [
    path("accounts/", include("foodcommons.accounts.urls")),
    path("places/new", views.new_place, name="new-place"),
    path("places/<str:place_id>/edit", views.edit_place, name="edit-place"),
    path("places/<str:place_id>/report", views.report_place, name="report-place"),
    path("places/<str:place_id>/history", views.history, name="history"),
    path("places/<str:place_id>/revert", views.revert_place, name="revert-place"),
    path("places/<str:place_id>/confirm", views.confirm_place, name="confirm-place"),
    path("confirm/<str:token>", views.confirm_link, name="confirm-link"),
    path("contributions/confirm/<str:token>", views.confirm_suggestion, name="confirm-suggestion"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("moderation/suggestions/<str:suggestion_id>", views.moderate_suggestion, name="moderate-suggestion"),
    path("moderation/reports/<str:report_id>/resolve", views.resolve_report, name="resolve-report"),
    path("moderation/reports/<str:report_id>/close-place", views.close_reported_place, name="close-reported-place"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<slug:slug>", views.organisation, name="organisation"),
]
