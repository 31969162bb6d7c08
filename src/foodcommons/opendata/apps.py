from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "foodcommons.opendata"
    label = "opendata"
    verbose_name = "Opendata"
