from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "foodcommons.events"
    label = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        from foodcommons.events import followed

        followed.register()
