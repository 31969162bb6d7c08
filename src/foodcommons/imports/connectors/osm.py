"""OpenStreetMap: Overpass JSON, GeoJSON exports, .osm XML and .pbf (through pyosmium), with the one tag-to-category mapping."""

from collections.abc import Iterable, Iterator

import shapely
from shapely.geometry import shape

from foodcommons.imports.connectors.base import ImportedRecord, SourceMapping, bad_file, clean_text, kind_of, load_json, locate, refused_record, to_float
from foodcommons.imports.connectors.formats import feature_list, feature_properties
from foodcommons.imports.connectors.limits import MAX_CELL_CHARS, oversized_cell

# Which OSM tags make a place of which category; the first match wins (documented in docs/imports.md).
TAG_CATEGORIES: list[tuple[dict[str, str], str]] = [
    ({"social_facility": "food_bank"}, "food-bank"),
    ({"social_facility": "soup_kitchen"}, "social-restaurant"),
    ({"amenity": "food_sharing"}, "community-fridge"),
    ({"amenity": "give_box", "give_box": "food"}, "community-fridge"),
    ({"amenity": "marketplace"}, "market"),
    ({"shop": "farm"}, "farm-shop"),
    ({"organic": "only"}, "organic-shop"),
    ({"shop": "organic"}, "organic-shop"),
    ({"shop": "greengrocer"}, "greengrocer"),
    ({"shop": "bakery"}, "bakery"),
    ({"shop": "butcher"}, "butcher"),
    ({"shop": "cheese"}, "cheese-shop"),
    ({"shop": "deli"}, "delicatessen"),
    ({"shop": "chocolate"}, "delicatessen"),
    ({"bulk_purchase": "only"}, "bulk-shop"),
    ({"zero_waste": "only"}, "bulk-shop"),
    ({"landuse": "allotments"}, "community-garden"),
    ({"leisure": "garden", "garden:type": "community"}, "community-garden"),
    ({"garden:type": "community"}, "community-garden"),
    ({"amenity": "recycling", "recycling:organic": "yes"}, "neighbourhood-compost"),
    ({"amenity": "compost"}, "neighbourhood-compost"),
    ({"landuse": "farmyard", "shop": "farm"}, "farm-shop"),
]
ANY = "*"


def category_for(tags: dict) -> str | None:
    """Return the category of an OSM object from its tags, or None if it is not a food place."""
    for wanted, category in TAG_CATEGORIES:
        if all(tags.get(k) == v or (v == ANY and k in tags) for k, v in wanted.items()):
            return category
    return None


def _first(tags: dict, *keys: str) -> str:
    return next((clean_text(tags[k]) for k in keys if tags.get(k)), "")


def record_from_tags(osm_id: str, tags: dict, lon: float | None, lat: float | None, row: int, mapping: SourceMapping) -> ImportedRecord | None:
    """Return the record of one OSM object, or None when it is not a named food place."""
    category = mapping.category_for([f"{k}={v}" for k, v in tags.items()]) if mapping.categories else []
    category = category or ([c] if (c := category_for(tags)) else [])
    if not category or not tags.get("name"):
        return None
    if too_long := oversized_cell(tags):
        return refused_record(row, too_long, f"the tag holds more than {MAX_CELL_CHARS:,} characters; the object is not read", osm_id)
    return ImportedRecord(
        external_id=osm_id, row=row, name=clean_text(tags["name"]), description=_first(tags, "description"),
        categories=category, lon=lon, lat=lat,
        street=_first(tags, "addr:street"), house_number=_first(tags, "addr:housenumber"),
        postcode=_first(tags, "addr:postcode"), locality=_first(tags, "addr:city"),
        phone=_first(tags, "phone", "contact:phone"), email=_first(tags, "email", "contact:email"),
        website=_first(tags, "website", "contact:website", "url"), opening_hours=_first(tags, "opening_hours"),
        raw=dict(tags),
    )


def _tags_of(properties: dict) -> dict:
    # overpass-turbo puts the tags in properties.tags, osmtogeojson flat in the properties: both are read.
    nested = properties.get("tags")
    return {**(nested if isinstance(nested, dict) else {}), **{k: v for k, v in properties.items() if isinstance(v, str)}}


