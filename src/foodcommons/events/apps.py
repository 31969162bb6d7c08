from datetime import timedelta

from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "foodcommons.events"
    label = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        from foodcommons.core.schedule import register_periodic_job
        from foodcommons.events import followed

        followed.register()
        register_periodic_job("foodcommons.events.periodic.send_event_reminders", every=timedelta(hours=1))
