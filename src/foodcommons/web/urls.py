from django.urls import path

from foodcommons.web import views

app_name = "web"
urlpatterns = [
    path("", views.map_page, name="home"),
    path("map", views.map_page, name="map"),
    path("map/clusters", views.clusters, name="clusters"),
    path("map/locate", views.locate, name="locate"),
    path("geocode", views.geocode, name="geocode"),
    path("map/boundaries.geojson", views.boundaries, name="boundaries"),
    path("embed", views.embed, name="embed"),
    path("widget", views.widget, name="widget"),
    path("places/<str:public_id>", views.place, name="place"),
    path("open-data", views.open_data, name="open-data"),
    path("open-data/places.geojson", views.all_places_geojson, name="all-places-geojson"),
    path("open-data/places.csv", views.all_places_csv, name="all-places-csv"),
    path("directory", views.directory, name="directory"),
    path("directory/<str:code>", views.directory, name="directory-territory"),
]
