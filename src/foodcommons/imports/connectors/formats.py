"""Connectors of platform exports: generic GeoJSON, GoGoCarto JSON, Karte von morgen / OpenFairDB, DFC JSON-LD."""

import csv
import io
from collections.abc import Iterator

from foodcommons.imports.connectors.base import ImportedRecord, SourceMapping, bad_file, clean_text, kind_of, load_json, locate, refused_record, to_float
from foodcommons.imports.connectors.limits import MAX_CELL_CHARS, oversized_cell
from foodcommons.imports.connectors.tabular import column_plan, decode, record_from_row, sniff_delimiter

# Karte von morgen's two main categories (OpenFairDB ids) when no tag says more.
OPENFAIRDB_CATEGORIES = {
    "2cd00bebec0c48ba9db761da48678134": "local-shop",  # company
    "77b3c33a92554bcf8e8c2c86cedd6f6f": "network",  # non-profit initiative
}
# DFC product types (dfc-pt:…) an organisation supplies, and the category of a place that supplies them.
DFC_PRODUCT_CATEGORIES = {"dfc-pt:bakery": "bakery", "dfc-pt:vegetable": "market-garden", "dfc-pt:fruit": "farm"}


def as_list(value) -> list:
    """Return a list value as it is, one other value as a list of it, and nothing as an empty list."""
    if isinstance(value, list):
        return value
    return [] if value in (None, "", {}) else [value]


def as_object(value) -> dict:
    """Return an object value, or an empty one for anything else."""
    return value if isinstance(value, dict) else {}


def feature_list(document, what: str = "GeoJSON") -> list:
    """Return the `features` of a FeatureCollection, refusing a file whose `features` is not a list."""
    features = document.get("features")
    if features is None:
        return []
    if not isinstance(features, list):
        raise bad_file(f"the {what} 'features' member is {kind_of(features)}: expected a list of Feature objects")
    return features


def feature_properties(feature, number: int) -> tuple[dict | None, ImportedRecord | None]:
    """Return a feature's properties, or the refused record of a feature that is not an object with object properties."""
    if not isinstance(feature, dict):
        return None, refused_record(number, "feature", f"feature {number} is {kind_of(feature)}, not a GeoJSON Feature object")
    properties = feature.get("properties")
    if properties is not None and not isinstance(properties, dict):
        return None, refused_record(number, "properties", f"the properties of feature {number} are {kind_of(properties)}, not an object")
    return properties or {}, None


def read_geojson(data: bytes, mapping: SourceMapping) -> Iterator[ImportedRecord]:
    """Read a GeoJSON FeatureCollection whose properties are mapped like spreadsheet columns."""
    document = load_json(data)
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise bad_file("expected a GeoJSON FeatureCollection")
    features = feature_list(document)
    headers = list(dict.fromkeys(k for f in features[:500] if isinstance(f, dict) for k in as_object(f.get("properties"))))
    plan = column_plan(headers, mapping)
    for number, feature in enumerate(features, start=1):
        properties, refused = feature_properties(feature, number)
        if refused:
            yield refused
            continue
        record = record_from_row(properties, plan, mapping, number)
        if feature.get("id") is not None and "external_id" not in plan:
            record.external_id = str(feature["id"])
        if feature.get("geometry") is not None and not record.refused:
            locate(record, feature["geometry"])
        yield record


def _too_long(element: dict, number: int) -> ImportedRecord | None:
    if key := oversized_cell(element):
        return refused_record(number, key, f"the value holds more than {MAX_CELL_CHARS:,} characters; the record is not read")
    return None


def read_gogocarto(data: bytes, mapping: SourceMapping) -> Iterator[ImportedRecord]:
    """Read a GoGoCarto export (API `gogofull` JSON: {data: [elements]} or a bare list)."""
    document = load_json(data)
    elements = document.get("data", []) if isinstance(document, dict) else document
    if not isinstance(elements, list):
        raise bad_file("expected GoGoCarto elements: {data: [...]} or a list")
    for number, element in enumerate(elements, start=1):
        if not isinstance(element, dict):
            yield refused_record(number, "element", f"element {number} is {kind_of(element)}, not an object")
            continue
        if refused := _too_long(element, number):
            yield refused
            continue
        geo, address = as_object(element.get("geo")), as_object(element.get("address"))
        labels = [str(v) for v in as_list(element.get("optionValues"))] + [str(c) for c in as_list(element.get("categories"))]
        yield ImportedRecord(
            external_id=str(element.get("id", "")), row=number, name=clean_text(element.get("name")),
            description=clean_text(element.get("description")), categories=mapping.category_for(labels),
            lon=to_float(geo.get("longitude")), lat=to_float(geo.get("latitude")),
            street=clean_text(address.get("streetAddress")), postcode=clean_text(address.get("postalCode")),
            locality=clean_text(address.get("addressLocality")), phone=clean_text(element.get("telephone")),
            email=clean_text(element.get("email")), website=clean_text(element.get("website")), raw=element,
        )


def _openfairdb_categories(mapping: SourceMapping, tags: list[str], categories: list[str]) -> list[str]:
    by_tags = mapping.category_for([t for t in tags if t]) if tags else []
    if by_tags and by_tags != [mapping.default_category]:
        return by_tags
    return mapping.category_for(categories, {**OPENFAIRDB_CATEGORIES})


