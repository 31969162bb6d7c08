"""Pages and non-API endpoints of this area (included at the site root): the OGC API under /ogc/."""

from django.urls import path

from foodcommons.opendata import views

urlpatterns: list = [
    path("ogc", views.landing),
    path("ogc/", views.landing, name="ogc-landing"),
    path("ogc/api", views.api_definition),
    path("ogc/conformance", views.conformance),
    path("ogc/collections", views.collections),
    path("ogc/collections/<str:collection_id>", views.collection),
    path("ogc/collections/<str:collection_id>/queryables", views.collection_queryables),
    path("ogc/collections/<str:collection_id>/items", views.items),
    path("ogc/collections/<str:collection_id>/items/<str:feature_id>", views.item),
]
