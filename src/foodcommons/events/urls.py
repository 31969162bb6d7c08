"""Pages and calendar feeds of events (included at the site root)."""

from django.urls import path

from foodcommons.events import views

app_name = "events"
urlpatterns = [
    path("events/", views.event_list, name="list"),
    path("events/new", views.new_event, name="new"),
    path("events/calendar.ics", views.site_ics, name="site-ics"),
    path("events/organisations/<slug:slug>.ics", views.organisation_ics, name="organisation-ics"),
    path("events/territories/<str:code>.ics", views.territory_ics, name="territory-ics"),
    path("events/work-streams/<slug:slug>.ics", views.work_stream_ics, name="work-stream-ics"),
    path("events/confirm/<str:token>", views.confirm, name="confirm"),
    path("events/cancel/<str:token>", views.cancel, name="cancel"),
    path("events/<str:public_id>.ics", views.event_ics, name="event-ics"),
    path("events/<str:public_id>", views.event_page, name="event"),
    path("events/<str:public_id>/register", views.register, name="register"),
    path("events/<str:public_id>/edit", views.edit_event, name="edit"),
    path("events/<str:public_id>/participants", views.participants, name="participants"),
    path("events/<str:public_id>/participants.csv", views.participants_csv, name="participants-csv"),
]
