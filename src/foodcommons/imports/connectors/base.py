"""The record every connector yields, the mapping a source configures, and text cleaning (pure)."""

import html
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

import ftfy

from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.core.text import fold
from foodcommons.places.domain.fields import place_fields
from foodcommons.places.domain.geometry import point_inside

# Category labels common in Belgian and French lists (folded) and the category each means; a source's mapping comes first.
COMMON_LABELS: dict[str, str] = {
    "gasap": "csa", "csa": "csa", "amap": "csa", "solawi": "csa", "gac": "buying-group", "gaa": "buying-group",
    "groupe d'achat": "buying-group", "groupe d'achat commun": "buying-group", "buying group": "buying-group",
    "cooperative": "food-coop", "food coop": "food-coop", "coop": "food-coop", "foodcoop": "food-coop",
    "potager": "community-garden", "potager collectif": "community-garden", "jardin partage": "shared-garden",
    "community garden": "community-garden", "gemeinschaftsgarten": "community-garden", "verger": "community-orchard",
    "compost": "neighbourhood-compost", "compost de quartier": "neighbourhood-compost",
    "marche": "market", "market": "market", "markt": "market", "ferme": "farm", "farm": "farm", "hofladen": "farm-shop",
    "magasin a la ferme": "farm-shop", "epicerie sociale": "social-grocery", "restaurant social": "social-restaurant",
    "banque alimentaire": "food-bank", "food bank": "food-bank", "frigo solidaire": "community-fridge", "fairteiler": "community-fridge",
    "vrac": "bulk-shop", "unverpackt": "bulk-shop", "bio": "organic-shop", "magasin bio": "organic-shop",
    "boulangerie": "bakery", "legumerie": "legumerie", "cantine": "canteen", "paniers": "box-scheme",
    "foodsharing": "food-surplus-recovery", "maraichage": "market-garden",
}

_SPACES = re.compile(r"\s+")
_TAGS = re.compile(r"<[^>]{0,200}>")


def clean_text(value) -> str:
    """Return text with mojibake repaired, HTML entities and tags removed and whitespace collapsed."""
    if value is None:
        return ""
    text = str(value)
    if text.isascii() and text.isprintable() and "&" not in text and "<" not in text and "  " not in text and text == text.strip():
        return text  # most values of a file: nothing to unescape, repair, strip or collapse
    # Short texts are kept: a list repeats its localities, streets and labels, and ftfy takes ~1 ms on accented text.
    return _repaired_short(text) if len(text) <= MAX_REMEMBERED_TEXT else _repaired(text)


MAX_REMEMBERED_TEXT = 200  # at most 65,536 such texts are kept: ~13 MB


def _repaired(text: str) -> str:
    # Entities can be escaped twice in old exports ("&amp;#039;"): unescape until stable.
    for _ in range(3):
        unescaped = html.unescape(text)
        if unescaped == text:
            break
        text = unescaped
    # ftfy changes only non-ASCII text and control characters: printable ASCII (most values of a file) skips its ~25 µs.
    if not (text.isascii() and text.isprintable()):
        text = ftfy.fix_text(text, unescape_html=False)
    return _SPACES.sub(" ", _TAGS.sub(" ", text)).strip()


_repaired_short = lru_cache(maxsize=65536)(_repaired)


def bad_file(reason: str) -> InvalidInput:
    """Return the problem raised when a whole file cannot be read."""
    return InvalidInput([FieldError("file", reason)])


def kind_of(value) -> str:
    """Return what a JSON value is, as a message names it ("an object", "a list", …)."""
    if isinstance(value, bool):
        return "true or false"
    for kind, name in ((dict, "an object"), (list, "a list"), (str, "a text"), (int | float, "a number")):
        if isinstance(value, kind):
            return name
    return "null" if value is None else type(value).__name__


def load_json(data: bytes):
    """Parse JSON bytes (UTF-8 with or without BOM, or UTF-16 with a BOM) or raise a problem naming what is wrong."""
    try:
        text = data.decode("utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise bad_file(f"not UTF-8 text (byte 0x{data[error.start]:02X} at position {error.start:,}); save the JSON file as UTF-8") from error
    try:
        return json.loads(text)
    except RecursionError as error:
        raise bad_file("not readable JSON: it is nested too deeply") from error
    except ValueError as error:
        raise bad_file(f"not valid JSON: {error}") from error


@dataclass
class SourceMapping:
    """How a source's fields and categories map onto places (configured per source)."""

    fields: dict[str, str] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)
    default_category: str = ""
    known: frozenset[str] = frozenset()  # category identifiers of the taxonomy: a label equal to one means it

    def category_for(self, labels: list[str], defaults: dict[str, str] | None = None) -> list[str]:
        """Return the place categories of a record's raw category labels (source mapping first)."""
        found: list[str] = []
        for label in labels:
            key = fold(clean_text(label)).strip()
            slug = (self.categories.get(label) or self.categories.get(key) or (label if label in self.known else None)
                    or (defaults if defaults is not None else COMMON_LABELS).get(key))
            if slug and slug not in found:
                found.append(slug)
        if not found and self.default_category:
            found.append(self.default_category)
        return found


@dataclass
class ImportedRecord:
    """One record of a source, cleaned but not validated: what a connector yields."""

    external_id: str
    row: int
    name: str = ""
    description: str = ""
    categories: list[str] = field(default_factory=list)
    lon: float | None = None
    lat: float | None = None
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    locality: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    opening_hours: str = ""
    language: str = "fr"
    weak_location: bool = False
    coordinates_read: str = ""  # the coordinates as the source wrote them (reported when they cannot be read)
    raw: dict = field(default_factory=dict)
    upstream: dict = field(default_factory=dict)  # what taking a correction back needs: an OSM object's version, tags and nodes
    extra: dict = field(default_factory=dict)  # values of other place fields, by field name (core.fields.text imports them)
    refused: list[FieldError] = field(default_factory=list)  # why the record cannot be imported (its row is reported, the others go on)

    def place_input(self, licence: str = "") -> dict:
        """Return the place input (as services.create_place takes it) this record describes (places.domain.fields says how)."""
        data = {f.name: value for f in place_fields() if f.imported is not None and (value := f.imported(self)) is not None}
        if licence:
            data["licence"] = licence
        return data


def locate(record: ImportedRecord, geometry) -> ImportedRecord:
    """Put a record at a point inside a GeoJSON geometry, or refuse it with what is wrong with the geometry."""
    point, errors = point_inside(geometry)
    if errors:
        record.refused = errors
    else:
        record.lon, record.lat = point
    return record


def refused_record(row: int, field_name: str, reason: str, external_id: str = "") -> ImportedRecord:
    """Return a record that is reported as an error of its row instead of being imported."""
    return ImportedRecord(external_id=external_id, row=row, refused=[FieldError(field_name, reason)])


def to_float(value) -> float | None:
    """Return a coordinate from a number or a text with a comma or point decimal separator, else None."""
    if value is None or value == "":
        return None
    try:
        return float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
