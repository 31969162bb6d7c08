"""The fields of a place, once: everything that stores, shows, edits, tracks or imports a place derives from here.

Adding a field to places: the model column and its migration, one entry below (with its rule in
places.domain.rules when it has one). Services, revision state, API schemas, JSON/GeoJSON/CSV/JSON-LD,
the contributor form, provenance and import records walk PLACE_FIELDS; `core.fields.text` covers a plain text.
Names in a `Shape` annotation written as a string ("AddressIn") are the schemas of places.schemas.
"""

import re
from collections.abc import Callable
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from foodcommons.core.fields import (
    REQUIRED,
    CsvColumn,
    Field,
    FieldSet,
    FormBinding,
    FormInput,
    Shape,
    computed,
    read_only,
    text,
)
from foodcommons.core.values.hours import opening_hours_error
from foodcommons.places.domain import rules
from foodcommons.places.domain.contacts import usable_contacts
from foodcommons.places.domain.privacy import published_contacts
from foodcommons.places.domain.rules import LANGUAGES, STATUSES

ADDRESS_PARTS = ("street", "house_number", "postcode", "locality")  # the address columns; the commune is its own
STATUS_LABELS = {
    "active": pgettext_lazy("place status", "active"), "temporarily_closed": pgettext_lazy("place status", "temporarily closed"),
    "closed": pgettext_lazy("place status", "closed"),
}
LANGUAGE_NAMES = {"fr": _("Name (French)"), "nl": _("Name (Dutch)"), "en": _("Name (English)")}
DESCRIPTION_NAMES = {"fr": _("Description (French, Markdown)"), "nl": _("Description (Dutch, Markdown)"), "en": _("Description (English, Markdown)")}
# The contacts the form edits: (kind, input name, label); each has a "<input>_private" box.
FORM_CONTACTS = (("website", "website", _("Website")), ("phone", "phone", _("Phone")), ("email", "contact_email", _("E-mail address of the place")))


def _texts(prefix: str):
    """Read the non-empty texts of a multilingual field held in <prefix>_fr, _nl, _en columns."""
    return lambda place, relations: {k: v for k in LANGUAGES if (v := getattr(place, f"{prefix}_{k}"))}


def _per_language(prefix: str):
    keys = [(f"{prefix}.{lang}", lang) for lang in LANGUAGES]  # named once: this runs for every field of every record imported
    return lambda value: {key: value.get(lang, "") for key, lang in keys} if value else dict.fromkeys((k for k, _ in keys), "")


def _language_patch(key: str, value, current: dict) -> dict:
    top, lang = key.split(".")
    return {top: {lang: value}}


def _key(key: str) -> Callable[[dict], str]:
    """Read one key of an object value, empty when absent (a CSV column of names or of an address)."""
    return lambda value: value.get(key, "")


def _geometry_columns(geometry) -> dict:
    return {
        "geometry_type": geometry.geojson["type"] if geometry else "",
        "lon": geometry.lon if geometry else None,
        "lat": geometry.lat if geometry else None,
        "min_lon": geometry.bbox[0] if geometry else None,
        "min_lat": geometry.bbox[1] if geometry else None,
        "max_lon": geometry.bbox[2] if geometry else None,
        "max_lat": geometry.bbox[3] if geometry else None,
        "shape": None if not geometry or geometry.is_point else geometry.geojson["coordinates"],
    }


def _point(geometry: dict | None) -> list:
    geometry = geometry or {}
    return list(geometry["coordinates"][:2]) if geometry.get("type") == "Point" else [None, None]


def _coordinate(index: int) -> Callable[[dict | None], Any]:
    """Read the longitude (0) or latitude (1) of a Point, empty for an area or no location (a CSV column)."""
    def read(geometry: dict | None):
        geometry = geometry or {}
        return geometry["coordinates"][index] if geometry.get("type") == "Point" else ""
    return read


def _form_point(cleaned: dict, current):
    if cleaned.get("lon") is not None and cleaned.get("lat") is not None:
        return {"type": "Point", "coordinates": [cleaned["lon"], cleaned["lat"]]}
    return None


def _imported_point(record):
    if record.lon is not None and record.lat is not None:
        return {"type": "Point", "coordinates": [round(record.lon, 7), round(record.lat, 7)]}
    return None


def _read_address(place, relations) -> dict:
    address = {**{k: getattr(place, k) for k in ADDRESS_PARTS}, "commune": place.commune_id or ""}
    return {k: v for k, v in address.items() if v}


