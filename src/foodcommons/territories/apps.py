from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "foodcommons.territories"
    label = "territories"
    verbose_name = "Territories"
