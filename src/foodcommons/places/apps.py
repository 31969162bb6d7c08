from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "foodcommons.places"
    label = "places"
    verbose_name = "Places"
