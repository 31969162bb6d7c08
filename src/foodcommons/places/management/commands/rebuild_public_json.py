from django.core.management.base import BaseCommand
from tqdm import tqdm

from foodcommons.places.public_json import refresh_public_json, stale_place_ids


class Command(BaseCommand):
    help = (
        "Encode the published representation of every place that has no current one "
        "(after loaddata or a write that bypassed the services, or a change of categories or territories)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="rebuild every place, current or not")

    def handle(self, *args, all=False, **options):
        from foodcommons.places.models import Place

        ids = list(Place.objects.filter(deleted_at__isnull=True).values_list("pk", flat=True)) if all else stale_place_ids()
        with tqdm(total=len(ids), unit="place", disable=None) as bar:
            written = refresh_public_json(ids, progress=bar.update)
        self.stdout.write(f"Encoded {written} places.")
