import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from foodcommons.core.setup import prepare_instance


class Command(BaseCommand):
    help = "Prepare the instance (see `setup`) and serve it with waitress."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=default_threads(), help="Worker threads (default: 4 per CPU, 8 to 32)")
        parser.add_argument("--connection-limit", type=int, default=int(os.environ.get("FOODCOMMONS_SERVE_CONNECTIONS", "1000")),
                            help="Open connections accepted at once; more wait in the backlog (default 1000)")
        parser.add_argument("--no-demo", action="store_true", help="Do not load the demo places")

    def handle(self, *args, host, port, threads, connection_limit, no_demo=False, **options):
        import waitress

        prepare_instance(demo=not no_demo, log=self.stdout.write)
        call_command("collectstatic", interactive=False, verbosity=0)
        from foodcommons.wsgi import application

        database = settings.DATABASES["default"]
        self.stdout.write(f"Database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
        self.stdout.write(f"foodcommons is ready on http://{host}:{port}/  (API: http://{host}:{port}/api/docs)")
        self.stdout.write(f"Serving with {threads} threads, up to {connection_limit} connections at once.")
        # Every connection is accepted up to the limit and waits its turn for a thread in arrival order, so that many
        # readers at once are served fairly instead of some starving in the listen backlog; poll() has no 1024-socket cap.
        waitress.serve(application, host=host, port=port, threads=threads, connection_limit=connection_limit, backlog=2048,
                       channel_timeout=120, asyncore_use_poll=True, ident="foodcommons")


def default_threads() -> int:
    """Return the worker threads for this machine: FOODCOMMONS_SERVE_THREADS, else 4 per CPU within 8 to 32."""
    if os.environ.get("FOODCOMMONS_SERVE_THREADS"):
        return int(os.environ["FOODCOMMONS_SERVE_THREADS"])
    return max(8, min(32, 4 * (os.cpu_count() or 2)))
