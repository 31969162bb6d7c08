"""Enqueue the periodic jobs that are due (run it from cron, or with --loop as a small scheduler)."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from foodcommons.collaboration.models import PeriodicRun
from foodcommons.core.schedule import due_jobs


def enqueue_due(now=None) -> list[str]:
    """Enqueue every due periodic job once and return their names."""
    now = now or timezone.now()
    with transaction.atomic():
        last = {r.name: r.last_enqueued_at for r in PeriodicRun.objects.select_for_update()}
        names = due_jobs(last_runs=last, now=now)
        for name in names:
            import_string(name).enqueue()
            PeriodicRun.objects.update_or_create(name=name, defaults={"last_enqueued_at": now})
    return names


class Command(BaseCommand):
    help = "Enqueue the periodic jobs that are due (upkeep reminders); --loop checks every few minutes."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running, checking every --interval seconds")
        parser.add_argument("--interval", type=int, default=300)

    def handle(self, *args, loop=False, interval=300, **options):
        while True:
            for name in enqueue_due():
                self.stdout.write(f"enqueued {name}")
            if not loop:
                return
            time.sleep(interval)
