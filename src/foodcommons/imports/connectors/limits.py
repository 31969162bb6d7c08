"""How much an import may read: file size, what a zip (XLSX, ODS) unpacks to, cell length; each checked before the cost."""

import io
import struct
import zipfile
from dataclasses import dataclass

from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.imports.connectors.base import bad_file

MB = 1024 * 1024
MAX_CELL_CHARS = 100_000  # a cell longer than this is broken quoting or an attack: its row is refused, the others are read
MAX_HEADER_CHARS = 1_000
_EOCD, _EOCD64_LOCATOR, _EOCD64 = b"PK\x05\x06", b"PK\x06\x07", b"PK\x06\x06"
_DIRECTORY_BYTES_PER_MEMBER = 1_024  # a generous size of one central directory entry (46 bytes and the member's name)


@dataclass(frozen=True)
class Limits:
    """The bounds of one import; `configured()` reads them from the settings."""

    max_bytes: int = 50 * MB
    max_unpacked_bytes: int = 200 * MB
    max_ratio: int = 100  # uncompressed / compressed size of one member, above `ratio_grace_bytes` (as Apache POI's 1 %)
    ratio_grace_bytes: int = 1 * MB
    max_members: int = 10_000


def configured() -> Limits:
    """Return the limits set by FOODCOMMONS_IMPORT_MAX_BYTES and FOODCOMMONS_IMPORT_MAX_UNPACKED_BYTES (defaults without Django)."""
    from django.conf import settings

    default = Limits()
    if not settings.configured:
        return default
    return Limits(max_bytes=int(getattr(settings, "FOODCOMMONS_IMPORT_MAX_BYTES", default.max_bytes)),
                  max_unpacked_bytes=int(getattr(settings, "FOODCOMMONS_IMPORT_MAX_UNPACKED_BYTES", default.max_unpacked_bytes)))


def megabytes(size: int) -> str:
    """Return a size as people read it: bytes below 1 MB, MB with one decimal below 10 MB, whole MB above."""
    value = size / MB
    if value < 1:
        return f"{size:,} bytes"
    return f"{value:.1f} MB" if value < 10 else f"{value:,.0f} MB"


def check_size(size: int, limits: Limits, field: str = "file") -> None:
    """Refuse a file larger than the import limit (called with its size before it is read whenever it is known)."""
    if size > limits.max_bytes:
        raise InvalidInput([FieldError(field, f"the file has {megabytes(size)}; imports are limited to {megabytes(limits.max_bytes)}"
                                              " (FOODCOMMONS_IMPORT_MAX_BYTES)")])


def check_archive(data: bytes, limits: Limits) -> None:
    """Refuse a zip whose central directory announces a bomb (size, ratio, members), before anything is inflated.

    The sizes announced are binding: the spreadsheet reader (calamine) stops with an error at the first byte a member
    inflates beyond its announced size, so a member that lies about its size costs nothing either.
    """
    _check_directory_size(data, limits)
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, struct.error) as error:
        raise bad_file(f"not a readable XLSX or ODS file: the zip archive is broken ({error})") from error
    if len(members) > limits.max_members:
        raise bad_file(f"the archive holds {len(members):,} files; an XLSX or ODS file holds at most {limits.max_members:,}")
    total = sum(m.file_size for m in members)
    if total > limits.max_unpacked_bytes:
        raise bad_file(f"the spreadsheet unpacks to {megabytes(total)}; at most {megabytes(limits.max_unpacked_bytes)} are read"
                       " (FOODCOMMONS_IMPORT_MAX_UNPACKED_BYTES)")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > limits.ratio_grace_bytes and ratio > limits.max_ratio:
            raise bad_file(f"'{member.filename[:100]}' in the archive is compressed {ratio:,.0f} to 1 (at most {limits.max_ratio} to 1):"
                           " refused as a zip bomb")


def _check_directory_size(data: bytes, limits: Limits) -> None:
    # A directory of millions of entries costs seconds and hundreds of MB to list: judge it by its announced size first.
    at = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if at < 0 or at + 22 > len(data):
        return  # no end record: zipfile reports the broken archive
    entries, directory_bytes = struct.unpack_from("<HL", data, at + 10)
    locator = at - 20
    if (entries == 0xFFFF or directory_bytes == 0xFFFFFFFF) and locator >= 0 and data[locator:locator + 4] == _EOCD64_LOCATOR:
        offset = struct.unpack_from("<Q", data, locator + 8)[0]
        if data[offset:offset + 4] == _EOCD64 and offset + 56 <= len(data):
            entries, directory_bytes = struct.unpack_from("<QQ", data, offset + 32)
    if entries > limits.max_members or directory_bytes > limits.max_members * _DIRECTORY_BYTES_PER_MEMBER:
        raise bad_file(f"the archive announces {entries:,} files in a directory of {megabytes(directory_bytes)};"
                       f" an XLSX or ODS file holds at most {limits.max_members:,}")


def oversized_cell(values: dict) -> str | None:
    """Return the name of the first value longer than MAX_CELL_CHARS (nested objects and lists by their text), or None."""
    for key, value in values.items():
        size = len(value) if isinstance(value, str) else len(str(value)) if isinstance(value, dict | list) else 0
        if size > MAX_CELL_CHARS:
            return str(key)[:100] if key not in (None, "") else "(a cell without header)"
    return None
