"""Validation of place geometries (GeoJSON, WGS 84, lon/lat order) and their bounding boxes."""

import math
from dataclasses import dataclass

import shapely
from shapely.geometry import shape

from foodcommons.core.problems import FieldError

# A generous box around Belgium: beyond it a place is accepted with a warning.
BELGIUM_BBOX = (2.38, 49.45, 6.55, 51.56)
GEOMETRY_TYPES = ("Point", "Polygon", "MultiPolygon")
MAX_VERTICES = 50_000
# How many lists each GeoJSON type nests around its positions, and how its coordinates look (for the messages).
DEPTHS = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}
SHAPES = {
    "Point": "[longitude, latitude]",
    "MultiPoint": "a list of positions [longitude, latitude]",
    "LineString": "a list of positions [longitude, latitude]",
    "MultiLineString": "a list of lines, each a list of positions",
    "Polygon": "a list of rings, each a closed list of positions",
    "MultiPolygon": "a list of polygons, each a list of rings",
}
_MINIMUM_POSITIONS = {"LineString": 2, "MultiLineString": 2}


class _Refused(Exception):
    """A geometry that cannot be kept: the field and the reason."""

    def __init__(self, reason: str, where: str = "geometry.coordinates"):
        super().__init__(reason)
        self.errors = [FieldError(where, reason)]

    @classmethod
    def many(cls, errors: list[FieldError]) -> "_Refused":
        refused = cls(errors[0].reason, errors[0].field)
        refused.errors = errors
        return refused


@dataclass(frozen=True)
class CleanGeometry:
    """A validated geometry with what the indexes need: a representative point and a bbox."""

    geojson: dict
    lon: float
    lat: float
    bbox: tuple[float, float, float, float]

    @property
    def is_point(self) -> bool:
        return self.geojson["type"] == "Point"


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _finite(value) -> bool:
    return isinstance(value, int) or math.isfinite(value)  # ints are finite (and too large ones overflow isfinite)


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 20 else text[:17] + "…"


def _position_errors(position, where: str) -> list[FieldError]:
    if not isinstance(position, list | tuple) or len(position) not in (2, 3) or not all(_is_number(v) for v in position):
        return [FieldError(where, "expected a position [longitude, latitude] of two numbers")]
    if not all(_finite(v) for v in position):
        return [FieldError(where, f"the position {list(position)} holds a value that is not a finite number")]
    lon, lat = position[0], position[1]
    errors = []
    if not -180 <= lon <= 180:
        errors.append(FieldError(where, f"longitude {_shown(lon)} is out of range [-180, 180]"))
    if not -90 <= lat <= 90:
        errors.append(FieldError(where, f"latitude {_shown(lat)} is out of range [-90, 90]"))
    return errors


def _positions(kind: str, coordinates) -> list:
    """Return the positions of `coordinates`, refusing a nesting other than the type's (or too many positions)."""
    depth, items = DEPTHS[kind], [coordinates]
    for _ in range(depth):
        deeper: list = []
        for item in items:
            if not isinstance(item, list | tuple):
                raise _Refused(f"the coordinates are nested less deeply than a {kind} requires: expected {SHAPES[kind]}")
            deeper.extend(item)
            if len(deeper) > MAX_VERTICES:
                raise _Refused(f"more than {MAX_VERTICES} positions", "geometry")
        items = deeper
    for item in items:
        if isinstance(item, list | tuple) and any(isinstance(v, list | tuple) for v in item):
            raise _Refused(f"the coordinates are nested deeper than a {kind} allows: expected {SHAPES[kind]}")
        if _is_number(item):
            raise _Refused(f"the coordinates are nested less deeply than a {kind} requires: expected {SHAPES[kind]}")
    return items


def _rings(kind: str, coordinates) -> list[tuple[str, list]]:
    """Return (name, ring) of each ring of a Polygon or MultiPolygon, for the messages."""
    polygons = [coordinates] if kind == "Polygon" else list(coordinates)
    rings = []
    for p, polygon in enumerate(polygons, start=1):
        if not polygon:
            raise _Refused("a polygon needs at least one ring" + (f" (polygon {p} has none)" if kind == "MultiPolygon" else ""))
        prefix = f"polygon {p}, " if kind == "MultiPolygon" else ""
        rings += [(f"{prefix}ring {r}", list(ring)) for r, ring in enumerate(polygon, start=1)]
    return rings


