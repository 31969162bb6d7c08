"""The default e-mail backend: each e-mail a file under the data folder, and one line on the console a newcomer can click."""

import io

from django.core.mail import EmailMessage

from foodcommons.core.mail import FilesAndConsoleBackend

LINK = "http://127.0.0.1:8123/accounts/activate/abc"


def test_the_default_backend_writes_the_file_and_announces_recipient_subject_and_links(tmp_path):
    console = io.StringIO()
    message = EmailMessage("Activate your account", f"Open this link to activate your account:\n{LINK}\n", to=["ana@example.org"])
    assert FilesAndConsoleBackend(file_path=str(tmp_path), console=console).send_messages([message]) == 1
    assert LINK in next(tmp_path.iterdir()).read_text()
    assert console.getvalue() == f'E-mail to ana@example.org: "Activate your account" {LINK}\n'

