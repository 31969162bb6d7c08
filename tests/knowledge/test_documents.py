"""The document library: uploads checked by content and size, text extracted and searched, safe serving, versions."""

import pytest

from tests.knowledge.conftest import docx_bytes, odt_bytes, pdf_bytes, publish, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def _only_document():
    from foodcommons.knowledge.models import Document

    return Document.objects.get()


def test_an_editor_publishes_a_pdf_and_a_visitor_finds_it_by_a_word_inside_it(editor_client, organisation, client):
    response = publish(editor_client, organisation, "diag.pdf", pdf_bytes("Diagnostic du territoire de Ciney", "Les maraichers bio du Condroz"))
    assert response.status_code == 302, response.content[:500]
    document = _only_document()
    editor_client.logout()
    page = client.get("/knowledge/documents/", {"q": "maraîchers condroz"}).content.decode()
    assert f"/knowledge/documents/{document.public_id}" in page
    assert document.public_id not in client.get("/knowledge/documents/", {"q": "Bastogne"}).content.decode()
    api = client.get("/api/knowledge/documents", {"q": "condr"}).json()
    assert [d["id"] for d in api] == [document.public_id]
    assert api[0]["versions"][0]["media_type"] == "application/pdf"


@pytest.mark.parametrize(("name", "maker", "media_type"), [
    ("note.docx", docx_bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("note.odt", odt_bytes, "application/vnd.oasis.opendocument.text"),
    ("note.xlsx", xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
def test_words_inside_docx_odt_and_xlsx_files_are_searchable(editor_client, organisation, name, maker, media_type):
    assert publish(editor_client, organisation, name, maker("Légumerie de Gembloux")).status_code == 302
    document = _only_document()
    assert document.versions.get().media_type == media_type
    found = editor_client.get("/api/knowledge/documents", {"q": "legumerie gembloux"}).json()
    assert [d["id"] for d in found] == [document.public_id]


@pytest.mark.parametrize(("name", "data"), [
    ("virus.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),
    ("page.pdf", b"<html><script>alert(1)</script></html>"),
    ("drawing.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("archive.docx", b"PK\x03\x04" + b"\x00" * 100),
])
def test_a_file_is_judged_by_its_content_not_its_name(editor_client, organisation, name, data):
    from foodcommons.knowledge.models import Document

    response = publish(editor_client, organisation, name, data)
    assert response.status_code == 400
    assert Document.objects.count() == 0


def test_a_file_larger_than_the_limit_is_refused(editor_client, organisation, settings):
    from foodcommons.knowledge.models import Document

    data = pdf_bytes("Diagnostic")
    settings.FOODCOMMONS_DOCUMENT_MAX_BYTES = len(data) - 1
    response = publish(editor_client, organisation, "big.pdf", data)
    assert response.status_code == 400 and "le fichier dépasse la taille permise" in response.content.decode()
    dutch = publish(editor_client, organisation, "big.pdf", data, HTTP_ACCEPT_LANGUAGE="nl")
    assert dutch.status_code == 400 and "het bestand is groter dan toegelaten" in dutch.content.decode()
    assert Document.objects.count() == 0


def test_a_pdf_is_shown_inline_and_an_office_file_is_an_attachment_never_sniffed(editor_client, organisation, client):
    publish(editor_client, organisation, "diag.pdf", pdf_bytes("Ciney"))
    publish(editor_client, organisation, "note.docx", docx_bytes("Ciney"), title_fr="Note")
    from foodcommons.knowledge.models import Document

    for document in Document.objects.all():
        version = document.versions.get()
        response = client.get(f"/knowledge/documents/{document.public_id}/files/1")
        body = b"".join(response.streaming_content)
        assert response.status_code == 200 and body[:4] in (b"%PDF", b"PK\x03\x04")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == version.media_type
        assert response["Content-Security-Policy"].startswith("sandbox")
        disposition = response["Content-Disposition"]
        assert disposition.startswith("inline" if version.media_type == "application/pdf" else "attachment")


def test_a_new_version_keeps_the_earlier_one_and_both_are_searched(editor_client, organisation, client):
    publish(editor_client, organisation, "diag.pdf", pdf_bytes("Premiere version Ciney"))
    document = _only_document()
    response = editor_client.post(f"/knowledge/documents/{document.public_id}/versions", {"file": upload("diag-2.pdf", pdf_bytes("Seconde version Dinant")),
                                                                                         "note": "Chiffres 2021"})
    assert response.status_code == 302
    assert list(document.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert client.get(f"/knowledge/documents/{document.public_id}/files/1").status_code == 200
    assert client.get(f"/knowledge/documents/{document.public_id}/files/2").status_code == 200
    for word in ("ciney", "dinant"):
        assert [d["id"] for d in client.get("/api/knowledge/documents", {"q": word}).json()] == [document.public_id]


def test_the_files_are_kept_under_the_media_folder_of_the_default_storage(editor_client, organisation, settings):
    from pathlib import Path

    publish(editor_client, organisation, "diag.pdf", pdf_bytes("Ciney"))
    version = _only_document().versions.get()
    assert Path(version.file.path).is_relative_to(Path(settings.MEDIA_ROOT))
    assert Path(version.file.path).read_bytes()[:4] == b"%PDF"


def test_someone_who_edits_no_organisation_may_not_publish(client, organisation, django_user_model):
    from foodcommons.collaboration.models import Membership

    member = django_user_model.objects.create_user("mo")
    Membership.objects.create(user=member, organisation=organisation, role="member")
    client.force_login(member)
    assert publish(client, organisation, "diag.pdf", pdf_bytes("Ciney")).status_code == 403


def test_a_link_is_a_document_without_file(editor_client, organisation):
    response = editor_client.post("/knowledge/documents/new", {"organisation": organisation.pk, "title_fr": "Guide marchés publics",
                                                              "kind": "procurement-guide", "language": "fr", "link_url": "https://example.org/guide"})
    assert response.status_code == 302
    assert _only_document().link_url == "https://example.org/guide"
