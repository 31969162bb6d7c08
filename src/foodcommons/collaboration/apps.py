from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "foodcommons.collaboration"
    label = "collaboration"
    verbose_name = "Collaboration"

    def ready(self):
        from foodcommons.collaboration.selectors import register_place_filters

        register_place_filters()
