"""The formats connectors read, and detection of a file's format from its content."""

import json
import logging
from collections.abc import Callable, Iterator

import shapely

from foodcommons.core.problems import FieldError, InvalidInput, Problem
from foodcommons.imports.connectors import formats, osm, tabular
from foodcommons.imports.connectors.base import ImportedRecord, SourceMapping, bad_file

log = logging.getLogger(__name__)

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
    except (ValueError, RecursionError):
        return "geojson"  # the reader reports the syntax error
    if isinstance(document, dict):
        if "@graph" in document or "@context" in document:
            return "dfc"
        if "elements" in document or _looks_like_osm(document.get("features")):
            return "osm"
        if "visible" in document:
            return "openfairdb"
        if "data" in document or "ontology" in document:
            return "gogocarto"
        return "geojson"
    if isinstance(document, list) and document and isinstance(document[0], dict) and "geo" in document[0]:
        return "gogocarto"
    return "openfairdb" if isinstance(document, list) else "geojson"


def _looks_like_osm(features) -> bool:
    if not isinstance(features, list):
        return False
    sample = [f.get("properties") for f in features[:20] if isinstance(f, dict) and isinstance(f.get("properties"), dict)]
    return bool(sample) and all("@id" in p or "osm_id" in p or str(p.get("id", "")).startswith(("node/", "way/")) for p in sample)


def read_records(data: bytes, *, file_format: str = "", filename: str = "", mapping: SourceMapping | None = None) -> Iterator[ImportedRecord]:
    """Yield the records of a file in `file_format` (detected when empty)."""
    chosen = file_format or detect_format(data, filename)
    if chosen not in FORMATS:
        raise InvalidInput([FieldError("format", f"unknown format '{chosen}' (known: {', '.join(FORMATS)})")])
    return _guarded(FORMATS[chosen], data, mapping or SourceMapping(), chosen)


# What a connector raises when a file's structure is not the one it reads (a list where an object should be, …).
_STRUCTURE_ERRORS = (TypeError, AttributeError, LookupError, ValueError, ArithmeticError, RuntimeError, shapely.errors.ShapelyError)


def _guarded(reader: Reader, data: bytes, mapping: SourceMapping, chosen: str) -> Iterator[ImportedRecord]:
    """Yield a reader's records; a structure it did not expect becomes a problem naming it, never an uncaught error."""
    try:
        yield from reader(data, mapping)
    except Problem:
        raise
    except RecursionError as error:
        raise bad_file(f"not readable as {chosen}: the data is nested too deeply") from error
    except _STRUCTURE_ERRORS as error:
        log.info("unexpected structure in a %s file: %r", chosen, error)
        raise bad_file(f"not readable as {chosen}: unexpected content ({type(error).__name__}: {str(error)[:200]})") from error
