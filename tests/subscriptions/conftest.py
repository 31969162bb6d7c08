"""Fixtures of subscriptions tests: jobs and e-mails at once into the test outbox, and reading the links of an e-mail."""

import re

import pytest


@pytest.fixture(autouse=True)
def immediate_jobs(settings, tmp_path):
    """Run queued jobs at once and keep e-mails in the test outbox (uploads in a temporary folder)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = str(tmp_path / "files")


def link_in(message, path_part: str) -> str:
    """Return the path of the first link of an e-mail's body that contains `path_part`."""
    for url in re.findall(r"https?://\S+", message.body):
        if path_part in url:
            return "/" + url.split("://", 1)[1].split("/", 1)[1]
    raise AssertionError(f"no link with {path_part!r} in {message.body!r}")
