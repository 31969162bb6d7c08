from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from foodcommons.places import search_index
from foodcommons.places.models import Place

BATCH = 5000


class Command(BaseCommand):
    help = "Rebuild the spatial and full-text indexes of places (after a loaddata or a restore that skipped them)."

    def handle(self, *args, **options):
        index = search_index.dialect()
        rows = Place.objects.filter(deleted_at__isnull=True).order_by("pk").values_list(
            "pk", "min_lon", "min_lat", "max_lon", "max_lat", "search_text"
        )
        total = rows.count()
        with transaction.atomic(), tqdm(total=total, unit="place", disable=None) as bar:
            deleted = list(Place.objects.filter(deleted_at__isnull=False).values_list("pk", flat=True))
            index.remove(deleted)
            batch = []
            for row in rows.iterator(chunk_size=BATCH):
                batch.append(row)
                if len(batch) == BATCH:
                    index.sync(batch)
                    bar.update(len(batch))
                    batch = []
            index.sync(batch)
            bar.update(len(batch))
        self.stdout.write(f"Reindexed {total} places.")
