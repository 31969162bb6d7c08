"""Validation of a place as clients send it, into clean values (pure: lookups are passed in)."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.core.values.hours import opening_hours_error
from foodcommons.places.domain.contacts import clean_contacts
from foodcommons.places.domain.geometry import CleanGeometry, clean_geometry
from foodcommons.taxonomy.attributes import AttributeSpec, clean_attributes

LANGUAGES = ("fr", "nl", "en")
STATUSES = ("active", "temporarily_closed", "closed")
WRITABLE_FIELDS = {
    "name", "description", "categories", "geometry", "areas_served", "address",
    "contacts", "opening_hours", "status", "attributes", "licence",
}
ADDRESS_FIELDS = ("street", "house_number", "postcode", "locality", "commune")
ADDRESS_LIMITS = {"street": 300, "house_number": 30, "postcode": 10, "locality": 200, "commune": 10}  # the columns' sizes
MAX_NAME, MAX_DESCRIPTION, MAX_CATEGORIES, MAX_AREAS = 300, 10_000, 10, 600
MAX_VERSION = 2_147_483_647  # versions are 32-bit integer columns on every database
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPDX = re.compile(r"^[A-Za-z0-9.+-]{2,64}$")


@dataclass
class Lookups:
    """What validation needs to know about the world, given by the caller."""

    category_exists: Callable[[str], bool]
    attribute_specs: Callable[[list[str]], dict[str, AttributeSpec]]
    commune_exists: Callable[[str], bool]
    territory_exists: Callable[[str], bool]


@dataclass
class CleanPlace:
    """A place input that passed validation."""

    names: dict[str, str]
    descriptions: dict[str, str]
    categories: list[str]
    geometry: CleanGeometry | None
    areas_served: list[str]
    address: dict[str, str]
    contacts: list[dict]
    opening_hours: str
    status: str
    attributes: dict
    licence: str
    warnings: list[FieldError] = field(default_factory=list)


def _text(value, where: str, limit: int, errors: list[FieldError]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.append(FieldError(where, "expected a text"))
        return ""
    text = _CONTROL.sub("", value).strip()
    if len(text) > limit:
        errors.append(FieldError(where, f"longer than {limit} characters"))
    return text


def _multilingual(value, where: str, limit: int, errors: list[FieldError]) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        value = {"fr": value}
    if not isinstance(value, dict):
        errors.append(FieldError(where, 'expected an object such as {"fr": "…", "nl": "…", "en": "…"}'))
        return {}
    result = {}
    for lang, text in value.items():
        if lang not in LANGUAGES:
            errors.append(FieldError(f"{where}.{lang}", "language must be one of fr, nl, en"))
            continue
        if cleaned := _text(text, f"{where}.{lang}", limit, errors):
            result[lang] = cleaned
    return result


def _categories(value, lookups: Lookups, errors: list[FieldError]) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        errors.append(FieldError("categories", "expected a non-empty list of category identifiers"))
        return []
    if len(value) > MAX_CATEGORIES:
        errors.append(FieldError("categories", f"at most {MAX_CATEGORIES} categories"))
    unknown = [v for v in value if not lookups.category_exists(v)]
    for slug in unknown:
        errors.append(FieldError("categories", f"unknown category '{slug}'"))
    return list(dict.fromkeys(v for v in value if v not in unknown))


def _territories(value, lookups: Lookups, errors: list[FieldError]) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or len(value) > MAX_AREAS:
        errors.append(FieldError("areas_served", f"expected a list of at most {MAX_AREAS} NIS codes"))
        return []
    for code in value:
        if not lookups.territory_exists(code):
            errors.append(FieldError("areas_served", f"unknown territory '{code}'"))
    return sorted(set(value))


def _address(value, lookups: Lookups, errors: list[FieldError]) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.append(FieldError("address", "expected an object {street, house_number, postcode, locality, commune}"))
        return {}
    for key in value:
        if key not in ADDRESS_FIELDS:
            errors.append(FieldError(f"address.{key}", f"unknown field (known: {', '.join(ADDRESS_FIELDS)})"))
    address = {k: _text(value.get(k), f"address.{k}", ADDRESS_LIMITS[k], errors) for k in ADDRESS_FIELDS}
    if address["postcode"] and not re.fullmatch(r"\d{4}", address["postcode"]):
        errors.append(FieldError("address.postcode", "a Belgian postcode has four digits"))
    if address["commune"] and not lookups.commune_exists(address["commune"]):
        errors.append(FieldError("address.commune", f"unknown commune NIS code '{address['commune']}'"))
    return {k: v for k, v in address.items() if v}


def clean_place(data: dict, lookups: Lookups) -> CleanPlace:
    """Validate a whole place (not a patch); raise InvalidInput naming every bad field."""
    if not isinstance(data, dict):
        raise InvalidInput([FieldError("body", "expected a JSON object")])
    errors: list[FieldError] = [
        FieldError(key, f"unknown field (writable: {', '.join(sorted(WRITABLE_FIELDS))})")
        for key in data
        if key not in WRITABLE_FIELDS
    ]
    names = _multilingual(data.get("name"), "name", MAX_NAME, errors)
    if not names and not any(e.field.startswith("name") for e in errors):
        errors.append(FieldError("name", "a name in at least one of fr, nl, en is required"))
    descriptions = _multilingual(data.get("description"), "description", MAX_DESCRIPTION, errors)
    categories = _categories(data.get("categories"), lookups, errors)
    geometry, geometry_errors, warnings = clean_geometry(data.get("geometry"))
    errors.extend(geometry_errors)
    areas = _territories(data.get("areas_served"), lookups, errors)
    address = _address(data.get("address"), lookups, errors)
    contacts, contact_errors = clean_contacts(data.get("contacts"))
    errors.extend(contact_errors)
    hours = _text(data.get("opening_hours"), "opening_hours", 1000, errors)
    if hours and (reason := opening_hours_error(hours)):
        errors.append(FieldError("opening_hours", reason))
    status = data.get("status") or "active"
    if status not in STATUSES:
        errors.append(FieldError("status", f"expected one of {', '.join(STATUSES)}"))
    if not any(e.field == "categories" for e in errors):
        # Which attributes are allowed depends on the categories: judge them only when those are right.
        attributes, attribute_errors = clean_attributes(data.get("attributes") or {}, lookups.attribute_specs(categories))
        errors.extend(attribute_errors)
    licence = data.get("licence") or ""
    if licence and (not isinstance(licence, str) or not _SPDX.match(licence)):
        errors.append(FieldError("licence", "expected an SPDX licence identifier such as ODbL-1.0 or CC0-1.0"))
    if errors:
        raise InvalidInput(errors)
    return CleanPlace(names, descriptions, categories, geometry, areas, address, contacts, hours, status, attributes, licence, warnings)


def version_error(value) -> str | None:
    """Return why a version a client names cannot be a place's version (1 to MAX_VERSION), or None."""
    if not isinstance(value, int) or isinstance(value, bool):
        return "expected an integer"
    if not 1 <= value <= MAX_VERSION:
        return f"a version is an integer from 1 to {MAX_VERSION}"
    return None


def merge_patch(current: dict, patch: dict) -> dict:
    """Apply a JSON merge patch (RFC 7396) to the writable part of a place's state."""
    if not isinstance(patch, dict):
        raise InvalidInput([FieldError("body", "expected a JSON object")])
    merged = {k: v for k, v in current.items() if k in WRITABLE_FIELDS}
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict) and key != "geometry":
            inner = dict(merged[key])
            for k, v in value.items():
                if v is None:
                    inner.pop(k, None)
                else:
                    inner[k] = v
            merged[key] = inner
        elif value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged

