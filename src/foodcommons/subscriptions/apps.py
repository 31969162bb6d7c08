from datetime import timedelta

from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "foodcommons.subscriptions"
    label = "subscriptions"
    verbose_name = "Subscriptions"

    def ready(self) -> None:
        from foodcommons.accounts.signals import account_deleting, personal_data_requested
        from foodcommons.core.schedule import register_periodic_job
        from foodcommons.subscriptions import personal_data, sources

        sources.register_place_changes()
        personal_data_requested.connect(personal_data.export_sections, dispatch_uid="subscriptions-personal-data")
        account_deleting.connect(personal_data.forget_subscriber, dispatch_uid="subscriptions-forget")
        register_periodic_job("foodcommons.subscriptions.tasks.send_digests", every=timedelta(days=1))
