from django.apps import AppConfig


class PlatformConfig(AppConfig):
    name = "foodcommons.platform"
    label = "platform"
    verbose_name = "Platform"
