from dataclasses import asdict, replace

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from foodcommons.platform.process import allow_open_files, server_size
from foodcommons.platform.setup import prepare_instance


class Command(BaseCommand):
    help = "Prepare the instance (see `setup`) and serve it with waitress, sized for this machine."

    def add_arguments(self, parser):
        default = server_size()
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, help=f"requests worked on at once (default here: {default.threads}; FOODCOMMONS_SERVE_THREADS)")
        parser.add_argument("--connection-limit", type=int,
                            help=f"open connections before new ones wait (default {default.connection_limit}; FOODCOMMONS_SERVE_CONNECTIONS)")
        parser.add_argument("--backlog", type=int, help=f"connections queued before accept (default {default.backlog}; FOODCOMMONS_SERVE_BACKLOG)")
        parser.add_argument("--channel-timeout", type=int,
                            help=f"seconds an idle connection stays open (default {default.channel_timeout}; FOODCOMMONS_SERVE_CHANNEL_TIMEOUT)")
        parser.add_argument("--no-demo", action="store_true", help="Do not load the demo places")

    def handle(self, *args, host, port, no_demo=False, **options):
        import waitress

        prepare_instance(demo=not no_demo, log=self.stdout.write)
        call_command("collectstatic", interactive=False, verbosity=0)
        from foodcommons.wsgi import application

        size = server_size()
        size = replace(size, **{k: options[k] for k in asdict(size) if options.get(k) is not None})
        size = replace(size, connection_limit=allow_open_files(size.connection_limit))
        database = settings.DATABASES["default"]
        self.stdout.write(f"Database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
        self.stdout.write(
            f"Serving with {size.threads} threads, up to {size.connection_limit} connections "
            f"(backlog {size.backlog}, idle ones closed after {size.channel_timeout} s)"
        )
        self.stdout.write(f"foodcommons is ready on http://{host}:{port}/  (API: http://{host}:{port}/api/docs)")
        waitress.serve(application, host=host, port=port, ident="foodcommons", **size.waitress_options())
