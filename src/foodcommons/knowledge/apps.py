from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "foodcommons.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge commons"

    def ready(self) -> None:
        from foodcommons.knowledge import followed

        followed.register()
