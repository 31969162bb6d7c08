from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "foodcommons.core"
    label = "core"
