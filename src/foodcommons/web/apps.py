from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "foodcommons.web"
    label = "web"
    verbose_name = "Web pages"
