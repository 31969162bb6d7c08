"""Descriptors of a kind of record's fields: one entry per field, from which every layer derives what it needs (pure).

A `Field` says, for one field, how an input value is cleaned, which model columns hold it, how the state of a
record reads it back, how request bodies and answers type it, which CSV columns and JSON-LD term show it, which
form inputs edit it, which provenance claims it makes and how an imported record gives it. A `FieldSet` is the
ordered list of a kind's fields (`places.domain.fields.PLACE_FIELDS`); services, schemas, representations, forms and
imports walk it instead of writing the shape out again. Offers, events or documents get their own `FieldSet`.
"""

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from foodcommons.core.problems import FieldError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
REQUIRED = ...  # an answer's property without a default


@dataclass
class Cleaning:
    """What a field's rule is given besides its raw value: the world's lookups, the errors so far, the values so far."""

    lookups: Any
    errors: list[FieldError] = field(default_factory=list)
    warnings: list[FieldError] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Shape:
    """How a schema types a field: an annotation (a type, or a name the schema module defines) and its default."""

    annotation: Any
    default: Any = None
    description: str | None = None


@dataclass(frozen=True)
class CsvColumn:
    """One column of the CSV table: its name, its value from the field's value, its Table Schema type."""

    name: str
    value: Callable[[Any], Any]
    type: str = "string"


@dataclass(frozen=True)
class FormInput:
    """One input of a web form (declared, not built: the form layer makes the widget)."""

    name: str
    label: Any
    kind: str = "text"  # text, textarea, number, choice, choices, boolean, website, phone, email
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    choices: Any = None  # a list of (value, label), or the name of a choice source the form layer knows
    initial: Any = None
    required: bool = False


@dataclass(frozen=True)
class FormBinding:
    """The inputs that edit a field, and the conversions between its state value and their values."""

    inputs: tuple[FormInput, ...]
    initial: Callable[[Any], dict]  # state value -> {input: value}
    value: Callable[[dict, Any], Any]  # (cleaned inputs, current state value or None) -> input value


def clean_text(value, where: str, limit: int, errors: list[FieldError]) -> str:
    """Return a text without control characters, trimmed; note an error when it is not a text or too long."""
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.append(FieldError(where, "expected a text"))
        return ""
    text = _CONTROL.sub("", value).strip()
    if len(text) > limit:
        errors.append(FieldError(where, f"longer than {limit} characters"))
    return text


def _same(value):
    return value


@dataclass(frozen=True, kw_only=True)
class Field:
    """One field of a kind of record; a hook left None means the field takes no part in that layer."""

    name: str
    label: Any = None
    # writing: the validation rule (None: read-only), the model columns of the clean value, its words for search
    clean: Callable[[Any, Cleaning], Any] | None = None
    columns: Callable[[Any], dict] | None = None
    search: Callable[[Any], tuple] | None = None
    # reading: the state value of a model instance, given the relations the caller loaded (None: not in the state)
    read: Callable[[Any, Mapping], Any] | None = None
    as_state: Callable[[Any], Any] = _same  # clean value -> value in the state's shape
    # schemas: of request bodies (None: not writable through them) and of answers (None: not in answers)
    body: Shape | None = None
    answer: Shape | None = None
    # outputs
    csv: tuple[CsvColumn, ...] = ()
    jsonld: str | None = None  # the schema.org term of a plain value
    # the contributor form
    form: FormBinding | None = None
    # provenance: {claim key: value} of a state-shaped value (None: not tracked), and the value that clears it
    claims: Callable[[Any], dict] | None = None
    empty: Any = None
    patch: Callable[[str, Any, dict], dict] | None = None  # (claim key, value, current state) -> merge patch
    # imports: the input value an imported record gives (None: imports never set it)
    imported: Callable[[Any], Any] | None = None

    @property
    def writable(self) -> bool:
        return self.clean is not None

    def claim_patch(self, key: str, value, current: dict) -> dict:
        """Return the JSON merge patch that makes claim `key` of this field hold `value` (None clears it)."""
        if self.patch is not None:
            return self.patch(key, value, current)
        return {self.name: value if value is not None else self.empty}