def _address_claim(value) -> dict:
    return {"address": {k: v for k, v in (value or {}).items() if k != "commune"}}


def _address_patch(key: str, value, current: dict) -> dict:
    old = current.get("address", {})
    return {"address": {**{k: None for k in old if k != "commune"}, **(value or {})}}


def _imported_address(record):
    address = {
        "street": record.street, "house_number": record.house_number,
        "postcode": record.postcode if re.fullmatch(r"\d{4}", record.postcode or "") else "", "locality": record.locality,
    }
    return {k: v for k, v in address.items() if v} or None


def _address_inputs() -> tuple[FormInput, ...]:
    labels = {"street": _("Street"), "house_number": _("Number"), "postcode": _("Postcode"), "locality": _("Locality")}
    return tuple(FormInput(k, labels[k], max_length=rules.ADDRESS_LIMITS[k]) for k in ADDRESS_PARTS)


def _contact_kind(kind: str):
    return lambda contacts: " ".join(c["value"] for c in contacts or [] if c["kind"] == kind)


def _contacts_initial(contacts) -> dict:
    """The first public contact of each kind the form edits (private ones are not shown: anyone may open the form)."""
    shown = published_contacts(contacts)
    values = {}
    for kind, name, _label in FORM_CONTACTS:
        values[name] = next((c["value"] for c in shown if c["kind"] == kind), "")
        values[f"{name}_private"] = False
    return values


def _form_contacts(cleaned: dict, current) -> list[dict]:
    # The form edits the first public contact of each kind: private contacts and the others are kept as they are.
    kept, replaced = [], set()
    for contact in current or []:
        if not contact.get("private") and contact["kind"] in {k for k, _n, _l in FORM_CONTACTS} and contact["kind"] not in replaced:
            replaced.add(contact["kind"])
            continue
        kept.append(contact)
    added = [{"kind": kind, "value": cleaned[name], **({"private": True} if cleaned.get(f"{name}_private") else {})}
             for kind, name, _label in FORM_CONTACTS if cleaned.get(name)]
    return kept + added


def _contact_inputs() -> tuple[FormInput, ...]:
    inputs: list[FormInput] = []
    for kind, name, label in FORM_CONTACTS:
        inputs += [FormInput(name, label, kind=kind, max_length=500),
                   FormInput(f"{name}_private", _("Keep private (only moderators and maintainers see it)"), kind="boolean")]
    return tuple(inputs)


def _imported_hours(record):
    return record.opening_hours if record.opening_hours and not opening_hours_error(record.opening_hours) else None


NAME = Field(
    name="name", label=_("Name"), clean=rules.clean_names,
    columns=lambda names: {f"name_{lang}": names.get(lang, "") for lang in LANGUAGES},
    search=lambda names: tuple(names.values()), read=_texts("name"),
    body=Shape("Multilingual | None", None, 'At least one language: {"fr": "…", "nl": "…", "en": "…"}'),
    answer=Shape(dict[str, str], REQUIRED),
    csv=tuple(CsvColumn(f"name_{lang}", _key(lang)) for lang in LANGUAGES),
    form=FormBinding(
        inputs=tuple(FormInput(f"name_{lang}", LANGUAGE_NAMES[lang], max_length=rules.MAX_NAME) for lang in LANGUAGES),
        initial=lambda names: {f"name_{k}": (names or {}).get(k, "") for k in LANGUAGES},
        value=lambda cleaned, current: {k: cleaned[f"name_{k}"] for k in LANGUAGES if cleaned.get(f"name_{k}")},
    ),
    claims=_per_language("name"), patch=_language_patch,
    imported=lambda record: {record.language: record.name},
)

DESCRIPTION = Field(
    name="description", label=_("Description"), clean=rules.clean_descriptions,
    columns=lambda texts: {f"description_{lang}": texts.get(lang, "") for lang in LANGUAGES},
    search=lambda texts: tuple(texts.values()), read=_texts("description"),
    body=Shape("Multilingual | None"), answer=Shape(dict[str, str], REQUIRED),
    form=FormBinding(
        inputs=tuple(FormInput(f"description_{lang}", DESCRIPTION_NAMES[lang], kind="textarea") for lang in LANGUAGES),
        initial=lambda texts: {f"description_{k}": (texts or {}).get(k, "") for k in LANGUAGES},
        value=lambda cleaned, current: {k: cleaned[f"description_{k}"] for k in LANGUAGES if cleaned.get(f"description_{k}")},
    ),
    claims=_per_language("description"), patch=_language_patch,
    imported=lambda record: {record.language: record.description[:rules.MAX_DESCRIPTION]} if record.description else None,
)

