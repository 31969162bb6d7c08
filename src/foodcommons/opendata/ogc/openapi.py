"""The OpenAPI 3.0 definition of the OGC API endpoints (pure)."""

from foodcommons.opendata.ogc.queryables import QUERYABLES


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


def _get(summary: str, operation_id: str, parameters: list | None = None, content: str = "application/json") -> dict:
    parameters = parameters or []
    # Any request can be refused as malformed (a NUL character, an invalid parameter); a path can name nothing.
    responses = {"200": {"description": summary, "content": {content: {"schema": {"type": "object"}}}}, "400": _problem("Invalid request")}
    if any(p["in"] == "path" for p in parameters):
        responses["404"] = _problem("Not found")
    return {"get": {"summary": summary, "operationId": operation_id, "parameters": parameters, "responses": responses}}


def openapi_document(root: str, *, title: str, version: str) -> dict:
    """Return the OpenAPI document of the OGC API rooted at `root`."""
    collection = _parameter("collectionId", "Collection identifier", {"type": "string"}, "path", True)
    items_parameters = [
        collection,
        _parameter("limit", "Page size", {"type": "integer", "minimum": 1, "maximum": 10000, "default": 100}),
        _parameter("offset", "Features to skip", {"type": "integer", "minimum": 0, "default": 0}),
        {
            **_parameter("bbox", "west,south,east,north (CRS84)", {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4}),
            "style": "form",
            "explode": False,
        },
        _parameter("datetime", "Time of the last change: an instant or an interval start/end ('..' open)", {"type": "string"}),
        _parameter("territory", "NIS code of a region, province, arrondissement or commune: the places in it and the places serving it", {"type": "string"}),
        _parameter("filter", "CQL2 text expression", {"type": "string"}),
        _parameter("filter-lang", "Only cql2-text", {"type": "string", "enum": ["cql2-text"]}),
        *[_parameter(name, q.description, q.schema) for name, q in QUERYABLES.items()],
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
            "/collections/{collectionId}/items": _get("Features", "getFeatures", items_parameters, "application/geo+json"),
            "/collections/{collectionId}/items/{featureId}": _get(
                "One feature", "getFeature", [collection, _parameter("featureId", "Place identifier", {"type": "string"}, "path", True)],
                "application/geo+json",
            ),
        },
        "components": {"schemas": {"Problem": PROBLEM_SCHEMA}},
    }