class FieldSet:
    """The ordered fields of one kind of record; `csv_order` keeps the published column order, new fields come after."""

    def __init__(self, fields: tuple[Field, ...], *, csv_order: tuple[str, ...] = ()):
        self.fields = tuple(fields)
        self.csv_order = csv_order
        # A set never changes (with_field makes a new one): what every state and CSV row walks is worked out once.
        ranked = {name: i for i, name in enumerate(csv_order)}
        self._csv_fields = sorted((f for f in self.fields if f.csv), key=lambda f: ranked.get(f.name, len(ranked)))
        self._readers = tuple((f.name, f.read) for f in self.fields if f.read is not None)
        self._csv_cells = tuple((f.name, column.value) for f in self._csv_fields for column in f.csv)
        self._writable = tuple(f for f in self.fields if f.writable)
        self._writable_names = frozenset(f.name for f in self._writable)
        self._cleaners = tuple((f.name, f.clean) for f in self.fields if f.clean is not None)

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    def __getitem__(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def with_field(self, extra: Field) -> "FieldSet":
        """Return this set with one more field at the end (how a test adds a throwaway field)."""
        return FieldSet((*self.fields, extra), csv_order=self.csv_order)

    def writable(self) -> list[Field]:
        return list(self._writable)

    def in_state(self) -> list[Field]:
        return [f for f in self.fields if f.read is not None]

    def csv_columns(self) -> list[CsvColumn]:
        return [column for f in self._csv_fields for column in f.csv]


def clean_values(fields: FieldSet, data: dict, lookups) -> Cleaning:
    """Run every writable field's rule over `data` in the set's order; the result holds values, errors and warnings."""
    writable = fields._writable_names  # worked out once per set: this runs for every record of an import
    cleaning = Cleaning(lookups)
    cleaning.errors.extend(
        FieldError(key, f"unknown field (writable: {', '.join(sorted(writable))})") for key in data if key not in writable
    )
    for name, clean in fields._cleaners:
        cleaning.values[name] = clean(data.get(name), cleaning)
    return cleaning


def record_columns(fields: FieldSet, values: Mapping[str, Any]) -> dict:
    """Return the model column values of clean `values`."""
    columns: dict = {}
    for f in fields:
        if f.columns is not None:
            columns.update(f.columns(values[f.name]))
    return columns


def search_words(fields: FieldSet, values: Mapping[str, Any]) -> list:
    """Return the texts of clean `values` that full-text search indexes, in the set's order."""
    return [word for f in fields if f.search is not None for word in f.search(values[f.name])]


def record_state(fields: FieldSet, record, relations: Mapping) -> dict:
    """Return the state of a model instance: each field the state holds, in the set's order."""
    return {name: read(record, relations) for name, read in fields._readers}


def csv_values(fields: FieldSet, data: Mapping) -> list:
    """Return a representation as a row of the set's CSV columns."""
    return [value(data.get(name)) for name, value in fields._csv_cells]


def claims_of(fields: FieldSet, values: Mapping[str, Any]) -> dict[str, object]:
    """Return {claim key: value} of the non-empty tracked fields of state-shaped `values`."""
    claimed: dict[str, object] = {}
    for f in fields:
        if f.claims is not None:
            claimed.update(f.claims(values.get(f.name)))
    return {k: v for k, v in claimed.items() if v}


def claim_field(fields: FieldSet, key: str) -> Field:
    """Return the field a claim key belongs to ("name.fr" to name)."""
    return fields[key.split(".")[0]]


# Generic descriptors -------------------------------------------------------------------------------------------


def text(name: str, *, column: str | None = None, max_length: int, label=None, description: str | None = None,
         rule: Callable[[str], str | None] | None = None, jsonld: str | None = None, tracked: bool = True,
         searchable: bool = False, widget: str = "text", **overrides) -> Field:
    """Return a plain text field held in one column of the same name (unless `column` says otherwise).

    `rule` returns why a non-empty text is refused, or None; the text is its own CSV column, form input and claim.
    """
    column = column or name

    def clean(value, cleaning: Cleaning) -> str:
        cleaned = clean_text(value, name, max_length, cleaning.errors)
        if cleaned and rule is not None and (reason := rule(cleaned)):
            cleaning.errors.append(FieldError(name, reason))
        return cleaned

    base = Field(
        name=name, label=label, clean=clean, columns=lambda value: {column: value},
        search=(lambda value: (value,)) if searchable else None,
        read=lambda record, relations: getattr(record, column), body=Shape(str | None, None, description),
        answer=Shape(str, REQUIRED), csv=(CsvColumn(name, lambda value: value or ""),), jsonld=jsonld,
        form=FormBinding(
            inputs=(FormInput(name, name if label is None else label, kind=widget, max_length=max_length),),
            initial=lambda value: {name: value or ""}, value=lambda cleaned, current: cleaned.get(name) or "",
        ),
        claims=(lambda value: {name: value or ""}) if tracked else None, empty="",
        imported=lambda record: (getattr(record, "extra", None) or {}).get(name) or None,
    )
    return replace(base, **overrides)


def read_only(name: str, read: Callable[[Any, Mapping], Any], answer: Shape, **overrides) -> Field:
    """Return a field the record keeps itself (identifier, version, times): in the state and answers, never written."""
    return Field(name=name, read=read, answer=answer, **overrides)


def computed(name: str, answer: Shape, **overrides) -> Field:
    """Return a property a representation adds from more than the state (a URL, attributions): in answers only."""
    return Field(name=name, answer=answer, **overrides)
