from datetime import timedelta

from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "foodcommons.collaboration"
    label = "collaboration"
    verbose_name = "Collaboration"

    def ready(self) -> None:
        from foodcommons.accounts.signals import account_deleting, personal_data_requested
        from foodcommons.collaboration import personal_data
        from foodcommons.collaboration.selectors import register_place_filters
        from foodcommons.core.schedule import register_periodic_job

        personal_data_requested.connect(personal_data.export_sections, dispatch_uid="collaboration-personal-data")
        account_deleting.connect(personal_data.forget_member, dispatch_uid="collaboration-forget-member")
        register_periodic_job("foodcommons.collaboration.tasks.send_upkeep_reminders", every=timedelta(days=7))
        register_place_filters()
