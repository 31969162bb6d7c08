from django.apps import AppConfig


class RelationsConfig(AppConfig):
    name = "foodcommons.relations"
    label = "relations"
    verbose_name = "Relations"

    def ready(self):
        from foodcommons.relations.facts import register_closures_type, register_fact_type, register_land_types
        from foodcommons.relations.filters import register_relation_filter

        register_fact_type()
        register_closures_type()
        register_land_types()
        register_relation_filter()
