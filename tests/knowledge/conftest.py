"""Fixtures of knowledge tests: an organisation with an editor, files kept in a temporary folder, e-mails sent at once."""

import io

import pytest


@pytest.fixture(autouse=True)
def files_and_mail(settings, tmp_path):
    """Keep uploads in a temporary folder and send queued e-mails at once, into the test outbox."""
    settings.MEDIA_ROOT = str(tmp_path / "files")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def organisation(db):
    from foodcommons.collaboration.models import Organisation

    return Organisation.objects.create(slug="manger-demain", name="Manger Demain")


@pytest.fixture
def editor(organisation, django_user_model):
    from foodcommons.collaboration.models import Membership

    user = django_user_model.objects.create_user("edith", "edith@example.org", "a long password 123")
    Membership.objects.create(user=user, organisation=organisation, role="editor")
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def pdf_bytes(*lines: str) -> bytes:
    """Return a real one-page PDF holding `lines` (made with fpdf2, read back with pypdf by the app)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    for line in lines:
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(*cells: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(list(cells))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def odt_bytes(text: str) -> bytes:
    from odf import text as odf_text
    from odf.opendocument import OpenDocumentText

    document = OpenDocumentText()
    document.text.addElement(odf_text.P(text=text))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def publish(client, organisation, name: str, data: bytes, HTTP_ACCEPT_LANGUAGE="fr", **fields):
    """Post the document form as an editor; return the response."""
    body = {"organisation": organisation.pk, "title_fr": "Diagnostic alimentaire", "kind": "diagnostic", "language": "fr",
            "licence": "CC-BY-4.0", "file": upload(name, data), **fields}
    return client.post("/knowledge/documents/new", body, HTTP_ACCEPT_LANGUAGE=HTTP_ACCEPT_LANGUAGE)
