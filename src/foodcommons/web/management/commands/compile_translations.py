from django.core.management.base import BaseCommand

from foodcommons.web.messages import compile_messages


class Command(BaseCommand):
    help = "Compile the FR/NL/EN translations into the catalogs the pages read (`setup` does it too)."

    def handle(self, *args, **options):
        self.stdout.write(f"Compiled {compile_messages()} catalogs.")
