"""E-mails in the recipient's language, sent by background jobs; any app queues them with its own templates."""

import re
import sys

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends import filebased
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


def render_email(*, template: str, language: str, context: dict) -> tuple[str, str]:
    """Return (subject, body) of an e-mail template ("app/email/name", without .txt) in `language`."""
    with translation.override(language):
        text = render_to_string(f"{template}.txt", {**context, "site": settings.FOODCOMMONS_SITE_NAME})
    subject, _, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def deliver(*, to: str, template: str, language: str, context: dict) -> None:
    """Render and send one e-mail now."""
    subject, body = render_email(template=template, language=language, context=context)
    EmailMessage(subject, body, to=[to], headers={"Content-Language": language}).send()


@task()
def send_email(to: str, template: str, language: str, context: dict) -> None:
    """Send one e-mail in the recipient's language (a background job)."""
    deliver(to=to, template=template, language=language, context=context)


def queue_email(*, to: str, template: str, language: str, context: dict) -> None:
    """Enqueue an e-mail; with the database backend it is stored in the current transaction."""
    if to:
        send_email.enqueue(to=to, template=template, language=language or "fr", context=context)


def absolute(path: str) -> str:
    """Return the public URL of a path of this site."""
    return settings.FOODCOMMONS_BASE_URL + path


class FilesAndConsoleBackend(filebased.EmailBackend):
    """Write e-mails to files under EMAIL_FILE_PATH and print one line per e-mail (recipient, subject, links) on the console."""

    def __init__(self, *args, console=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.console = console or sys.stdout  # not `stream`: the file-based backend writes the file through that one

    def send_messages(self, email_messages):
        """Write the messages to their file, then announce each of them."""
        sent = super().send_messages(email_messages)
        for message in email_messages or []:
            self.console.write(announcement(message) + "\n")
        self.console.flush()
        return sent


def announcement(message: EmailMessage) -> str:
    """Return one line telling who an e-mail is for, its subject and the links it holds."""
    links = re.findall(r"https?://\S+", str(message.body))
    return " ".join([f'E-mail to {", ".join(message.recipients())}: "{message.subject}"', *links])
