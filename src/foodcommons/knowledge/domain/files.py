"""What an uploaded document is, judged by its content, and the text inside it (pure: bytes in, values out)."""

import io
import zipfile
from dataclasses import dataclass

import filetype

MAX_TEXT_CHARS = 400_000


@dataclass(frozen=True)
class FileKind:
    """An accepted kind of file: its media type, its extension and whether a browser may show it inline."""

    media_type: str
    extension: str
    inline: bool


ACCEPTED = {
    "application/pdf": FileKind("application/pdf", "pdf", True),
    "application/vnd.oasis.opendocument.text": FileKind("application/vnd.oasis.opendocument.text", "odt", False),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": FileKind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", False),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": FileKind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", False),
    "image/png": FileKind("image/png", "png", True),
    "image/jpeg": FileKind("image/jpeg", "jpg", True),
    "image/webp": FileKind("image/webp", "webp", True),
}
# The members of a ZIP-based document that tell which one it is (filetype's own guess reads only the first bytes).
_ZIP_MARKS = (
    ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
)


class Refused(ValueError):
    """A file that the library does not take, with the reason a person can act on."""


def _zip_kind(data: bytes, max_unpacked: int) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        unpacked = sum(i.file_size for i in archive.infolist())
        mimetype = archive.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise Refused("damaged") from None
    if unpacked > max_unpacked:
        raise Refused("unpacks-too-large")
    if mimetype == "application/vnd.oasis.opendocument.text":
        return mimetype
    for member, media_type in _ZIP_MARKS:
        if member in names:
            return media_type
    raise Refused("type")


def identify(data: bytes, *, max_bytes: int, max_unpacked: int) -> FileKind:
    """Return the kind of an uploaded file from its content, or raise Refused ("empty", "too-large", "type", …)."""
    if not data:
        raise Refused("empty")
    if len(data) > max_bytes:
        raise Refused("too-large")
    guess = filetype.guess(data[:8192])
    media_type = guess.mime if guess else ""
    if media_type in ("application/zip", "application/vnd.oasis.opendocument.text") or data[:4] == b"PK\x03\x04" or media_type.startswith(
            "application/vnd.openxmlformats"):
        media_type = _zip_kind(data, max_unpacked)
    if media_type not in ACCEPTED:
        raise Refused("type")
    return ACCEPTED[media_type]


def safe_filename(name: str, kind: FileKind) -> str:
    """Return a file name of plain characters that ends with the extension of what the file really is."""
    stem = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    cleaned = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem).strip("-")[:80] or "document"
    return f"{cleaned}.{kind.extension}"


def extract_text(data: bytes, kind: FileKind) -> str:
    """Return the text of a document (nothing for images: no OCR), at most MAX_TEXT_CHARS; a file that cannot be read gives ""."""
    readers = {"pdf": _pdf_text, "odt": _odt_text, "docx": _docx_text, "xlsx": _xlsx_text}
    reader = readers.get(kind.extension)
    if reader is None:
        return ""
    try:
        return reader(data)[:MAX_TEXT_CHARS]
    except Exception:
        return ""


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    parts, total = [], 0
    for page in PdfReader(io.BytesIO(data)).pages:
        text = page.extract_text() or ""
        parts.append(text)
        total += len(text)
        if total > MAX_TEXT_CHARS:
            break
    return "\n".join(parts)


def _odt_text(data: bytes) -> str:
    from odf import teletype, text
    from odf.opendocument import load

    document = load(io.BytesIO(data))
    return "\n".join(teletype.extractText(e) for tag in (text.H, text.P) for e in document.getElementsByType(tag))


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts, total = [], 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            line = " ".join(str(v) for v in row if v is not None)
            parts.append(line)
            total += len(line)
            if total > MAX_TEXT_CHARS:
                return "\n".join(parts)
    return "\n".join(parts)
