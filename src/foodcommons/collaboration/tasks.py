"""Background jobs on the task queue (django-tasks; the database backend by default)."""

from django_tasks import task


@task()
def send_email(to: str, template: str, language: str, context: dict) -> None:
    """Send one e-mail in the recipient's language."""
    from foodcommons.collaboration.mail import deliver

    deliver(to=to, template=template, language=language, context=context)


@task()
def send_upkeep_reminders() -> int:
    """Send one digest per maintainer of the places gone stale; return how many digests were sent."""
    from foodcommons.collaboration.services import send_upkeep_reminders as run

    return run()


def queue_email(*, to: str, template: str, language: str, context: dict) -> None:
    """Enqueue an e-mail; with the database backend it is stored in the current transaction."""
    if to:
        send_email.enqueue(to=to, template=template, language=language or "fr", context=context)
