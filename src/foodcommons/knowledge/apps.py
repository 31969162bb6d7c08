from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "foodcommons.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge commons"
