"""Validation of place geometries (GeoJSON, WGS 84, lon/lat order) and their bounding boxes."""

from dataclasses import dataclass

import shapely
from shapely.geometry import shape

from foodcommons.core.problems import FieldError

# A generous box around Belgium: beyond it a place is accepted with a warning.
BELGIUM_BBOX = (2.38, 49.45, 6.55, 51.56)
GEOMETRY_TYPES = ("Point", "Polygon", "MultiPolygon")
MAX_VERTICES = 50_000


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


def _position_errors(position, where: str) -> list[FieldError]:
    if not isinstance(position, list | tuple) or len(position) not in (2, 3) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in position
    ):
        return [FieldError(where, "expected a position [longitude, latitude]")]
    lon, lat = position[0], position[1]
    errors = []
    if not -180 <= lon <= 180:
        errors.append(FieldError(where, f"longitude {lon} is out of range [-180, 180]"))
    if not -90 <= lat <= 90:
        errors.append(FieldError(where, f"latitude {lat} is out of range [-90, 90]"))
    return errors


def _all_positions(kind: str, coordinates) -> list:
    depth = {"Point": 0, "Polygon": 2, "MultiPolygon": 3}[kind]
    items = [coordinates]
    for _ in range(depth):
        nxt = []
        for item in items:
            if not isinstance(item, list):
                raise ValueError("coordinates are not nested as the geometry type requires")
            nxt.extend(item)
        items = nxt
    return items


def clean_geometry(value) -> tuple[CleanGeometry | None, list[FieldError], list[FieldError]]:
    """Validate a GeoJSON geometry; return it cleaned, the errors, and the warnings."""
    if value is None:
        return None, [], []
    if not isinstance(value, dict) or value.get("type") not in GEOMETRY_TYPES:
        return None, [FieldError("geometry", f"expected a GeoJSON geometry of type {', '.join(GEOMETRY_TYPES)}")], []
    kind, coordinates = value["type"], value.get("coordinates")
    try:
        positions = _all_positions(kind, coordinates)
    except ValueError as error:
        return None, [FieldError("geometry.coordinates", str(error))], []
    if len(positions) > MAX_VERTICES:
        return None, [FieldError("geometry", f"more than {MAX_VERTICES} vertices")], []
    errors = [e for p in positions for e in _position_errors(p, "geometry.coordinates")][:5]
    if errors:
        return None, errors, []
    try:
        geom = shape({"type": kind, "coordinates": coordinates})
    except (ValueError, TypeError, shapely.errors.GEOSException) as error:
        return None, [FieldError("geometry", f"not a valid {kind}: {error}")], []
    if kind != "Point" and (geom.is_empty or not geom.is_valid):
        return None, [FieldError("geometry", f"not a valid {kind}: {shapely.is_valid_reason(geom)}")], []
    point = geom if kind == "Point" else geom.representative_point()
    clean = CleanGeometry(
        geojson={"type": kind, "coordinates": shapely.geometry.mapping(geom)["coordinates"]},
        lon=point.x,
        lat=point.y,
        bbox=tuple(geom.bounds),
    )
    warnings = [] if inside_belgium_bbox(clean.bbox) else [FieldError("geometry", "the place lies outside Belgium")]
    return clean, [], warnings


def inside_belgium_bbox(bbox: tuple[float, float, float, float]) -> bool:
    """Tell whether a bounding box lies within the box around Belgium."""
    west, south, east, north = BELGIUM_BBOX
    return bbox[0] >= west and bbox[1] >= south and bbox[2] <= east and bbox[3] <= north
