from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "foodcommons.collaboration"
    label = "collaboration"
    verbose_name = "Collaboration"
