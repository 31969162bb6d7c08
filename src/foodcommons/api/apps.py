from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "foodcommons.api"
    label = "api"
    verbose_name = "API"
