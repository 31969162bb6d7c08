"""The validation rules of a place's fields, one per field (pure: lookups are passed in, through the Cleaning)."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from foodcommons.core.fields import Cleaning, clean_text
from foodcommons.core.problems import FieldError
from foodcommons.places.domain.contacts import clean_contacts
from foodcommons.places.domain.geometry import CleanGeometry, clean_geometry
from foodcommons.taxonomy.attributes import AttributeSpec, clean_attributes

LANGUAGES = ("fr", "nl", "en")
STATUSES = ("active", "temporarily_closed", "closed")
ADDRESS_FIELDS = ("street", "house_number", "postcode", "locality", "commune")
ADDRESS_LIMITS = {"street": 300, "house_number": 30, "postcode": 10, "locality": 200, "commune": 10}  # the columns' sizes
MAX_NAME, MAX_DESCRIPTION, MAX_CATEGORIES, MAX_AREAS = 300, 10_000, 10, 600
_SPDX = re.compile(r"^[A-Za-z0-9.+-]{2,64}$")


@dataclass
class Lookups:
    """What validation needs to know about the world, given by the caller."""

    category_exists: Callable[[str], bool]
    attribute_specs: Callable[[list[str]], dict[str, AttributeSpec]]
    commune_exists: Callable[[str], bool]
    territory_exists: Callable[[str], bool]


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
        if cleaned := clean_text(text, f"{where}.{lang}", limit, errors):
            result[lang] = cleaned
    return result


def clean_names(value, cleaning: Cleaning) -> dict[str, str]:
    """A name in at least one language."""
    names = _multilingual(value, "name", MAX_NAME, cleaning.errors)
    if not names and not any(e.field.startswith("name") for e in cleaning.errors):
        cleaning.errors.append(FieldError("name", "a name in at least one of fr, nl, en is required"))
    return names


def clean_descriptions(value, cleaning: Cleaning) -> dict[str, str]:
    """Descriptions, in any of the languages."""
    return _multilingual(value, "description", MAX_DESCRIPTION, cleaning.errors)


def clean_categories(value, cleaning: Cleaning) -> list[str]:
    """One to MAX_CATEGORIES known categories, duplicates dropped."""
    errors = cleaning.errors
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        errors.append(FieldError("categories", "expected a non-empty list of category identifiers"))
        return []
    if len(value) > MAX_CATEGORIES:
        errors.append(FieldError("categories", f"at most {MAX_CATEGORIES} categories"))
    unknown = [v for v in value if not cleaning.lookups.category_exists(v)]
    for slug in unknown:
        errors.append(FieldError("categories", f"unknown category '{slug}'"))
    return list(dict.fromkeys(v for v in value if v not in unknown))


def clean_location(value, cleaning: Cleaning) -> CleanGeometry | None:
    """A GeoJSON Point, Polygon or MultiPolygon (places.domain.geometry), or none."""
    geometry, errors, warnings = clean_geometry(value)
    cleaning.errors.extend(errors)
    cleaning.warnings.extend(warnings)
    return geometry


def clean_areas_served(value, cleaning: Cleaning) -> list[str]:
    """Known territories, sorted."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or len(value) > MAX_AREAS:
        cleaning.errors.append(FieldError("areas_served", f"expected a list of at most {MAX_AREAS} NIS codes"))
        return []
    for code in value:
        if not cleaning.lookups.territory_exists(code):
            cleaning.errors.append(FieldError("areas_served", f"unknown territory '{code}'"))
    return sorted(set(value))


def clean_address(value, cleaning: Cleaning) -> dict[str, str]:
    """Street, number, a four-digit postcode, locality and a known commune, each optional."""
    errors = cleaning.errors
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.append(FieldError("address", "expected an object {street, house_number, postcode, locality, commune}"))
        return {}
    for key in value:
        if key not in ADDRESS_FIELDS:
            errors.append(FieldError(f"address.{key}", f"unknown field (known: {', '.join(ADDRESS_FIELDS)})"))
    address = {k: clean_text(value.get(k), f"address.{k}", ADDRESS_LIMITS[k], errors) for k in ADDRESS_FIELDS}
    if address["postcode"] and not re.fullmatch(r"\d{4}", address["postcode"]):
        errors.append(FieldError("address.postcode", "a Belgian postcode has four digits"))
    if address["commune"] and not cleaning.lookups.commune_exists(address["commune"]):
        errors.append(FieldError("address.commune", f"unknown commune NIS code '{address['commune']}'"))
    return {k: v for k, v in address.items() if v}


def clean_contact_list(value, cleaning: Cleaning) -> list[dict]:
    """Websites, e-mail addresses and phone numbers, normalised (places.domain.contacts)."""
    contacts, errors = clean_contacts(value)
    cleaning.errors.extend(errors)
    return contacts


def clean_status(value, cleaning: Cleaning) -> str:
    """One of STATUSES; active when absent."""
    status = value or "active"
    if status not in STATUSES:
        cleaning.errors.append(FieldError("status", f"expected one of {', '.join(STATUSES)}"))
    return status


def clean_place_attributes(value, cleaning: Cleaning) -> dict:
    """The typed attributes the place's categories allow (judged only when the categories are right)."""
    if any(e.field == "categories" for e in cleaning.errors):
        return {}
    specs = cleaning.lookups.attribute_specs(cleaning.values["categories"])
    attributes, errors = clean_attributes(value or {}, specs)
    cleaning.errors.extend(errors)
    return attributes


def clean_licence(value, cleaning: Cleaning) -> str:
    """An SPDX licence identifier, or empty for the instance default."""
    licence = value or ""
    if licence and (not isinstance(licence, str) or not _SPDX.match(licence)):
        cleaning.errors.append(FieldError("licence", "expected an SPDX licence identifier such as ODbL-1.0 or CC0-1.0"))
    return licence
