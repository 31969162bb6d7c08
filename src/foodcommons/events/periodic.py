"""The periodic job of events (django-tasks; `foodcommons schedule` enqueues it every hour)."""

from django_tasks import task


@task()
def send_event_reminders() -> int:
    """Remind the participants of the events starting within two days; return how many e-mails."""
    from foodcommons.events.services import send_reminders

    return send_reminders()
