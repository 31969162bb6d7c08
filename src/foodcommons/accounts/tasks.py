"""Background jobs of accounts (django-tasks)."""

from django_tasks import task


@task()
def send_password_reset(user_id: int, language: str) -> None:
    """E-mail a password-reset link to an active user; the token is made here, so the queue never holds it."""
    from foodcommons.accounts.services import send_password_reset_now

    send_password_reset_now(user_id=user_id, language=language)