CATEGORIES = Field(
    name="categories", label=_("Categories"), clean=rules.clean_categories,
    read=lambda place, relations: relations["categories"],
    body=Shape(list[str] | None, None, "Category identifiers (see /api/categories)"), answer=Shape(list[str], REQUIRED),
    csv=(CsvColumn("categories", lambda slugs: "|".join(slugs)),),
    form=FormBinding(
        inputs=(FormInput("categories", _("Categories"), kind="choices", choices="categories"),),
        initial=lambda slugs: {"categories": slugs or []},
        value=lambda cleaned, current: list(cleaned.get("categories") or []),
    ),
    claims=lambda slugs: {"categories": list(slugs or [])}, empty=[],
    imported=lambda record: list(record.categories),
)

GEOMETRY = Field(
    name="geometry", label=_("Location"), clean=rules.clean_location, columns=_geometry_columns,
    read=lambda place, relations: place.geometry(), as_state=lambda geometry: geometry.geojson if geometry else None,
    body=Shape("GeometryIn | None", None, "GeoJSON Point, Polygon or MultiPolygon, lon/lat (WGS 84)"),
    answer=Shape(dict[str, Any] | None, REQUIRED),
    csv=(
        CsvColumn("lon", _coordinate(0), "number"),
        CsvColumn("lat", _coordinate(1), "number"),
        CsvColumn("geometry_type", lambda g: (g or {}).get("type", "")),
    ),
    form=FormBinding(
        inputs=(FormInput("lon", _("Longitude"), kind="number", minimum=-180, maximum=180),
                FormInput("lat", _("Latitude"), kind="number", minimum=-90, maximum=90)),
        initial=lambda g: dict(zip(("lon", "lat"), _point(g), strict=True)), value=_form_point,
    ),
    claims=lambda geometry: {"geometry": geometry}, imported=_imported_point,
)

AREAS_SERVED = Field(
    name="areas_served", label=_("Areas served"), clean=rules.clean_areas_served,
    read=lambda place, relations: relations["areas_served"],
    body=Shape(list[str] | None, None, "NIS codes of the territories served"), answer=Shape(list[str], REQUIRED),
)

ADDRESS = Field(
    name="address", label=_("Address"), clean=rules.clean_address,
    columns=lambda address: {k: address.get(k, "") for k in ADDRESS_PARTS},
    search=lambda address: (address.get("street"), address.get("locality"), address.get("postcode")),
    read=_read_address, body=Shape("AddressIn | None"), answer=Shape(dict[str, str], REQUIRED),
    csv=tuple(CsvColumn(k, _key(k)) for k in (*ADDRESS_PARTS, "commune")),
    form=FormBinding(
        inputs=_address_inputs(), initial=lambda address: {k: (address or {}).get(k, "") for k in ADDRESS_PARTS},
        value=lambda cleaned, current: {k: cleaned[k] for k in ADDRESS_PARTS if cleaned.get(k)},
    ),
    claims=_address_claim, patch=_address_patch, imported=_imported_address,
)

CONTACTS = Field(
    name="contacts", label=_("Contacts"), clean=rules.clean_contact_list, columns=lambda contacts: {"contacts": contacts},
    read=lambda place, relations: place.contacts or [],
    body=Shape("list[ContactIn] | None"), answer=Shape("list[ContactOut]", REQUIRED),
    csv=tuple(CsvColumn(kind, _contact_kind(kind)) for kind in ("website", "email", "phone")),
    form=FormBinding(inputs=_contact_inputs(), initial=_contacts_initial, value=_form_contacts),
    claims=lambda contacts: {"contacts": [{"kind": c["kind"], "value": c["value"]} for c in contacts or []]}, empty=[],
    imported=lambda r: usable_contacts({"website": r.website, "phone": r.phone, "email": r.email}) or None,
)

OPENING_HOURS = text(
    "opening_hours", max_length=1000, label=_("Opening hours (OpenStreetMap syntax)"),
    description="OpenStreetMap opening_hours syntax", rule=opening_hours_error, jsonld="openingHours",
    imported=_imported_hours,
)

