"""CSV and spreadsheets (XLSX, ODS) with a column mapping; also the generic row mapping other connectors reuse."""

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Iterator

from charset_normalizer import from_bytes

from foodcommons.core.text import fold
from foodcommons.imports.connectors.base import ImportedRecord, SourceMapping, bad_file, clean_text, refused_record, to_float
from foodcommons.imports.connectors.limits import MAX_CELL_CHARS, MAX_HEADER_CHARS, check_archive, configured, oversized_cell

# Header names (folded, without spaces, dashes or underscores) that mean each record field.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "external_id": ("id", "identifiant", "identifier", "nid", "externalid", "ref", "reference"),
    "name": ("name", "nom", "naam", "title", "titre", "denomination", "organisation"),
    "description": ("description", "descriptif", "omschrijving", "presentation"),
    "categories": ("category", "categories", "categorie", "type", "types", "kind", "tags"),
    "lat": ("lat", "latitude", "y", "breedtegraad"),
    "lon": ("lon", "lng", "long", "longitude", "x", "lengtegraad"),
    "street": ("street", "rue", "adresse", "address", "straat", "streetaddress", "voie"),
    "house_number": ("housenumber", "numero", "no", "nr", "huisnummer", "number"),
    "postcode": ("postcode", "zip", "codepostal", "cp", "postalcode", "zipcode"),
    "locality": ("city", "ville", "localite", "commune", "communes", "gemeente", "locality", "town"),
    "phone": ("phone", "telephone", "tel", "telefoon", "contactphone", "gsm"),
    "email": ("email", "mail", "courriel", "contactemail"),
    "website": ("website", "site", "siteweb", "url", "homepage", "web"),
    "opening_hours": ("openinghours", "horaires", "openingsuren", "hours"),
}
TEXT_FIELDS = ("name", "description", "street", "house_number", "postcode", "locality", "phone", "email", "website", "opening_hours")
_HEADER_NOISE = re.compile(r"[\s_\-.:'’]+")
_LIST_SEPARATORS = re.compile(r"\s*[,;|]\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")
# Cells are bounded by MAX_CELL_CHARS per row (a longer one refuses its row only), not by the csv module's 128 KB, which
# would refuse the whole file.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))


def header_key(header: str) -> str:
    """Return the comparable form of a column header."""
    return _HEADER_NOISE.sub("", fold(clean_text(header)))


def column_plan(headers: Iterable[str], mapping: SourceMapping) -> dict[str, str]:
    """Return {record field: column header} from the source's mapping, then the known aliases."""
    by_key = {header_key(h): h for h in headers if h}
    plan = {f: col for f, col in mapping.fields.items() if col in by_key.values()}
    for field, aliases in COLUMN_ALIASES.items():
        if field not in plan:
            found = next((by_key[a] for a in aliases if a in by_key), None)
            if found:
                plan[field] = found
    return plan


def stable_id(*parts: str) -> str:
    """Return an identifier derived from a record's content, for sources without identifiers."""
    return "h:" + hashlib.sha1("|".join(fold(p) for p in parts).encode()).hexdigest()[:16]


def record_from_row(row: dict, plan: dict[str, str], mapping: SourceMapping, number: int, *, defaults: dict | None = None) -> ImportedRecord:
    """Map one row (header → value) to an ImportedRecord (refused when a cell is longer than MAX_CELL_CHARS)."""
    if too_long := oversized_cell(row):
        return refused_record(number, too_long, f"the cell holds more than {MAX_CELL_CHARS:,} characters; the row is not read")
    values = {f: clean_text(row.get(col)) for f, col in plan.items()}
    labels = [label for label in _LIST_SEPARATORS.split(values.get("categories", "")) if label]
    external_id = values.get("external_id") or stable_id(
        values.get("name", ""), values.get("postcode", ""), values.get("locality", ""), values.get("street", "")
    )
    return ImportedRecord(
        external_id=external_id,
        row=number,
        categories=mapping.category_for(labels, defaults),
        lon=to_float(values.get("lon")),
        lat=to_float(values.get("lat")),
        coordinates_read=", ".join(v for v in (values.get("lat", ""), values.get("lon", "")) if v),
        raw={k: v for k, v in row.items() if k},
        **{f: values.get(f, "") for f in TEXT_FIELDS},
    )


