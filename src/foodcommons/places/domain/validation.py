"""Validation of a place as clients send it, into clean values: each field's rule, in the order of places.domain.fields (pure)."""

from dataclasses import dataclass, field
from typing import Any

from foodcommons.core.fields import clean_values
from foodcommons.core.ids import MAX_VERSION
from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.places.domain.fields import place_fields
from foodcommons.places.domain.geometry import CleanGeometry
from foodcommons.places.domain.rules import Lookups


@dataclass
class CleanPlace:
    """A place input that passed validation: the clean value of every writable field, by field name."""

    values: dict[str, Any]
    warnings: list[FieldError] = field(default_factory=list)

    @property
    def names(self) -> dict[str, str]:
        return self.values["name"]

    @property
    def descriptions(self) -> dict[str, str]:
        return self.values["description"]

    @property
    def categories(self) -> list[str]:
        return self.values["categories"]

    @property
    def geometry(self) -> CleanGeometry | None:
        return self.values["geometry"]

    @property
    def areas_served(self) -> list[str]:
        return self.values["areas_served"]

    @property
    def address(self) -> dict[str, str]:
        return self.values["address"]

    @property
    def contacts(self) -> list[dict]:
        return self.values["contacts"]

    @property
    def opening_hours(self) -> str:
        return self.values["opening_hours"]

    @property
    def status(self) -> str:
        return self.values["status"]

    @property
    def attributes(self) -> dict:
        return self.values["attributes"]

    @property
    def licence(self) -> str:
        return self.values["licence"]

    def state_values(self) -> dict[str, Any]:
        """Return the clean values in the shape the state holds them (a geometry as GeoJSON)."""
        return {f.name: f.as_state(self.values[f.name]) for f in place_fields().writable()}


def writable_fields() -> set[str]:
    """Return the names of the fields a client may write."""
    return {f.name for f in place_fields().writable()}


def clean_place(data: dict, lookups: Lookups) -> CleanPlace:
    """Validate a whole place (not a patch); raise InvalidInput naming every bad field."""
    if not isinstance(data, dict):
        raise InvalidInput([FieldError("body", "expected a JSON object")])
    cleaning = clean_values(place_fields(), data, lookups)
    if cleaning.errors:
        raise InvalidInput(cleaning.errors)
    return CleanPlace(cleaning.values, cleaning.warnings)


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
    writable = writable_fields()
    merged = {k: v for k, v in current.items() if k in writable}
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
