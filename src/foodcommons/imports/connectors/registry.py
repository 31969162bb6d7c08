"""The formats connectors read, and detection of a file's format from its content."""

import json
from collections.abc import Callable, Iterator

from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.imports.connectors import formats, osm, tabular
from foodcommons.imports.connectors.base import ImportedRecord, SourceMapping

Reader = Callable[[bytes, SourceMapping], Iterator[ImportedRecord]]

FORMATS: dict[str, Reader] = {
    "csv": tabular.read_csv,
    "xlsx": tabular.read_spreadsheet,
    "ods": tabular.read_spreadsheet,
    "geojson": formats.read_geojson,
    "osm": osm.read_osm,
    "gogocarto": formats.read_gogocarto,
    "openfairdb": formats.read_openfairdb,
    "openfairdb-csv": formats.read_openfairdb_csv,
    "dfc": formats.read_dfc,
}
_PBF_MARK = b"OSMHeader"


def detect_format(data: bytes, filename: str = "") -> str:
    """Return the format of a file from its content (and its name only to break ties)."""
    head = data[:4096]
    if head.startswith(b"PK"):
        return "ods" if b"opendocument.spreadsheet" in head or filename.lower().endswith(".ods") else "xlsx"
    if _PBF_MARK in head[:64]:
        return "osm"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return "osm"
    if text.startswith((b"{", b"[")):
        return _json_format(data)
    first_line = text.split(b"\n", 1)[0].decode("utf-8", errors="replace").lower()
    if all(c in first_line for c in ("title", "lat", "lng", "tags")):
        return "openfairdb-csv"
    return "csv"


def _json_format(data: bytes) -> str:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return "geojson"  # the reader reports the syntax error
    if isinstance(document, dict):
        if "@graph" in document or "@context" in document:
            return "dfc"
        if "elements" in document or _looks_like_osm(document.get("features") or []):
            return "osm"
        if "visible" in document:
            return "openfairdb"
        if "data" in document or "ontology" in document:
            return "gogocarto"
        return "geojson"
    return "gogocarto" if document and isinstance(document[0], dict) and "geo" in document[0] else "openfairdb"


def _looks_like_osm(features: list) -> bool:
    sample = [f.get("properties") or {} for f in features[:20] if isinstance(f, dict)]
    return bool(sample) and all("@id" in p or "osm_id" in p or str(p.get("id", "")).startswith(("node/", "way/")) for p in sample)


def read_records(data: bytes, *, file_format: str = "", filename: str = "", mapping: SourceMapping | None = None) -> Iterator[ImportedRecord]:
    """Yield the records of a file in `file_format` (detected when empty)."""
    chosen = file_format or detect_format(data, filename)
    if chosen not in FORMATS:
        raise InvalidInput([FieldError("format", f"unknown format '{chosen}' (known: {', '.join(FORMATS)})")])
    return FORMATS[chosen](data, mapping or SourceMapping())
