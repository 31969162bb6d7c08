from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "foodcommons.places"
    label = "places"
    verbose_name = "Places"

    def ready(self):
        from foodcommons.places.filters import register_place_filters

        register_place_filters()
