from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "foodcommons.imports"
    label = "imports"
    verbose_name = "Sources and imports"
