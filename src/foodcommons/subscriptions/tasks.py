"""The periodic digest job (django-tasks; `foodcommons schedule` enqueues it daily)."""

from django_tasks import task


@task()
def send_digests() -> int:
    """E-mail each subscriber what changed for what they follow since their last digest; return how many e-mails."""
    from foodcommons.subscriptions.services import send_digests as run

    return run()