def rows_to_records(
    rows: Iterable[dict], headers: list[str], mapping: SourceMapping, *, first_row: int = 2, defaults: dict | None = None
) -> Iterator[ImportedRecord]:
    """Yield the records of header-keyed rows, skipping empty ones (rows numbered as a spreadsheet shows them)."""
    if any(len(h or "") > MAX_HEADER_CHARS for h in headers):
        raise bad_file(f"a column header is longer than {MAX_HEADER_CHARS:,} characters: the first row must hold the column names")
    plan = column_plan(headers, mapping)
    if "name" not in plan:
        raise bad_file(f"no name column among the headers ({shown_headers(headers)}); map one in the source")
    for number, row in enumerate(rows, start=first_row):
        if any(str(v or "").strip() for v in row.values()):
            yield record_from_row(row, plan, mapping, number, defaults=defaults)


def shown_headers(headers: list[str], most: int = 12) -> str:
    """Return the first headers of a file as a message shows them: printable, shortened."""
    shown = [_CONTROL.sub("?", h)[:40] for h in headers[:most] if h]
    return ", ".join(shown) + (", …" if len(headers) > most else "")


def decode(data: bytes) -> str:
    """Decode a text file: UTF-8 with or without BOM, else the encoding charset-normalizer finds (Latin-1 family, UTF-16).

    Bytes that are not text in any encoding (an image, an executable, random bytes) are refused, saying so.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            best = from_bytes(data[:200_000]).best()
            encoding = best.encoding if best else "cp1252"
            text = data.decode(encoding, errors="replace")
    sample = text[:20_000]
    if sample and len(_CONTROL.findall(sample)) > max(2, len(sample) // 100):
        raise bad_file("not a text file (it holds binary data): expected CSV, XLSX, ODS, GeoJSON, JSON or OpenStreetMap data")
    return text


def sniff_delimiter(text: str) -> str:
    """Return the delimiter of a CSV text: the one of ; , tab that splits the header line most."""
    header = text.split("\n", 1)[0]
    return max((";", ",", "\t"), key=header.count)


def read_csv(data: bytes, mapping: SourceMapping, *, defaults: dict | None = None) -> Iterator[ImportedRecord]:
    """Read a CSV in UTF-8 (BOM or not) or Latin-1, comma, semicolon or tab separated."""
    text = decode(data)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        headers = list(reader.fieldnames or [])
        if not headers:
            raise bad_file("the CSV file is empty")
        yield from rows_to_records(reader, headers, mapping, defaults=defaults)
    except csv.Error as error:
        raise bad_file(f"not a readable CSV file: {error}") from error


def read_spreadsheet(data: bytes, mapping: SourceMapping, *, defaults: dict | None = None) -> Iterator[ImportedRecord]:
    """Read the first sheet of an XLSX, XLS or ODS workbook; its first row holds the headers."""
    from python_calamine import CalamineWorkbook

    if data.startswith(b"PK"):
        check_archive(data, configured())  # XLS (before 2007) is no zip
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=True)
    except Exception as error:  # calamine raises its own error types for every kind of broken workbook
        raise bad_file(f"not a readable spreadsheet: {error}") from error
    if not rows:
        raise bad_file("the spreadsheet is empty")
    headers = [_cell(h) for h in rows[0]]
    yield from rows_to_records(({h: _cell(v) for h, v in zip(headers, r, strict=False)} for r in rows[1:]), headers, mapping, defaults=defaults)


def _cell(value) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e12:
        return str(int(value))
    return "" if value is None else str(value)
