from django.apps import AppConfig
from django.core import checks


class WebConfig(AppConfig):
    name = "foodcommons.web"
    label = "web"
    verbose_name = "Web pages"

    def ready(self):
        # The catalogs are compiled by `foodcommons setup` (and `serve`, which runs it), never at import: a process
        # start writes nothing. `check --deploy` says so when they are missing.
        from foodcommons.places.signals import places_changed
        from foodcommons.web.aggregates import on_places_changed
        from foodcommons.web.messages import missing_catalogs_check

        places_changed.connect(on_places_changed, dispatch_uid="web-map-aggregates")
        checks.register(missing_catalogs_check, checks.Tags.translation, deploy=True)
