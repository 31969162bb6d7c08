"""Reading OpenStreetMap GeoJSON extracts into place inputs, through the one OSM mapping of the imports connector (pure)."""

from collections.abc import Iterable, Iterator

from shapely.geometry import shape

from foodcommons.imports.connectors.base import SourceMapping
from foodcommons.imports.connectors.osm import category_for, read_geojson_features, record_from_tags

__all__ = ["category_for", "place_input", "read_features"]
LICENCE = "ODbL-1.0"


def place_input(tags: dict, geometry: dict) -> dict | None:
    """Turn one OSM feature into a place input, or None when it is not a named food place."""
    point = shape(geometry).representative_point()
    record = record_from_tags("", tags, point.x, point.y, 0, SourceMapping())
    return record.place_input(LICENCE) if record else None


def read_features(collections: Iterable[dict]) -> Iterator[tuple[str, dict]]:
    """Yield (OSM id, place input) for every food place, each OSM object once."""
    seen: set[str] = set()
    for collection in collections:
        for record in read_geojson_features(collection.get("features", []), SourceMapping()):
            if record.external_id not in seen:
                seen.add(record.external_id)
                yield record.external_id, record.place_input(LICENCE)
