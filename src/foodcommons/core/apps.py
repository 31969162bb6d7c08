from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(using: str = "default", **kwargs) -> None:
    """Create the table of the shared cache with the schema, so that no deployment step can forget it."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "foodcommons.core"
    label = "core"

    def ready(self) -> None:
        # Without a sender: Django sends post_migrate per app with models, and core has none. It is idempotent.
        post_migrate.connect(create_cache_table, dispatch_uid="foodcommons-cache-table")
