from django.core.management.base import BaseCommand

from foodcommons.territories.services import load_territories


class Command(BaseCommand):
    help = "Load the Belgian regions, provinces, arrondissements and communes (NIS codes, boundaries)."

    def handle(self, *args, **options):
        count = load_territories()
        self.stdout.write(f"{count} territories loaded.")
