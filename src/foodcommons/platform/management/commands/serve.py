import os
import signal
import sys
from dataclasses import asdict, replace

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from foodcommons.platform.process import allow_open_files, server_size
from foodcommons.platform.setup import prepare_instance
from foodcommons.platform.worker import SupervisedWorker, jobs_need_a_worker


def served_base_url(host: str, port: int) -> str:
    """Return the address that reaches a server listening on host:port (a wildcard host is reached on loopback)."""
    host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


# The worker runs in a session of its own, so the server passes these on by stopping it (`nohup` keeps SIGHUP ignored).
STOP_SIGNALS = [signal.SIGTERM, *filter(None, [getattr(signal, "SIGHUP", None)])]


def _exit(*_) -> None:
    sys.exit(0)


class Command(BaseCommand):
    help = "Prepare the instance (see `setup`) and serve it with waitress, sized for this machine, with the job worker beside it."

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
        parser.add_argument("--no-worker", action="store_true", help="Do not run the job worker (e-mails, imports): `db_worker` runs apart")

    def handle(self, *args, host, port, no_demo=False, no_worker=False, **options):
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
        base_url = self.use_base_url(served_base_url(host, port))
        worker = None if no_worker else self.start_worker(base_url)
        self.stdout.write(f"foodcommons is ready on http://{host}:{port}/  (API: http://{host}:{port}/api/docs)")
        # Stopped by SIGTERM or SIGHUP as by Ctrl+C: waitress returns, and the worker is stopped with it.
        previous = {number: signal.signal(number, _exit) for number in STOP_SIGNALS if signal.getsignal(number) is not signal.SIG_IGN}
        try:
            waitress.serve(application, host=host, port=port, ident="foodcommons", **size.waitress_options())
        finally:
            if worker:
                worker.stop()
            for number, handler in previous.items():
                signal.signal(number, handler)

    def use_base_url(self, served: str) -> str:
        """Return the address links in e-mails start with: FOODCOMMONS_BASE_URL when set, else the one served."""
        if not os.environ.get("FOODCOMMONS_BASE_URL"):
            settings.FOODCOMMONS_BASE_URL = served
        self.stdout.write(f"Links in e-mails start with {settings.FOODCOMMONS_BASE_URL}")
        if settings.EMAIL_BACKEND == "foodcommons.core.mail.FilesAndConsoleBackend":
            self.stdout.write(f"E-mails are written to {settings.EMAIL_FILE_PATH} and announced here with their links")
        return settings.FOODCOMMONS_BASE_URL

    def start_worker(self, base_url: str) -> SupervisedWorker | None:
        """Start the job worker as a supervised child process, when jobs wait in the database queue."""
        if not jobs_need_a_worker():
            return None
        self.stdout.write("Job worker started (e-mails, imports, reminders); `--no-worker` when `db_worker` runs apart")
        return SupervisedWorker(env={**os.environ, "FOODCOMMONS_BASE_URL": base_url}, log=self.stdout.write).start()
