"""Pages of sources and imports (included at the site root)."""

from django.urls import path

from foodcommons.imports import outbox_views, views

app_name = "imports"
urlpatterns = [
    path("imports/", views.index, name="index"),
    path("imports/jobs/<str:job_id>.json", views.job_status, name="job-status"),
    path("imports/jobs/<str:job_id>", views.job, name="job"),
    path("imports/runs/<int:run_id>", views.run, name="run"),
    path("imports/runs/<int:run_id>/apply", views.apply_run, name="apply"),
    path("imports/runs/<int:run_id>/revert", views.revert_run, name="revert"),
    path("imports/runs/<int:run_id>/review", views.review, name="review"),
    path("imports/runs/<int:run_id>/problems.csv", views.problems, name="problems"),
    path("imports/sources/<slug:slug>/outbox", outbox_views.outbox, name="outbox"),
]
