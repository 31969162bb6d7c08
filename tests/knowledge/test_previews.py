"""Preview images: the first page of a PDF and thumbnails of images, made by a job after the upload and shown in the library."""

import io

import pytest
from PIL import Image

from tests.knowledge.conftest import docx_bytes, pdf_bytes, publish


def png_of(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def published(client, organisation, name, data, capture):
    from foodcommons.knowledge.models import Document

    with capture(execute=True):  # the preview job is queued when the upload commits
        assert publish(client, organisation, name, data).status_code == 302
    return Document.objects.get()


@pytest.mark.django_db
def test_a_pdf_gets_a_png_of_its_first_page_shown_in_the_library(editor_client, organisation, django_capture_on_commit_callbacks):
    document = published(editor_client, organisation, "diagnostic.pdf", pdf_bytes("Diagnostic du Condroz", "Page un"), django_capture_on_commit_callbacks)
    version = document.versions.get()
    assert version.preview
    response = editor_client.get(f"/knowledge/documents/{document.public_id}/files/1/preview.png")
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert max(image.size) == 480 and image.size[1] > image.size[0]  # an A4 page, standing
    darkest, _ = image.convert("L").getextrema()
    assert darkest < 100  # the text of the page is drawn, not a blank image
    library = editor_client.get("/knowledge/documents/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f'src="/knowledge/documents/{document.public_id}/files/1/preview.png"' in library
    page = editor_client.get(f"/knowledge/documents/{document.public_id}").content.decode()
    assert f'src="/knowledge/documents/{document.public_id}/files/1/preview.png"' in page


@pytest.mark.django_db
def test_an_image_gets_a_thumbnail(editor_client, organisation, django_capture_on_commit_callbacks):
    document = published(editor_client, organisation, "carte.png", png_of(2000, 1000), django_capture_on_commit_callbacks)
    preview = document.versions.get().preview
    with preview.open("rb") as handle:
        assert Image.open(handle).size == (480, 240)


@pytest.mark.django_db
def test_other_files_and_links_show_a_type_icon(editor_client, organisation, django_capture_on_commit_callbacks):
    from foodcommons.knowledge.services import create_document

    document = published(editor_client, organisation, "note.docx", docx_bytes("Une note"), django_capture_on_commit_callbacks)
    assert not document.versions.get().preview
    assert editor_client.get(f"/knowledge/documents/{document.public_id}/files/1/preview.png").status_code == 404
    create_document(data={"title_fr": "Guide en ligne", "link_url": "https://example.org/guide", "organisation": organisation}, author=None, check_role=False)
    library = editor_client.get("/knowledge/documents/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<span class="type-icon">DOCX</span>' in library and '<span class="type-icon">lien</span>' in library


@pytest.mark.parametrize(("data", "media_type"), [(b"%PDF-1.4 broken", "application/pdf"), (b"\x89PNG\r\n\x1a\nbroken", "image/png"),
                                                  (b"PK\x03\x04", "application/vnd.oasis.opendocument.text")])
def test_unreadable_files_get_no_preview_and_no_error(data, media_type):
    from foodcommons.knowledge.domain.previews import preview_png

    assert preview_png(data, media_type) is None
