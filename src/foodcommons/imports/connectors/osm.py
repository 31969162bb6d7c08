"""OpenStreetMap: Overpass JSON, GeoJSON exports, .osm XML and .pbf (through pyosmium), with the one tag-to-category mapping."""

from collections.abc import Iterable, Iterator

import shapely
from shapely.geometry import shape

from foodcommons.imports.connectors.base import ImportedRecord, SourceMapping, bad_file, clean_text, kind_of, load_json, locate, refused_record, to_float
from foodcommons.imports.connectors.formats import feature_list, feature_properties
from foodcommons.imports.connectors.limits import MAX_CELL_CHARS, oversized_cell
from foodcommons.imports.domain.osm_tags import OSM_OBJECT, READ_LANGUAGE, OsmObject, first_tag

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


def _first(tags: dict, record_field: str) -> str:
    return clean_text(first_tag(tags, record_field))


def record_from_tags(osm_id: str, tags: dict, lon: float | None, lat: float | None, row: int, mapping: SourceMapping,
                     upstream: OsmObject | None = None) -> ImportedRecord | None:
    """Return the record of one OSM object, or None when it is not a named food place (tags read through osm_tags.READ_TAGS)."""
    category = mapping.category_for([f"{k}={v}" for k, v in tags.items()]) if mapping.categories else []
    category = category or ([c] if (c := category_for(tags)) else [])
    if not category or not tags.get("name"):
        return None
    if too_long := oversized_cell(tags):
        return refused_record(row, too_long, f"the tag holds more than {MAX_CELL_CHARS:,} characters; the object is not read", osm_id)
    return ImportedRecord(
        external_id=osm_id, row=row, name=_first(tags, "name"), description=_first(tags, "description"),
        categories=category, lon=lon, lat=lat, language=READ_LANGUAGE,
        street=_first(tags, "street"), house_number=_first(tags, "house_number"), postcode=_first(tags, "postcode"),
        locality=_first(tags, "locality"), phone=_first(tags, "phone"), email=_first(tags, "email"), website=_first(tags, "website"),
        opening_hours=_first(tags, "opening_hours"), raw=dict(tags), upstream=upstream.as_record() if upstream else {},
    )


def _tags_of(properties: dict) -> dict:
    # overpass-turbo puts the tags in properties.tags, osmtogeojson flat in the properties: both are read.
    nested = properties.get("tags")
    return {**(nested if isinstance(nested, dict) else {}), **{k: v for k, v in properties.items() if isinstance(v, str)}}


def _version(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _geojson_object(osm_id: str, properties: dict, geometry) -> OsmObject | None:
    """Return the OSM object of a feature, as far as the export tells it (its version only with metadata)."""
    found = OSM_OBJECT.match(osm_id)
    if not found:
        return None
    meta = properties.get("meta") if isinstance(properties.get("meta"), dict) else {}
    nested = properties.get("tags")
    tags = nested if isinstance(nested, dict) else {
        k: v for k, v in properties.items() if isinstance(v, str) and not k.startswith("@") and not (k == "id" and v == osm_id)}
    point = geometry.get("coordinates") if isinstance(geometry, dict) and geometry.get("type") == "Point" else None
    lon, lat = (to_float(point[0]), to_float(point[1])) if isinstance(point, list) and len(point) >= 2 else (None, None)
    return OsmObject(kind=found[1], id=int(found[2]), version=_version(properties.get("@version") or meta.get("version")),
                     tags={str(k): str(v) for k, v in tags.items()}, lat=lat if found[1] == "node" else None, lon=lon if found[1] == "node" else None)


def _overpass_object(element: dict, tags: dict) -> OsmObject | None:
    kind, number = element.get("type"), element.get("id")
    if kind not in ("node", "way", "relation") or not isinstance(number, int):
        return None
    nodes = element.get("nodes") if isinstance(element.get("nodes"), list) else None
    members = element.get("members") if isinstance(element.get("members"), list) else None
    return OsmObject(kind=kind, id=number, version=_version(element.get("version")), tags={str(k): str(v) for k, v in tags.items()},
                     lat=to_float(element.get("lat")), lon=to_float(element.get("lon")), nodes=nodes,
                     members=[{"type": m.get("type"), "ref": m.get("ref"), "role": m.get("role", "")} for m in members if isinstance(m, dict)]
                     if members is not None else None)


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
        record = record_from_tags(osm_id, tags, None, None, row, mapping, _geojson_object(osm_id, properties, feature["geometry"]))
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
        record = record_from_tags(f"{element.get('type')}/{element.get('id')}", tags, lon, lat, row, mapping, _overpass_object(element, tags))
        if record:
            yield record


def read_osm_file(data: bytes, file_format: str, mapping: SourceMapping) -> Iterator[ImportedRecord]:
    """Yield the food places of an .osm XML or .pbf file: nodes at their location, closed ways at a point inside."""
    import osmium

    try:
        objects = list(_objects(osmium, data, file_format))
    except RuntimeError as error:
        raise bad_file(f"not a readable OpenStreetMap {file_format} file: {error}") from error
    for row, (osm_id, tags, lon, lat, upstream) in enumerate(objects, start=1):
        record = record_from_tags(osm_id, tags, lon, lat, row, mapping, upstream)
        if record:
            yield record


def _objects(osmium, data: bytes, file_format: str) -> Iterator[tuple[str, dict, float, float, OsmObject]]:
    processor = osmium.FileProcessor(osmium.io.FileBuffer(data, file_format)).with_locations()
    for obj in processor:
        if not len(obj.tags):
            continue
        tags = dict(obj.tags)
        version = obj.version or None  # 0: the file carries no versions
        if obj.is_node() and obj.location.valid():
            lon, lat = obj.location.lon, obj.location.lat
            yield f"node/{obj.id}", tags, lon, lat, OsmObject("node", obj.id, version, tags, lat=lat, lon=lon)
        elif obj.is_way():
            coords = [(n.lon, n.lat) for n in obj.nodes if n.location.valid()]
            if coords:
                point = _inside(coords)
                yield f"way/{obj.id}", tags, point[0], point[1], OsmObject("way", obj.id, version, tags, nodes=[n.ref for n in obj.nodes])


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
