from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from foodcommons.core.setup import prepare_instance


class Command(BaseCommand):
    help = "Prepare the instance (see `setup`) and serve it with waitress."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-demo", action="store_true", help="Do not load the demo places")

    def handle(self, *args, host, port, threads, no_demo=False, **options):
        import waitress

        prepare_instance(demo=not no_demo, log=self.stdout.write)
        call_command("collectstatic", interactive=False, verbosity=0)
        from foodcommons.wsgi import application

        database = settings.DATABASES["default"]
        self.stdout.write(f"Database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
        self.stdout.write(f"foodcommons is ready on http://{host}:{port}/  (API: http://{host}:{port}/api/docs)")
        waitress.serve(application, host=host, port=port, threads=threads, ident="foodcommons")
