from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "foodcommons.places"
    label = "places"
    verbose_name = "Places"

    def ready(self):
        from datetime import timedelta

        from foodcommons.core.schedule import register_periodic_job
        from foodcommons.places.filters import register_place_filters
        from foodcommons.places.public_json import on_places_changed
        from foodcommons.places.signals import places_changed

        register_place_filters()
        places_changed.connect(on_places_changed, dispatch_uid="places-public-json")
        # Changes of places encode them at once; this catches up after a change of categories or territories.
        register_periodic_job("foodcommons.places.tasks.encode_stale_places", every=timedelta(days=1))
