"""Parameters of an items request and the links of a page (pure)."""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.opendata.ogc import cql2
from foodcommons.opendata.ogc.documents import GEOJSON, link
from foodcommons.opendata.ogc.queryables import QUERYABLES
from foodcommons.places.domain.query import PlaceQuery, decode_cursor, encode_cursor, parse_filters, parse_interval

DEFAULT_LIMIT, MAX_LIMIT = 100, 10_000
# Parameters answered by the filters of every query of places (places.domain.query.FILTERS), with their meaning there.
SHARED = ("bbox", "category", "status", "territory")
KNOWN = {
    "bbox", "bbox-crs", "limit", "offset", "cursor", "datetime", "filter", "filter-lang", "filter-crs", "f", "territory",
    "properties", "skipGeometry", *QUERYABLES,
}
TRUE, FALSE = ("true", "1"), ("false", "0")
# Equalities of a CQL2 filter that the shared parameters say the same way: name -> whether it takes several values.
LIFTED = {"category": True, "status": True, "territory": False}
CRS84 = ("http://www.opengis.net/def/crs/OGC/1.3/CRS84", "http://www.opengis.net/def/crs/EPSG/0/4326")


@dataclass(frozen=True)
class ItemsRequest:
    """A validated request for the items of a collection."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    after: int | None = None  # keyset paging: the last id of the previous page (from an opaque `cursor`)
    places: PlaceQuery = field(default_factory=PlaceQuery)  # bbox, datetime, category, status, territory
    filter: object = None  # the parsed CQL2 filter, once its equalities on shared parameters are lifted out (None: no more)
    equals: tuple[tuple[str, str], ...] = ()  # `property=value` parameters of the other queryables
    properties: tuple[str, ...] | None = None  # `properties=`: the feature properties to return (None: all)
    skip_geometry: bool = False


def _integer(value: str, name: str, low: int, high: int) -> int:
    # isascii: str.isdigit also takes "²", which int() refuses.
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
        raise InvalidInput([FieldError(name, f"expected an integer from {low} to {high}")])
    return int(value)


def parse_datetime(value: str) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Parse an instant or an interval `start/end` (open ends: `..` or empty) of the last change."""
    return parse_interval(value, "datetime")


def parse_items_request(params: dict[str, str]) -> ItemsRequest:
    """Validate the query parameters of an items request."""
    unknown = sorted(set(params) - KNOWN)
    if unknown:
        raise InvalidInput([FieldError(name, "unknown parameter (see the queryables)") for name in unknown])
    if params.get("filter-lang", "cql2-text") != "cql2-text":
        raise InvalidInput([FieldError("filter-lang", "only cql2-text is supported")])
    for name in ("bbox-crs", "filter-crs"):
        if params.get(name, CRS84[0]) not in CRS84:
            raise InvalidInput([FieldError(name, "only CRS84 (WGS 84 longitude, latitude) is supported")])
    if params.get("f", "json") not in ("json", "geojson"):
        raise InvalidInput([FieldError("f", "only json (GeoJSON) is served")])
    if "cursor" in params and "offset" in params:
        raise InvalidInput([FieldError("offset", "give either a cursor (the next link) or an offset, not both")])
    empty = sorted(name for name in SHARED if name in params and not params[name].strip())
    if empty:  # `status=` is no status: say so rather than answer as if it were not given
        raise InvalidInput([FieldError(name, "empty value: give a value, or leave the parameter out") for name in empty])
    shared: dict[str, object] = {name: params.get(name) for name in SHARED}
    node = cql2.parse(params["filter"]) if params.get("filter") else None
    if node is not None:
        # `category = 'x'` in CQL2 becomes `category=x`: the same query, on the same index (unless the parameter is given too).
        lifted, node = cql2.lift_filters(node, {name: many for name, many in LIFTED.items() if not shared.get(name)})
        shared.update(lifted)
    places = PlaceQuery(filters=parse_filters(shared))
    if params.get("datetime"):
        places = places.with_filters(updated=parse_datetime(params["datetime"]))
    return ItemsRequest(
        limit=_integer(params["limit"], "limit", 1, MAX_LIMIT) if "limit" in params else DEFAULT_LIMIT,
        offset=_integer(params["offset"], "offset", 0, 10**9) if "offset" in params else 0,
        after=decode_cursor(params["cursor"], "id")[0] if "cursor" in params else None,
        places=places,
        filter=node,
        equals=tuple((k, v) for k, v in params.items() if k in QUERYABLES and k not in SHARED),
        properties=tuple(dict.fromkeys(n.strip() for n in params["properties"].split(",") if n.strip())) if "properties" in params else None,
        skip_geometry=_boolean(params.get("skipGeometry", "false"), "skipGeometry"),
    )


def _boolean(value: str, name: str) -> bool:
    if value.lower() not in TRUE + FALSE:
        raise InvalidInput([FieldError(name, "expected true or false")])
    return value.lower() in TRUE


def page_links(url: str, params: dict[str, str], request: ItemsRequest, last_id: int | None) -> list[dict]:
    """Return the self, next and prev links of a page of items; `last_id` is the last id of a page that has a next one.

    The next link carries an opaque cursor (the last id of this page), so a deep page costs what the first does.
    """
    rest = {k: v for k, v in params.items() if k not in ("offset", "cursor", "limit")}

    def at(**position: str) -> str:
        return url + "?" + urlencode({**rest, **position, "limit": str(request.limit)})

    links = [link(url + "?" + urlencode({**params, "limit": str(request.limit)}), "self", GEOJSON, "This page")]
    if last_id is not None:
        links.append(link(at(cursor=encode_cursor("id", (last_id,))), "next", GEOJSON, "Next page"))
    if request.offset > 0 and request.after is None:
        links.append(link(at(offset=str(max(0, request.offset - request.limit))), "prev", GEOJSON, "Previous page"))
    return links
