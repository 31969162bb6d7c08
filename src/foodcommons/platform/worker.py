"""The job worker that `foodcommons serve` runs beside the web server: a `db_worker` child, started again if it dies.

The child also enqueues the periodic jobs when due (what `foodcommons schedule --loop` does), so that the upkeep
reminders go out with nothing else running.
"""

import os
import signal
import subprocess
import sys
import threading

# This module as a program (`run_as_child`), on the interpreter and path of this process.
WORKER_COMMAND = [sys.executable, "-m", "foodcommons.platform.worker"]
# Seconds between two checks for due periodic jobs: the shortest interval registered is a day.
SCHEDULE_INTERVAL = float(os.environ.get("FOODCOMMONS_SCHEDULE_INTERVAL", "300"))


def jobs_need_a_worker() -> bool:
    """Tell whether jobs wait in the database queue (else the tasks backend runs them itself, in the request)."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def run_as_child() -> None:
    """Run `db_worker` for the server that started it, and stop it gracefully when that server is gone."""

    def stop_once_orphaned():
        # The server never writes: end of file means it closed the pipe, or died (even killed). A raw read, since a
        # daemon thread inside sys.stdin's buffered reader would stop the interpreter from shutting down cleanly.
        while os.read(sys.stdin.fileno(), 4096):
            pass
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=stop_once_orphaned, daemon=True).start()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foodcommons.settings")
    import django

    django.setup()
    threading.Thread(target=keep_scheduling, args=(SCHEDULE_INTERVAL,), name="periodic-jobs", daemon=True).start()
    from foodcommons.cli import main

    # No reloader (DEBUG turns it on): a reloader's parent would not pass a stop on to the worker it runs.
    main(["db_worker", "--no-reload"])


def keep_scheduling(interval: float, *, rounds: int | None = None) -> None:
    """Enqueue the due periodic jobs now and every `interval` seconds (`rounds` times, or forever)."""
    from django.core.management import call_command
    from django.db import DatabaseError, close_old_connections

    done = 0
    while rounds is None or done < rounds:
        try:
            call_command("schedule")
        except DatabaseError as error:  # a locked or restarting database: the next round tries again
            print(f"Periodic jobs not checked this time: {error}", file=sys.stderr)
        finally:
            close_old_connections()
        done += 1
        if rounds is None or done < rounds:
            threading.Event().wait(interval)


class SupervisedWorker:
    """A `db_worker` child process, started again whenever it exits, until `stop`."""

    def __init__(self, *, env: dict[str, str], log=print, command: list[str] = WORKER_COMMAND, restart_delay: float = 2.0):
        self.env, self.log, self.command = env, log, command
        self.restart_delay = restart_delay  # seconds: a worker that cannot start (database gone) does not spin
        self.process: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()  # so that `stop` never misses a child being started
        self._thread = threading.Thread(target=self._supervise, name="job-worker-supervisor", daemon=True)

    def start(self) -> "SupervisedWorker":
        """Start the worker and its supervision; return self."""
        self._thread.start()
        return self

    def _supervise(self) -> None:
        while True:
            with self._lock:
                if self._stopping.is_set():
                    return
                # Its output goes to our console; in a session of its own, so that Ctrl+C reaches only the server,
                # which stops the worker itself (and would otherwise see it exit and start it again).
                # Its stdin is a pipe that only closes when this process ends: see `run_as_child`.
                self.process = process = subprocess.Popen(self.command, env=self.env, start_new_session=True, stdin=subprocess.PIPE)
            code = process.wait()
            if process.stdin:
                process.stdin.close()
            if self._stopping.wait(0):
                return
            self.log(f"The job worker stopped (exit code {code}); starting it again in {self.restart_delay:g} s")
            if self._stopping.wait(self.restart_delay):
                return

    def stop(self, timeout: float = 30) -> None:
        """Stop the worker: it finishes the job it is on (within `timeout` seconds, else it is killed)."""
        self._stopping.set()
        with self._lock:
            process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._thread.join(timeout)


if __name__ == "__main__":
    run_as_child()
