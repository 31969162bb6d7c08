from django.core.management.base import BaseCommand

from foodcommons.platform.setup import prepare_instance


class Command(BaseCommand):
    help = "Create or migrate the database and load territories, taxonomy and (when empty) the demo data."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Do not load the demo places")

    def handle(self, *args, no_demo=False, **options):
        prepare_instance(demo=not no_demo, log=self.stdout.write)
