from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "foodcommons.web"
    label = "web"
    verbose_name = "Web pages"

    def ready(self):
        from foodcommons.web.messages import compile_messages

        try:
            compile_messages()
        except OSError:
            pass  # A read-only data directory: `foodcommons setup` compiles them where it can write.
        from foodcommons.places.signals import places_changed
        from foodcommons.web.aggregates import on_places_changed

        places_changed.connect(on_places_changed, dispatch_uid="web-map-aggregates")
