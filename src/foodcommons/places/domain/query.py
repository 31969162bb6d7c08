"""Parsing of place-search parameters and of pagination cursors (pure, no I/O)."""

import base64
import binascii
import json
import math
from dataclasses import dataclass, field

from foodcommons.core.problems import FieldError, InvalidInput

DEFAULT_LIMIT, MAX_LIMIT = 50, 1000
STATUSES = ("active", "temporarily_closed", "closed")


@dataclass(frozen=True)
class PlaceQuery:
    """A validated search over places."""

    bbox: tuple[float, float, float, float] | None = None
    text: str = ""
    categories: tuple[str, ...] = ()
    territory: str = ""
    statuses: tuple[str, ...] = ()
    near: tuple[float, float] | None = None
    limit: int = DEFAULT_LIMIT
    after: tuple = field(default=())
    sources: tuple[str, ...] = ()


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
        raise bad
    after = data.get("a") if isinstance(data, dict) else None
    if data.get("k") != kind or not isinstance(after, list):
        raise bad
    expected = {"id": (int,), "near": (float | int, int)}[kind]
    if len(after) != len(expected) or not all(isinstance(v, t) and not isinstance(v, bool) for v, t in zip(after, expected)):
        raise bad
    return tuple(after)


def parse_place_query(
    *, bbox=None, q=None, category=(), territory=None, status=(), near=None, limit=None, cursor=None, source=(),
) -> PlaceQuery:
    """Validate raw search parameters into a PlaceQuery."""
    errors: list[FieldError] = []
    if limit is None:
        limit = DEFAULT_LIMIT
    if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        errors.append(FieldError("limit", f"expected an integer from 1 to {MAX_LIMIT}"))
    bad_status = [s for s in status or () if s not in STATUSES]
    if bad_status:
        errors.append(FieldError("status", f"expected one of {', '.join(STATUSES)}"))
    if q is not None and len(q) > 200:
        errors.append(FieldError("q", "longer than 200 characters"))
    if errors:
        raise InvalidInput(errors)
    near_point = parse_near(near) if near else None
    return PlaceQuery(
        bbox=parse_bbox(bbox) if bbox else None,
        text=(q or "").strip(),
        categories=tuple(category or ()),
        territory=(territory or "").strip(),
        statuses=tuple(status or ()),
        near=near_point,
        limit=limit,
        after=decode_cursor(cursor, "near" if near_point else "id") if cursor else (),
        sources=tuple(source or ()),
    )
