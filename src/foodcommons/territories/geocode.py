"""Reads of the geocoder: the embedded gazetteer (postcodes, localities, communes, Brussels streets), and a configured service.

Without FOODCOMMONS_GEOCODER_URL nothing reaches out: the answer is the embedded one, approximate. With it, a text that
names more than a postcode or a commune is also asked of that Nominatim-compatible service, through core.outbound.
"""

import csv
import json
import logging
import urllib.parse
from importlib import resources

import shapely
from django.conf import settings

from foodcommons.core import outbound
from foodcommons.core.versions import shared_cache
from foodcommons.territories import selectors
from foodcommons.territories.domain.geocode import Commune, Gazetteer, Locality, Match, Street, in_belgium_box

log = logging.getLogger(__name__)
SERVICE_LIMITS = outbound.Limits(max_bytes=512 * 1024, connect_seconds=3, read_seconds=5, total_seconds=8, max_redirects=2)


def _rows(name: str) -> list[dict]:
    with resources.files("foodcommons.territories").joinpath(f"data/{name}").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@shared_cache("territories")
def gazetteer() -> Gazetteer:
    """Return the (cached) embedded gazetteer: some 2,700 localities, 581 communes and 3,400 Brussels streets.

    Built from the commune index the process keeps anyway (a point inside each commune) and two small CSV files.
    """
    index = selectors.commune_index()
    inside = shapely.point_on_surface(index.tree.geometries) if index.codes else []
    communes = []
    for code, point in zip(index.codes, inside, strict=True):
        found = selectors.info(code)
        if found is not None:
            communes.append(Commune(code, found.names, point.x, point.y))
    rows = _rows("gazetteer-localities.csv")
    points = [(float(r["lon"]), float(r["lat"])) for r in rows]
    codes = index.locate_many(points) if index.codes else [None] * len(rows)
    localities = [Locality(r["postcode"], r["name"], lon, lat, r["main"] == "1", code or "") for r, (lon, lat), code in zip(rows, points, codes, strict=True)]
    streets = [Street({k: v for k, v in r.items() if v}) for r in _rows("gazetteer-brussels-streets.csv")]
    return Gazetteer(localities, communes, streets)


def search(text: str, language: str = "fr", limit: int = 5) -> list[Match]:
    """Return starting points for `text`: the configured service's exact address first when it finds one, then the embedded answers."""
    found = gazetteer().search(text, language, limit)
    if settings.FOODCOMMONS_GEOCODER_URL and _names_an_address(text, found):
        exact = _ask_service(text, language)
        if exact is not None:
            return [exact, *found][:limit]
    return found


def _names_an_address(text: str, found: list[Match]) -> bool:
    """Tell whether the text says more than a postcode or a commune (a street, a number): worth asking an address service."""
    return not found or found[0].precision == "street" or any(c.isdigit() for c in text.replace(found[0].postcode, "", 1))


def _ask_service(text: str, language: str) -> Match | None:
    query = urllib.parse.urlencode({"q": text, "format": "jsonv2", "countrycodes": "be", "limit": 1, "addressdetails": 1, "accept-language": language})
    try:
        answer = json.loads(outbound.fetch(f"{settings.FOODCOMMONS_GEOCODER_URL}/search?{query}", limits=SERVICE_LIMITS))
        first = answer[0] if isinstance(answer, list) and answer else None
        if first is None:
            return None
        lon, lat = float(first["lon"]), float(first["lat"])
    except (outbound.FetchRefused, ValueError, KeyError, TypeError) as error:
        log.warning("geocoder service: %s", error)
        return None
    if not in_belgium_box(lon, lat):
        return None
    address = first.get("address") or {}
    postcode = address.get("postcode", "") if isinstance(address, dict) else ""
    label = str(first.get("display_name", text))[:300]
    return Match(lon, lat, label, "address", approximate=False, postcode=postcode if postcode.isdigit() and len(postcode) == 4 else "",
                 commune=selectors.commune_index().locate(lon, lat) or "")