def _check_rings(kind: str, coordinates) -> None:
    for name, ring in _rings(kind, coordinates):
        if len(ring) < 4:
            raise _Refused(f"{name} has {len(ring)} positions; a ring needs at least 4 (the last repeats the first)")
        if list(ring[0][:2]) != list(ring[-1][:2]):
            raise _Refused(f"{name} is not closed: its last position {list(ring[-1])} must repeat its first {list(ring[0])}")


def _checked_shape(value, allowed: tuple[str, ...]):
    """Return the shapely geometry of a GeoJSON geometry of one of `allowed` types, or raise _Refused."""
    if not isinstance(value, dict) or value.get("type") not in allowed:
        raise _Refused(f"expected a GeoJSON geometry of type {', '.join(allowed)}", "geometry")
    kind, coordinates = value["type"], value.get("coordinates")
    positions = _positions(kind, coordinates)
    errors = [e for p in positions for e in _position_errors(p, "geometry.coordinates")][:5]
    if errors:
        raise _Refused.many(errors)
    if not positions:
        raise _Refused(f"the {kind} has no positions")
    if len(positions) < _MINIMUM_POSITIONS.get(kind, 1):
        raise _Refused(f"a {kind} needs at least {_MINIMUM_POSITIONS[kind]} positions")
    if kind in ("Polygon", "MultiPolygon"):
        _check_rings(kind, coordinates)
    try:
        geom = shape({"type": kind, "coordinates": coordinates})
    except (ValueError, TypeError, IndexError, shapely.errors.GEOSException) as error:
        raise _Refused(f"not a valid {kind}: {error}", "geometry") from error
    if geom.is_empty:
        raise _Refused(f"the {kind} is empty", "geometry")
    if kind != "Point" and not geom.is_valid:
        raise _Refused(f"not a valid {kind}: {shapely.is_valid_reason(geom)}", "geometry")
    return geom


def _shape_or_errors(value, allowed: tuple[str, ...]):
    try:
        return _checked_shape(value, allowed), []
    except _Refused as refused:
        return None, refused.errors


def _plain_point(value) -> tuple[float, ...] | None:
    """Return the coordinates of a valid GeoJSON Point as floats (what shapely gives back), or None for anything else.

    Most places are points: checked here without building a shapely geometry, which cost more than the rest of a
    place's validation. Anything this does not accept takes the full path, which words the errors.
    """
    if not isinstance(value, dict) or value.get("type") != "Point":
        return None
    position = value.get("coordinates")
    if not isinstance(position, list | tuple) or _position_errors(position, "geometry.coordinates"):
        return None
    return tuple(float(v) for v in position)


def _clean_shape(value) -> tuple[CleanGeometry | None, list[FieldError]]:
    if (coordinates := _plain_point(value)) is not None:
        lon, lat = coordinates[0], coordinates[1]
        return CleanGeometry(geojson={"type": "Point", "coordinates": coordinates}, lon=lon, lat=lat, bbox=(lon, lat, lon, lat)), []
    geom, errors = _shape_or_errors(value, GEOMETRY_TYPES)
    if errors:
        return None, errors
    point = geom if value["type"] == "Point" else geom.representative_point()
    return CleanGeometry(
        geojson={"type": value["type"], "coordinates": shapely.geometry.mapping(geom)["coordinates"]},
        lon=point.x,
        lat=point.y,
        bbox=tuple(geom.bounds),
    ), []


def clean_geometry(value) -> tuple[CleanGeometry | None, list[FieldError], list[FieldError]]:
    """Validate a GeoJSON geometry; return it cleaned, the errors, and the warnings."""
    if value is None:
        return None, [], []
    clean, errors = _clean_shape(value)
    if clean is None:
        return None, errors, []
    warnings = [] if inside_belgium_bbox(clean.bbox) else [FieldError("geometry", "the place lies outside Belgium")]
    return clean, [], warnings


def point_inside(value) -> tuple[tuple[float, float] | None, list[FieldError]]:
    """Return a point on any GeoJSON geometry but a collection (what an import keeps of a feature), or the errors refusing it."""
    if (coordinates := _plain_point(value)) is not None:
        return (coordinates[0], coordinates[1]), []
    geom, errors = _shape_or_errors(value, tuple(DEPTHS))
    if errors:
        return None, errors
    point = geom if value["type"] == "Point" else geom.representative_point()
    return (point.x, point.y), []


def inside_belgium_bbox(bbox: tuple[float, float, float, float]) -> bool:
    """Tell whether a bounding box lies within the box around Belgium."""
    west, south, east, north = BELGIUM_BBOX
    return bbox[0] >= west and bbox[1] >= south and bbox[2] <= east and bbox[3] <= north
