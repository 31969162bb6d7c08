"""Parameters of an items request and the links of a page (pure)."""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.opendata.ogc.documents import GEOJSON, link
from foodcommons.opendata.ogc.queryables import QUERYABLES
from foodcommons.places.domain.query import PlaceQuery, parse_filters, parse_interval

DEFAULT_LIMIT, MAX_LIMIT = 100, 10_000
# Parameters answered by the filters of every query of places (places.domain.query.FILTERS), with their meaning there.
SHARED = ("bbox", "category", "status", "territory")
KNOWN = {"bbox", "bbox-crs", "limit", "offset", "datetime", "filter", "filter-lang", "filter-crs", "f", "territory", *QUERYABLES}
CRS84 = ("http://www.opengis.net/def/crs/OGC/1.3/CRS84", "http://www.opengis.net/def/crs/EPSG/0/4326")


@dataclass(frozen=True)
class ItemsRequest:
    """A validated request for the items of a collection."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    places: PlaceQuery = field(default_factory=PlaceQuery)  # bbox, datetime, category, status, territory
    filter: str = ""
    properties: tuple[tuple[str, str], ...] = ()


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
    places = PlaceQuery(filters=parse_filters({name: params.get(name) for name in SHARED}))
    if params.get("datetime"):
        places = places.with_filters(updated=parse_datetime(params["datetime"]))
    return ItemsRequest(
        limit=_integer(params["limit"], "limit", 1, MAX_LIMIT) if "limit" in params else DEFAULT_LIMIT,
        offset=_integer(params["offset"], "offset", 0, 10**9) if "offset" in params else 0,
        places=places,
        filter=params.get("filter", ""),
        properties=tuple((k, v) for k, v in params.items() if k in QUERYABLES and k not in SHARED),
    )


def page_links(url: str, params: dict[str, str], request: ItemsRequest, matched: int) -> list[dict]:
    """Return the self, next and prev links of a page of items."""

    def at(offset: int) -> str:
        return url + "?" + urlencode({**params, "offset": str(offset), "limit": str(request.limit)})

    links = [link(at(request.offset), "self", GEOJSON, "This page")]
    if request.offset + request.limit < matched:
        links.append(link(at(request.offset + request.limit), "next", GEOJSON, "Next page"))
    if request.offset > 0:
        links.append(link(at(max(0, request.offset - request.limit)), "prev", GEOJSON, "Previous page"))
    return links