def read_openfairdb(data: bytes, mapping: SourceMapping) -> Iterator[ImportedRecord]:
    """Read a Karte von morgen / OpenFairDB search answer ({visible, invisible}) or a list of entries."""
    document = load_json(data)
    parts = [document.get("visible", []), document.get("invisible", [])] if isinstance(document, dict) else [document]
    if not all(isinstance(part, list) for part in parts):
        raise bad_file("expected an OpenFairDB search result {visible: [...], invisible: [...]} or a list of entries")
    for number, entry in enumerate((entry for part in parts for entry in part), start=1):
        if not isinstance(entry, dict):
            yield refused_record(number, "entry", f"entry {number} is {kind_of(entry)}, not an object")
            continue
        if refused := _too_long(entry, number):
            yield refused
            continue
        tags = [str(t) for t in as_list(entry.get("tags"))]
        yield ImportedRecord(
            external_id=str(entry.get("id", "")), row=number, name=clean_text(entry.get("title")),
            description=clean_text(entry.get("description")),
            categories=_openfairdb_categories(mapping, tags, [str(c) for c in as_list(entry.get("categories"))]),
            lon=to_float(entry.get("lng")), lat=to_float(entry.get("lat")),
            street=clean_text(entry.get("street")), postcode=clean_text(entry.get("zip")), locality=clean_text(entry.get("city")),
            phone=clean_text(entry.get("telephone")), email=clean_text(entry.get("email")), website=clean_text(entry.get("homepage")),
            language="fr", raw=entry,
        )


def read_openfairdb_csv(data: bytes, mapping: SourceMapping) -> Iterator[ImportedRecord]:
    """Read OpenFairDB's /export/entries.csv (id, title, lat, lng, street, zip, city, homepage, contact_*, categories, tags…)."""
    text = decode(data)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    headers = list(reader.fieldnames or [])
    if "title" not in headers or "id" not in headers:
        raise bad_file("expected OpenFairDB CSV columns id and title")
    plan = column_plan(headers, SourceMapping(fields={"categories": "categories", **mapping.fields}))
    for number, row in enumerate(reader, start=2):
        record = record_from_row(row, plan, mapping, number)
        tags = [t.strip() for t in (row.get("tags") or "").split(",")]
        record.categories = _openfairdb_categories(mapping, tags, [c.strip() for c in (row.get("categories") or "").split(",")])
        yield record


def _node_value(node: dict, key: str) -> str:
    value = node.get(key)
    if isinstance(value, dict):
        value = value.get("@value") or value.get("@id")
    if isinstance(value, list):
        value = value[0] if value else ""
    return clean_text(value)


def _linked(nodes: dict, reference) -> dict:
    """Return the node a reference names (an @id, or an embedded node)."""
    if isinstance(reference, dict):
        return nodes.get(str(reference.get("@id")), reference)
    return nodes.get(str(reference), {})


def read_dfc(data: bytes, mapping: SourceMapping) -> Iterator[ImportedRecord]:
    """Read DFC JSON-LD (compacted with the dfc-b: prefix): each Organization or Enterprise with its address and phone."""
    document = load_json(data)
    graph = document.get("@graph", [document]) if isinstance(document, dict) else document
    if not isinstance(graph, list):
        raise bad_file("expected a JSON-LD document with an @graph")
    nodes = {str(n["@id"]): n for n in graph if isinstance(n, dict) and "@id" in n}
    kinds = ("dfc-b:Organization", "dfc-b:Enterprise", "dfc:Entreprise", "dfc-b:Entreprise")
    number = 0
    for node in graph:
        types = node.get("@type") if isinstance(node, dict) else None
        if not any(t in kinds for t in (types if isinstance(types, list) else [types])):
            continue
        number += 1
        if refused := _too_long(node, number):
            yield refused
            continue
        address = nodes.get(_node_value(node, "dfc-b:hasAddress"), {})
        phone = nodes.get(_node_value(node, "dfc-b:hasPhoneNumber"), {})
        products = [_node_value(_linked(nodes, s), "dfc-b:hasType") for s in as_list(node.get("dfc-b:supplies"))]
        yield ImportedRecord(
            external_id=str(node.get("@id", "")), row=number, name=_node_value(node, "dfc-b:name"),
            description=_node_value(node, "dfc-b:hasDescription"),
            categories=mapping.category_for([p for p in products if p], DFC_PRODUCT_CATEGORIES)
            or ([mapping.default_category] if mapping.default_category else ["farm"]),
            lon=to_float(_node_value(address, "dfc-b:longitude")), lat=to_float(_node_value(address, "dfc-b:latitude")),
            street=_node_value(address, "dfc-b:hasStreet"), postcode=_node_value(address, "dfc-b:hasPostalCode"),
            locality=_node_value(address, "dfc-b:hasCity"), email=_node_value(node, "dfc-b:email"),
            phone=_node_value(phone, "dfc-b:phoneNumber"), website=_node_value(node, "dfc-b:websitePage"), raw=node,
        )