def read_geojson_features(features: Iterable[dict], mapping: SourceMapping) -> Iterator[ImportedRecord]:
    """Yield the food places of OSM GeoJSON features (overpass-turbo or osmtogeojson exports), each object once."""
    seen: set[str] = set()
    for row, feature in enumerate(features, start=1):
        properties, refused = feature_properties(feature, row)
        if refused:
            yield refused
            continue
        tags = _tags_of(properties)
        osm_id = str(tags.get("@id") or feature.get("id") or "")
        if not osm_id or osm_id in seen or not feature.get("geometry"):
            continue
        record = record_from_tags(osm_id, tags, None, None, row, mapping)
        if record is None:
            continue  # not a named food place: whatever its geometry, it is not read
        seen.add(osm_id)
        yield locate(record, feature["geometry"])


def read_overpass(document: dict, mapping: SourceMapping) -> Iterator[ImportedRecord]:
    """Yield the food places of an Overpass API JSON answer (nodes, and ways or relations with `out center`)."""
    elements = document.get("elements")
    if not isinstance(elements, list):
        raise bad_file(f"the Overpass 'elements' member is {kind_of(elements)}: expected a list")
    for row, element in enumerate(elements, start=1):
        if not isinstance(element, dict):
            continue
        center = element.get("center") if isinstance(element.get("center"), dict) else element
        lon, lat = to_float(center.get("lon")), to_float(center.get("lat"))
        tags = element.get("tags") if isinstance(element.get("tags"), dict) else {}
        if lon is None or lat is None:
            continue
        record = record_from_tags(f"{element.get('type')}/{element.get('id')}", tags, lon, lat, row, mapping)
        if record:
            yield record


def read_osm_file(data: bytes, file_format: str, mapping: SourceMapping) -> Iterator[ImportedRecord]:
    """Yield the food places of an .osm XML or .pbf file: nodes at their location, closed ways at a point inside."""
    import osmium

    try:
        objects = list(_objects(osmium, data, file_format))
    except RuntimeError as error:
        raise bad_file(f"not a readable OpenStreetMap {file_format} file: {error}") from error
    for row, (osm_id, tags, lon, lat) in enumerate(objects, start=1):
        record = record_from_tags(osm_id, tags, lon, lat, row, mapping)
        if record:
            yield record


def _objects(osmium, data: bytes, file_format: str) -> Iterator[tuple[str, dict, float, float]]:
    processor = osmium.FileProcessor(osmium.io.FileBuffer(data, file_format)).with_locations()
    for obj in processor:
        if not len(obj.tags):
            continue
        tags = dict(obj.tags)
        if obj.is_node() and obj.location.valid():
            yield f"node/{obj.id}", tags, obj.location.lon, obj.location.lat
        elif obj.is_way():
            coords = [(n.lon, n.lat) for n in obj.nodes if n.location.valid()]
            if coords:
                point = _inside(coords)
                yield f"way/{obj.id}", tags, point[0], point[1]


def _inside(coords: list[tuple[float, float]]) -> tuple[float, float]:
    if len(coords) >= 4 and coords[0] == coords[-1]:
        try:
            point = shape({"type": "Polygon", "coordinates": [coords]}).representative_point()
            return point.x, point.y
        except (ValueError, shapely.errors.ShapelyError):
            pass  # a self-crossing way: a point of its outline will do
    return coords[len(coords) // 2]


def read_osm(data: bytes, mapping: SourceMapping) -> Iterator[ImportedRecord]:
    """Read any OpenStreetMap export: PBF, XML, Overpass JSON or GeoJSON."""
    head = data[:2048].lstrip()
    if head.startswith(b"<"):
        return read_osm_file(data, "osm", mapping)
    if not head.startswith(b"{"):
        return read_osm_file(data, "pbf", mapping)
    document = load_json(data)
    if not isinstance(document, dict):
        raise bad_file(f"the JSON document is {kind_of(document)}: expected an Overpass answer {{elements: [...]}} or a GeoJSON FeatureCollection")
    if "elements" in document:
        return read_overpass(document, mapping)
    return read_geojson_features(feature_list(document, "OpenStreetMap GeoJSON"), mapping)
