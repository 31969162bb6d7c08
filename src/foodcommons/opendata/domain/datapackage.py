"""The descriptor of the dump as a Frictionless Data Package, with Table Schemas (pure)."""

from foodcommons.opendata.domain.jsonld import licence_url

STRING, INTEGER, NUMBER, DATETIME = "string", "integer", "number", "datetime"
CATEGORY_COLUMNS = ["slug", "parent", "label_fr", "label_nl", "label_en", "color"]
TERRITORY_COLUMNS = ["code", "level", "parent", "name_fr", "name_nl", "name_en", "population"]


def _schema(columns: list[str], types: dict[str, str], key: str, foreign: list | None = None) -> dict:
    fields = [{"name": c, "type": types.get(c, STRING), **({"constraints": {"required": True, "unique": True}} if c == key else {})} for c in columns]
    return {"fields": fields, "primaryKey": [key], "missingValues": [""], **({"foreignKeys": foreign} if foreign else {})}


def _csv(name: str, title: str, schema: dict) -> dict:
    return {
        "name": name, "path": f"{name}.csv", "title": title, "profile": "tabular-data-resource",
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": schema,
    }


def descriptor(
    *, place_columns: list[str], place_types: dict[str, str], site: str, base_url: str, licence: str, sources: list[dict], created: str, cursor: str
) -> dict:
    """Return datapackage.json of a dump."""
    parent = [{"fields": ["parent"], "reference": {"resource": "", "fields": ["code"]}}]
    category_parent = [{"fields": ["parent"], "reference": {"resource": "", "fields": ["slug"]}}]
    return {
        "profile": "data-package",
        "name": f"{site}-places",
        "title": f"{site}: places of sustainable food in Brussels and Wallonia",
        "description": "Every place of the commons (without private contacts), its categories and the Belgian territories.",
        "homepage": base_url,
        "created": created,
        "version": cursor,
        "keywords": ["food", "short food supply chain", "food aid", "Brussels", "Wallonia", "open data"],
        "licenses": [{"name": licence, "path": licence_url(licence), "title": licence}],
        "sources": [{"title": f"{s['name']} ({s['attribution']})", "path": s["url"] or base_url} for s in sources]
        + [{"title": f"{site} contributors", "path": base_url}],
        "resources": [
            _csv("places", "Places", _schema(place_columns, place_types, "id")),
            {
                "name": "places-geojson", "path": "places.geojson", "title": "Places as a GeoJSON FeatureCollection (RFC 7946)",
                "format": "geojson", "mediatype": "application/geo+json", "encoding": "utf-8",
            },
            _csv("categories", "Categories of the taxonomy", _schema(CATEGORY_COLUMNS, {}, "slug", category_parent)),
            _csv("territories", "Belgian territories (NIS codes)", _schema(TERRITORY_COLUMNS, {"population": INTEGER}, "code", parent)),
        ],
        "foodcommons": {"changes_cursor": cursor, "changes": f"{base_url}/api/changes?since={cursor}"},
    }
