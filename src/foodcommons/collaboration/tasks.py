"""Background jobs on the task queue (django-tasks; the database backend by default)."""

from django_tasks import task


@task()
def send_upkeep_reminders() -> int:
    """Send one digest per maintainer of the places gone stale; return how many digests were sent."""
    from foodcommons.collaboration.services import send_upkeep_reminders as run

    return run()
