from django.apps import AppConfig


class SupplyConfig(AppConfig):
    name = "foodcommons.supply"
    label = "supply"
    verbose_name = "Local supply"
