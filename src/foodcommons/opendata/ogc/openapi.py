"""The OpenAPI 3.0 definition of the OGC API endpoints (pure)."""

from foodcommons.opendata.ogc.queryables import QUERYABLES

SHARED_PARAMETERS = ("territory",)  # queryables with their own parameter above


def _parameter(name: str, description: str, schema: dict, where: str = "query", required: bool = False) -> dict:
    return {"name": name, "in": where, "description": description, "required": required, "schema": schema}


PROBLEM = {"$ref": "#/components/schemas/Problem"}
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An RFC 9457 problem document",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {"type": "object", "required": ["field", "reason"], "properties": {"field": {"type": "string"}, "reason": {"type": "string"}}},
        },
    },
}


def _problem(description: str) -> dict:
    return {"description": description, "content": {"application/problem+json": {"schema": PROBLEM}}}


NUMBER_MATCHED = (
    "Given only when known without counting: on a last page reached without a cursor (the offset plus the features it holds). "
    "Omitted otherwise, as OGC API – Features allows: follow the next links to the end."
)
FEATURES_SCHEMA = {
    "type": "object",
    "required": ["type", "features", "numberReturned", "links"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {"type": "array", "items": {"type": "object"}},
        "numberMatched": {"type": "integer", "minimum": 0, "description": NUMBER_MATCHED},
        "numberReturned": {"type": "integer", "minimum": 0, "description": "The features of this page"},
        "links": {"type": "array", "items": {"type": "object"}, "description": "self; next (an opaque cursor) while more features follow"},
        "licence": {"type": "string", "description": "The licence of every record of the page, when they share one"},
        "licences": {"type": "array", "items": {"type": "string"}, "description": "The SPDX licences of the records of the page"},
    },
}


def _get(summary: str, operation_id: str, parameters: list | None = None, content: str = "application/json", schema: dict | None = None) -> dict:
    parameters = parameters or []
    # Any request can be refused as malformed (a NUL character, an invalid parameter); a path can name nothing.
    responses = {"200": {"description": summary, "content": {content: {"schema": schema or {"type": "object"}}}}, "400": _problem("Invalid request")}
    if any(p["in"] == "path" for p in parameters):
        responses["404"] = _problem("Not found")
    return {"get": {"summary": summary, "operationId": operation_id, "parameters": parameters, "responses": responses}}


def openapi_document(root: str, *, title: str, version: str) -> dict:
    """Return the OpenAPI document of the OGC API rooted at `root`."""
    collection = _parameter("collectionId", "Collection identifier", {"type": "string"}, "path", True)
    items_parameters = [
        collection,
        _parameter("limit", "Page size", {"type": "integer", "minimum": 1, "maximum": 10000, "default": 100}),
        _parameter("offset", "Features to skip (kept for compatibility; the next links use a cursor, which costs the same at any depth)",
                   {"type": "integer", "minimum": 0, "default": 0}),
        _parameter("cursor", "Opaque position given by a next link: the page after it", {"type": "string"}),
        {
            **_parameter("bbox", "west,south,east,north (CRS84)", {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4}),
            "style": "form",
            "explode": False,
        },
        _parameter("datetime", "Time of the last change: an instant or an interval start/end ('..' open)", {"type": "string"}),
        _parameter("territory", "NIS code of a region, province, arrondissement or commune: the places in it and the places serving it", {"type": "string"}),
        _parameter("filter", "CQL2 text expression", {"type": "string"}),
        _parameter("filter-lang", "Only cql2-text", {"type": "string", "enum": ["cql2-text"]}),
        {
            **_parameter("properties", "The feature properties to return, comma-separated (all when absent)", {"type": "array", "items": {"type": "string"}}),
            "style": "form",
            "explode": False,
        },
        _parameter("skipGeometry", "true: features without their geometry (null)", {"type": "boolean", "default": False}),
        *[_parameter(name, q.description, q.schema) for name, q in QUERYABLES.items() if name not in SHARED_PARAMETERS],
    ]
    return {
        "openapi": "3.0.3",
        "info": {"title": f"{title}: OGC API – Features", "version": version},
        "servers": [{"url": root}],
        "paths": {
            "/": _get("Landing page", "getLandingPage"),
            "/conformance": _get("Conformance classes", "getConformance"),
            "/collections": _get("Collections", "getCollections"),
            "/collections/{collectionId}": _get("One collection", "describeCollection", [collection]),
            "/collections/{collectionId}/queryables": _get("Queryables", "getQueryables", [collection], "application/schema+json"),
            "/collections/{collectionId}/items": _get("Features", "getFeatures", items_parameters, "application/geo+json", FEATURES_SCHEMA),
            "/collections/{collectionId}/items/{featureId}": _get(
                "One feature", "getFeature", [collection, _parameter("featureId", "Place identifier", {"type": "string"}, "path", True)],
                "application/geo+json",
            ),
        },
        "components": {"schemas": {"Problem": PROBLEM_SCHEMA}},
    }
