from django.core.management.base import BaseCommand

from foodcommons.web.aggregates import rebuild_all


class Command(BaseCommand):
    help = "Recount every published place into the map aggregates (clusters per zoom level)."

    def handle(self, *args, **options):
        count = rebuild_all()
        self.stdout.write(f"Map aggregates rebuilt from {count} places.")
