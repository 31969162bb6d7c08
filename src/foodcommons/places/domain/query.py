"""Place queries: the filters of a search over places, their parse rules, and pagination cursors (pure, no I/O).

A filter is one `Filter` entry: its parameter name, its parse rule (pure, here or in the registering app) and
its condition (a Q over places, applied by `places.selectors.matching_places`). The filters of places are
registered by `places.filters`; other apps register theirs in their AppConfig.ready (imports: `source`,
collaboration: `stale`). Every reader of places (API, map, directory, OGC, Atom, upkeep) parses and applies
the same entries, so a filter means the same everywhere.
"""

import base64
import binascii
import datetime as dt
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from foodcommons.core.problems import FieldError, InvalidInput

DEFAULT_LIMIT, MAX_LIMIT = 50, 1000
STATUSES = ("active", "temporarily_closed", "closed")
MAX_TEXT = 200
MAX_FRESH_DAYS = 3650
TRUE, FALSE = ("1", "true", "on", "yes"), ("0", "false", "off", "no")
ATTRIBUTE_KEY = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")


@dataclass(frozen=True)
class Filter:
    """One filter of place queries: its parameter, its parse rule and its condition."""

    name: str
    # The raw values given for the parameter (never empty) -> the filter's value, or None for "no filter".
    parse: Callable[[list[str]], object]
    # The value and the whole query -> a condition on places (a Q or a boolean expression); built by selectors.
    condition: Callable[[Any, "PlaceQuery"], Any]
    description: str
    many: bool = False  # a repeatable parameter
    schema: dict = field(default_factory=dict)  # JSON Schema of one value, for the API's documentation
    annotation: type = str  # the type of one value as the API declares it (str, int, bool)


FILTERS: dict[str, Filter] = {}


def register_filter(entry: Filter) -> Filter:
    """Make a filter known to every query of places (idempotent, so that ready() may run twice)."""
    FILTERS[entry.name] = entry
    return entry


@dataclass(frozen=True)
class PlaceQuery:
    """A validated search over places: filters by name (see FILTERS), and the order and page of the answer."""

    filters: tuple[tuple[str, object], ...] = ()
    near: tuple[float, float] | None = None
    limit: int = DEFAULT_LIMIT
    after: tuple = field(default=())

    def get(self, name: str, default=None):
        """Return the value of one filter, or `default` when the query does not filter on it."""
        return next((value for key, value in self.filters if key == name), default)

    def with_filters(self, **values) -> "PlaceQuery":
        """Return this query with some filters set (None removes one)."""
        kept = [(k, v) for k, v in self.filters if k not in values]
        return replace(self, filters=(*kept, *((k, v) for k, v in values.items() if v is not None)))

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        return self.get("bbox")

    @property
    def text(self) -> str:
        return self.get("q", "")

    @property
    def categories(self) -> tuple[str, ...]:
        return self.get("category", ())

    @property
    def territory(self) -> str:
        return self.get("territory", "")

    @property
    def statuses(self) -> tuple[str, ...]:
        return self.get("status", ())

    @property
    def attributes(self) -> tuple[tuple[str, object], ...]:
        return self.get("attr", ())

    @property
    def fresh_days(self) -> int | None:
        return self.get("fresh")


def _floats(value: str, count: int, name: str, shape: str) -> list[float]:
    parts = value.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) != count or not all(math.isfinite(n) for n in numbers):
        raise InvalidInput([FieldError(name, f"expected {shape} as {count} comma-separated numbers")])
    return numbers


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """Parse `west,south,east,north` in degrees."""
    west, south, east, north = _floats(value, 4, "bbox", "west,south,east,north")
    errors = []
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        errors.append(FieldError("bbox", "longitudes must be within [-180, 180]"))
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        errors.append(FieldError("bbox", "latitudes must be within [-90, 90]"))
    if west > east or south > north:
        errors.append(FieldError("bbox", "west must not exceed east, nor south north"))
    if errors:
        raise InvalidInput(errors)
    return west, south, east, north


def parse_near(value: str) -> tuple[float, float]:
    """Parse `lon,lat` in degrees."""
    lon, lat = _floats(value, 2, "near", "lon,lat")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInput([FieldError("near", "lon must be within [-180, 180] and lat within [-90, 90]")])
    return lon, lat


def _instant(text: str, *, end: bool, name: str) -> dt.datetime | None:
    if text in ("", ".."):
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that Python accepts (up to ±23:59).
        value = value.astimezone(dt.UTC)
        if len(text) == 10 and end:
            value += dt.timedelta(days=1) - dt.timedelta(microseconds=1)
    except ValueError:
        raise InvalidInput([FieldError(name, "expected an RFC 3339 date-time, or an interval start/end with '..' for open ends")]) from None
    except OverflowError:
        raise InvalidInput([FieldError(name, "outside the years 1 to 9999 once in UTC")]) from None
    return value


def parse_interval(value: str, name: str = "updated") -> tuple[dt.datetime | None, dt.datetime | None]:
    """Parse an instant (a whole day for a date) or an interval `start/end` (open ends: `..` or empty)."""
    if "/" in value:
        start, _, end = value.partition("/")
        since, until = _instant(start, end=False, name=name), _instant(end, end=True, name=name)
        if since and until and since > until:
            raise InvalidInput([FieldError(name, "the start is after the end")])
        return since, until
    instant = _instant(value, end=False, name=name)
    if instant is None:
        raise InvalidInput([FieldError(name, "expected a date-time or an interval")])
    return instant, _instant(value, end=True, name=name) if len(value) == 10 else instant


