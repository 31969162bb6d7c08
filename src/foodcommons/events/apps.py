from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "foodcommons.events"
    label = "events"
    verbose_name = "Events"
