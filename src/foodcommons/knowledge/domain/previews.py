"""Preview images of documents: the first page of a PDF (PDFium through pypdfium2) or a thumbnail of an image (Pillow), as PNG."""

import io

import pypdfium2
from PIL import Image

PREVIEW_SIZE = 480  # the longer side, in pixels: sharp in the library's list and on a document's page, a few tens of kB
IMAGE_TYPES = ("image/png", "image/jpeg", "image/webp")
# A decompression bomb is refused: no image of more pixels than this is opened (Pillow raises beyond it).
MAX_PIXELS = 60_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def _png(image) -> bytes:
    image.thumbnail((PREVIEW_SIZE, PREVIEW_SIZE))
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _pdf_first_page(data: bytes):
    pdf = pypdfium2.PdfDocument(data)
    try:
        if len(pdf) == 0:
            return None
        page = pdf[0]
        width, height = page.get_size()
        scale = PREVIEW_SIZE / max(width, height, 1)
        return page.render(scale=scale).to_pil()
    finally:
        pdf.close()


def preview_png(data: bytes, media_type: str) -> bytes | None:
    """Return the PNG preview of a PDF's first page or of an image, or None for other types and unreadable files."""
    try:
        if media_type == "application/pdf":
            image = _pdf_first_page(data)
        elif media_type in IMAGE_TYPES:
            image = Image.open(io.BytesIO(data))
            image.load()
        else:
            return None
        return _png(image) if image is not None else None
    except Exception:  # a damaged file keeps its type icon: a preview is never a reason to refuse a document
        return None
