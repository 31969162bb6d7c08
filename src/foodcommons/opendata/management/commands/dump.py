from django.conf import settings
from django.core.management.base import BaseCommand

from foodcommons.opendata.dumps import build_dump


class Command(BaseCommand):
    help = "Build the full open-data dump (a zipped Frictionless Data Package) served at /api/dumps/latest."

    def add_arguments(self, parser):
        default = getattr(settings, "FOODCOMMONS_BASE_URL", "http://127.0.0.1:8000")
        parser.add_argument("--base-url", default=default, help=f"Public address of the site, for the links in the dump (default {default})")

    def handle(self, *args, base_url, **options):
        dump = build_dump(base_url=base_url.rstrip("/"))
        self.stdout.write(f"{dump.path} ({dump.size} bytes, ETag {dump.etag}, changes cursor {dump.cursor})")