STATUS = Field(
    name="status", label=_("Status"), clean=rules.clean_status, columns=lambda status: {"status": status},
    read=lambda place, relations: place.status, body=Shape(Literal[STATUSES] | None), answer=Shape(str, REQUIRED),
    csv=(CsvColumn("status", lambda status: status),),
    form=FormBinding(
        inputs=(FormInput("status", _("Status"), kind="choice", choices=list(STATUS_LABELS.items()), initial="active", required=True),),
        initial=lambda status: {"status": status or "active"}, value=lambda cleaned, current: cleaned.get("status") or "active",
    ),
)

ATTRIBUTES = Field(
    name="attributes", label=_("Attributes"), clean=rules.clean_place_attributes,
    columns=lambda attributes: {"attributes": attributes}, read=lambda place, relations: place.attributes or {},
    body=Shape(dict[str, Any] | None, None, "Category-specific attributes (see /api/categories)"),
    answer=Shape(dict[str, Any], REQUIRED),
)

LICENCE = Field(
    name="licence", label=_("Licence"), clean=rules.clean_licence, columns=lambda licence: {"licence": licence},
    read=lambda place, relations: place.licence,
    body=Shape(str | None, None, "SPDX identifier; the instance default when absent"), answer=Shape(str, REQUIRED),
    csv=(CsvColumn("licence", lambda licence: licence),),
)


def _time(name: str, answer: Shape, csv: bool = False) -> Field:
    def read(place, relations) -> str | None:
        value = getattr(place, name)
        return value.isoformat() if value else None

    column = (CsvColumn(name, lambda value: value or "", "datetime"),) if csv else ()
    return read_only(name, read, answer, csv=column)


PLACE_FIELDS = FieldSet(
    (
        read_only("id", lambda place, relations: place.public_id, Shape(str, REQUIRED), csv=(CsvColumn("id", lambda v: v),)),
        computed("url", Shape(str, REQUIRED)),
        read_only("version", lambda place, relations: place.version, Shape(int, REQUIRED), csv=(CsvColumn("version", lambda v: v, "integer"),)),
        NAME, DESCRIPTION, CATEGORIES, GEOMETRY, AREAS_SERVED, ADDRESS,
        computed("territories", Shape(list[str], REQUIRED, "NIS codes of the commune and the territories containing it")),
        CONTACTS, OPENING_HOURS, STATUS, ATTRIBUTES, LICENCE,
        computed("attribution", Shape(list[str], REQUIRED), csv=(CsvColumn("attribution", lambda texts: " ; ".join(texts)),)),
        computed("sources", Shape("list[SourceRecordOut]", REQUIRED)),
        _time("created_at", Shape(str, REQUIRED)),
        _time("updated_at", Shape(str, REQUIRED), csv=True),
        _time("last_confirmed", Shape(str | None, REQUIRED), csv=True),
        read_only("deleted", lambda place, relations: place.deleted_at is not None, Shape(bool, REQUIRED)),
        computed("distance_m", Shape(float | None, None)),
    ),
    # The CSV columns as published since the first dump; a new field's columns come after them, so readers by position go on.
    csv_order=("id", "version", "name", "categories", "geometry", "address", "status", "opening_hours", "contacts",
               "licence", "attribution", "updated_at", "last_confirmed"),
)


def place_fields() -> FieldSet:
    """Return the fields of a place (read at call time, so a test can add one)."""
    return PLACE_FIELDS


# Labels of the parts of a field a change names by a dotted path ("name.fr", "address.commune"), in the reader's language.
DESCRIPTION_NAMES = {"fr": _("Description (French)"), "nl": _("Description (Dutch)"), "en": _("Description (English)")}
ADDRESS_LABELS = {"street": _("Street"), "house_number": _("Number"), "postcode": _("Postcode"), "locality": _("Locality"), "commune": _("Commune")}
CHANGE_LABELS = {"opening_hours": _("Opening hours"), "deleted": _("Removed"), "territories": _("Territories")}


def change_label(path: str, attribute_label: Callable[[str], str | None] = lambda key: None):
    """Return the label of a field or field part named by a dotted path; `attribute_label` names a category attribute."""
    top, _dot, part = path.partition(".")
    if top == "name" and part in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[part]
    if top == "description" and part in DESCRIPTION_NAMES:
        return DESCRIPTION_NAMES[part]
    if top == "address" and part in ADDRESS_LABELS:
        return ADDRESS_LABELS[part]
    if top == "attributes" and part:
        return attribute_label(part) or part
    if path in CHANGE_LABELS:
        return CHANGE_LABELS[path]
    found = next((f for f in place_fields() if f.name == top), None)
    return found.label if found is not None and found.label is not None else path
