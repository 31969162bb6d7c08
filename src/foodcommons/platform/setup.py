"""Bringing an instance to a working state: schema, territories, taxonomy, demo data."""

from django.conf import settings
from django.core.management import call_command

from foodcommons.places.models import Place
from foodcommons.taxonomy.services import seed_taxonomy
from foodcommons.territories.models import Territory
from foodcommons.territories.services import load_territories


def prepare_instance(*, demo: bool, log=print) -> None:
    """Migrate the database and load what an empty instance needs; never touch existing places."""
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    if not Territory.objects.exists():
        log(f"Loaded {load_territories()} Belgian territories.")
    log(f"Taxonomy: {seed_taxonomy()} categories.")
    if demo and not Place.objects.exists():
        from foodcommons.demo.loader import load_demo

        log(f"Loaded {load_demo()} demo places.")
    from foodcommons.places.public_json import refresh_public_json, stale_place_ids

    if encoded := refresh_public_json(stale_place_ids()):
        log(f"Encoded {encoded} places for the API.")
    from foodcommons.web.setup import prepare_web

    prepare_web(log=log)
