"""Validation of category-specific attribute values against their definitions (pure, no I/O)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from foodcommons.core.problems import FieldError
from foodcommons.core.values.contacts import normalise_website
from foodcommons.core.values.hours import opening_hours_error


@dataclass(frozen=True)
class AttributeSpec:
    """What one attribute accepts: its type, its choices and bounds."""

    key: str
    type: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False
    category: str = ""
    labels: dict = field(default_factory=dict, compare=False, hash=False)
    choice_labels: dict = field(default_factory=dict, compare=False, hash=False)  # {choice: {language: label}}

    def choice_label(self, choice: str, language: str) -> str:
        """Return the label of one choice in `language` (French, then the code, as fallback)."""
        labels = self.choice_labels.get(choice) or {}
        return labels.get(language[:2]) or labels.get("fr") or choice


# Attribute types whose values are structured (a relation fact with who declared it, …), cleaned by the area that
# defines them (registered in its AppConfig.ready); the contributor form leaves them to that area's own form.
STRUCTURED_TYPES: dict[str, Callable[[AttributeSpec, object], object]] = {}
# How history says a structured value in words: (spec, value, language) -> text.
STRUCTURED_DESCRIPTIONS: dict[str, Callable[[AttributeSpec, object, str], str]] = {}


def register_attribute_type(name: str, clean: Callable[[AttributeSpec, object], object],
                            describe: Callable[[AttributeSpec, object, str], str] | None = None) -> None:
    """Let attributes of type `name` carry structured values that `clean` checks (raising ValueError) and `describe` words."""
    STRUCTURED_TYPES[name] = clean
    if describe is not None:
        STRUCTURED_DESCRIPTIONS[name] = describe


def _number(spec: AttributeSpec, value, cast):
    if isinstance(value, bool):
        raise ValueError("expected a number")
    try:
        number = cast(value) if not isinstance(value, str) else cast(value.strip())
    except (TypeError, ValueError, InvalidOperation):
        raise ValueError("expected a number") from None
    if cast is int and isinstance(value, float) and not value.is_integer():
        raise ValueError("expected a whole number")
    if spec.minimum is not None and number < spec.minimum:
        raise ValueError(f"must be at least {spec.minimum:g}")
    if spec.maximum is not None and number > spec.maximum:
        raise ValueError(f"must be at most {spec.maximum:g}")
    return number


def _clean_one(spec: AttributeSpec, value):
    kind = spec.type
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in {"true", "yes", "oui", "ja", "1", "false", "no", "non", "nee", "0"}:
            return value.strip().lower() in {"true", "yes", "oui", "ja", "1"}
        raise ValueError("expected true or false")
    if kind == "integer":
        return int(_number(spec, value, int))
    if kind == "decimal":
        return float(_number(spec, value, Decimal))
    if kind == "text":
        if not isinstance(value, str) or not value.strip():
            raise ValueError("expected a non-empty text")
        if len(value) > 2000:
            raise ValueError("longer than 2000 characters")
        return value.strip()
    if kind == "choice":
        if value not in spec.choices:
            raise ValueError(f"expected one of {', '.join(spec.choices)}")
        return value
    if kind == "multichoice":
        if not isinstance(value, list) or any(v not in spec.choices for v in value):
            raise ValueError(f"expected a list of {', '.join(spec.choices)}")
        return [c for c in spec.choices if c in value]
    if kind == "date":
        try:
            return datetime.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValueError("expected a date as YYYY-MM-DD") from None
    if kind == "url":
        return normalise_website(value)
    if kind == "opening_hours":
        if not isinstance(value, str) or (error := opening_hours_error(value)):
            raise ValueError(error if isinstance(value, str) else "expected an opening_hours text")
        return value.strip()
    if kind in STRUCTURED_TYPES:
        return STRUCTURED_TYPES[kind](spec, value)
    raise ValueError(f"unknown attribute type {kind}")


def clean_attributes(values: dict, specs: dict[str, AttributeSpec]) -> tuple[dict, list[FieldError]]:
    """Return the cleaned attribute values and the errors, given the specs of the place's categories."""
    cleaned, errors = {}, []
    if not isinstance(values, dict):
        return {}, [FieldError("attributes", "expected an object of attribute values")]
    for key, value in values.items():
        spec = specs.get(key)
        if spec is None:
            known = ", ".join(sorted(specs)) or "none"
            errors.append(FieldError(f"attributes.{key}", f"unknown attribute for these categories (known: {known})"))
            continue
        if value is None or value == "" or value == []:
            continue
        try:
            cleaned[key] = _clean_one(spec, value)
        except ValueError as error:
            errors.append(FieldError(f"attributes.{key}", str(error)))
    for key, spec in specs.items():
        if spec.required and key not in cleaned and not any(e.field == f"attributes.{key}" for e in errors):
            errors.append(FieldError(f"attributes.{key}", "required for this category"))
    return cleaned, errors