# Parse rules of the filters of places: each takes the raw values of its parameter (never empty).

def last_bbox(values: list[str]) -> tuple[float, float, float, float]:
    """Parse the bbox parameter."""
    return parse_bbox(values[-1])


def words(values: list[str]) -> str | None:
    """Parse the q parameter: words to find."""
    if len(values[-1]) > MAX_TEXT:
        raise InvalidInput([FieldError("q", f"longer than {MAX_TEXT} characters")])
    return values[-1].strip() or None


def identifiers(values: list[str]) -> tuple[str, ...]:
    """Parse a repeatable parameter of identifiers (categories, sources)."""
    return tuple(values)


def territory_code(values: list[str]) -> str | None:
    """Parse the territory parameter: a NIS code."""
    return values[-1].strip() or None


def statuses(values: list[str]) -> tuple[str, ...]:
    """Parse the repeatable status parameter."""
    if any(v not in STATUSES for v in values):
        raise InvalidInput([FieldError("status", f"expected one of {', '.join(STATUSES)}")])
    return tuple(values)


def _attribute(raw: str) -> tuple[str, object] | None:
    key, sep, value = raw.partition(":")
    key, value = key.strip(), value.strip()
    # The key becomes a JSON path of the lookup: a plain snake_case name, never an ORM operator (`__`).
    if not sep or not value or not ATTRIBUTE_KEY.fullmatch(key):
        return None
    return key, {"true": True, "false": False}.get(value.lower(), value)


def attribute_values(values: list[str]) -> tuple[tuple[str, object], ...]:
    """Parse the repeatable attr parameter: `key:value`, true and false as booleans."""
    parsed = [_attribute(v) for v in values]
    if None in parsed:
        raise InvalidInput([FieldError("attr", "expected key:value")])
    return tuple(parsed)  # type: ignore[arg-type]


def days(values: list[str]) -> int:
    """Parse the fresh parameter: a number of days."""
    raw = values[-1]
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_FRESH_DAYS:
        raise InvalidInput([FieldError("fresh", f"expected an integer from 1 to {MAX_FRESH_DAYS}")])
    return int(raw)


def boolean(name: str) -> Callable[[list[str]], bool]:
    """Return the parse rule of a yes/no parameter."""

    def parse(values: list[str]) -> bool:
        raw = values[-1].lower()
        if raw not in TRUE + FALSE:
            raise InvalidInput([FieldError(name, "expected true or false")])
        return raw in TRUE

    return parse


def interval(values: list[str]) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Parse the updated parameter: an instant or an interval of the last change."""
    return parse_interval(values[-1], "updated")


def _raw_values(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, bool):
        return ["true" if value else "false"]
    values = value if isinstance(value, (list, tuple)) else [value]
    return [str(v) for v in values if v is not None and str(v) != ""]


def parse_filters(params: Mapping[str, Any]) -> tuple[tuple[str, object], ...]:
    """Validate the known filters among `params` (name -> a value or a list of values); every error at once."""
    errors: list[FieldError] = []
    parsed: list[tuple[str, object]] = []
    for name, entry in FILTERS.items():
        values = _raw_values(params.get(name))
        if not values:
            continue
        try:
            value = entry.parse(values if entry.many else values[-1:])
        except InvalidInput as problem:
            errors.extend(problem.errors)
            continue
        if value is not None:
            parsed.append((name, value))
    if errors:
        raise InvalidInput(errors)
    return tuple(parsed)


def encode_cursor(kind: str, after: tuple) -> str:
    """Return an opaque cursor that resumes a listing after the given sort key."""
    raw = json.dumps({"k": kind, "a": list(after)}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(value: str, kind: str) -> tuple:
    """Return the sort key a cursor resumes after, for a listing sorted by `kind`."""
    bad = InvalidInput([FieldError("cursor", "not a cursor this listing gave (it may belong to another sort order)")])
    try:
        data = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise bad from None
    after = data.get("a") if isinstance(data, dict) else None
    if data.get("k") != kind or not isinstance(after, list):
        raise bad
    expected = {"id": (int,), "near": (float | int, int)}[kind]
    if len(after) != len(expected) or not all(isinstance(v, t) and not isinstance(v, bool) for v, t in zip(after, expected, strict=True)):
        raise bad
    return tuple(after)


def parse_place_query(*, near=None, limit=None, cursor=None, **filters) -> PlaceQuery:
    """Validate raw search parameters (the filters by name, the order and the page) into a PlaceQuery."""
    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise TypeError(f"unknown filters of places: {', '.join(unknown)}")
    errors: list[FieldError] = []
    if limit is None:
        limit = DEFAULT_LIMIT
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        errors.append(FieldError("limit", f"expected an integer from 1 to {MAX_LIMIT}"))
    try:
        parsed = parse_filters(filters)
    except InvalidInput as problem:
        errors.extend(problem.errors)
    if errors:
        raise InvalidInput(errors)
    near_point = parse_near(near) if near else None
    return PlaceQuery(
        filters=parsed,
        near=near_point,
        limit=limit,
        after=decode_cursor(cursor, "near" if near_point else "id") if cursor else (),
    )
