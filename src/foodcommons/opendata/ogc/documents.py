"""The fixed documents of the OGC API: landing page, conformance, collections (pure)."""

OGC_JSON, GEOJSON, OPENAPI = "application/json", "application/geo+json", "application/vnd.oai.openapi+json;version=3.0"
ALL_PLACES = "places"
BELGIUM_BBOX = [2.5, 49.49, 6.41, 51.51]
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
]


def link(href: str, rel: str, type_: str = OGC_JSON, title: str = "") -> dict:
    """Return an OGC link object."""
    return {"href": href, "rel": rel, "type": type_, **({"title": title} if title else {})}


def landing(root: str, *, title: str, licence: str) -> dict:
    """Return the landing page of the API rooted at `root` (…/ogc)."""
    return {
        "title": title,
        "description": f"The places of {title} as OGC API – Features. Data under {licence}.",
        "links": [
            link(f"{root}", "self", title="This document"),
            link(f"{root}/api", "service-desc", OPENAPI, "The API definition (OpenAPI 3.0)"),
            link(f"{root}/conformance", "conformance", title="Conformance classes"),
            link(f"{root}/collections", "data", title="Collections"),
        ],
    }


def conformance() -> dict:
    """Return the conformance declaration."""
    return {"conformsTo": CONFORMANCE}


def collection(root: str, *, id_: str, title: str, description: str, licence: str) -> dict:
    """Return the description of one collection of places."""
    href = f"{root}/collections/{id_}"
    return {
        "id": id_,
        "title": title,
        "description": description,
        "itemType": "feature",
        "crs": [CRS84],
        "extent": {"spatial": {"bbox": [BELGIUM_BBOX], "crs": CRS84}, "temporal": {"interval": [[None, None]]}},
        "links": [
            link(href, "self", title=title),
            link(f"{href}/items", "items", GEOJSON, "The places"),
            link(f"{href}/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json", "Queryables"),
            link(f"{root.rsplit('/ogc', 1)[0]}/api/dumps/latest", "enclosure", "application/zip", "The full dump"),
            {"href": "https://opendatacommons.org/licenses/odbl/1-0/", "rel": "license", "type": "text/html", "title": licence},
        ],
    }


def collections(root: str, items: list[dict]) -> dict:
    """Return the list of collections."""
    return {"links": [link(f"{root}/collections", "self")], "collections": items}
