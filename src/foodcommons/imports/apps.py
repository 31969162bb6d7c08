from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "foodcommons.imports"
    label = "imports"
    verbose_name = "Sources and imports"

    def ready(self):
        from foodcommons.imports import place_hooks

        place_hooks.register()
