from django.core.management.base import BaseCommand, CommandError

from foodcommons.opendata.mirror import MirrorError, run_mirror


class Command(BaseCommand):
    help = "Copy another foodcommons instance (its dump, then its change feed) and keep the copy current. Resumes where it stopped."

    def add_arguments(self, parser):
        parser.add_argument("url", help="Base URL of the origin instance, e.g. https://wallonia.example.org")
        parser.add_argument("--follow", action="store_true", help="Keep polling the change feed instead of stopping when current")
        parser.add_argument("--page-size", type=int, default=500, help="Changes asked per request (1 to 1000)")
        parser.add_argument("--pause", type=float, default=0.0, help="Seconds to wait between pages, to spare the origin")
        parser.add_argument("--allow-private", action="store_true", default=None,
                            help="Allow an origin on a loopback or private address (refused by default, like every outbound request)")

    def handle(self, *args, url, follow, page_size, pause, allow_private, **options):
        if not url.startswith(("http://", "https://")):
            raise CommandError("the origin must be an http:// or https:// URL")
        if not 1 <= page_size <= 1000:
            raise CommandError("--page-size must be from 1 to 1000")
        try:
            run_mirror(url=url, page_size=page_size, follow=follow, pause=pause, log=self.stdout.write, allow_private=allow_private)
        except MirrorError as error:
            raise CommandError(str(error)) from error
