from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "foodcommons.taxonomy"
    label = "taxonomy"
    verbose_name = "Taxonomy"
