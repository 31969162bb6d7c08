"""Reading OpenStreetMap GeoJSON extracts into place inputs (pure, no I/O)."""

from collections.abc import Iterable, Iterator

from shapely.geometry import shape

from foodcommons.places.domain.contacts import normalise_email, normalise_phone, normalise_website
from foodcommons.places.domain.hours import opening_hours_error

# Which OSM tags make a place of which category; the first match wins.
TAG_CATEGORIES: list[tuple[dict[str, str], str]] = [
    ({"social_facility": "food_bank"}, "food-bank"),
    ({"amenity": "marketplace"}, "market"),
    ({"shop": "farm"}, "farm-shop"),
    ({"organic": "only"}, "organic-shop"),
    ({"shop": "greengrocer"}, "greengrocer"),
    ({"shop": "bakery"}, "bakery"),
    ({"shop": "butcher"}, "butcher"),
    ({"shop": "cheese"}, "cheese-shop"),
    ({"shop": "deli"}, "delicatessen"),
    ({"shop": "chocolate"}, "delicatessen"),
    ({"landuse": "allotments"}, "community-garden"),
    ({"garden:type": "community"}, "community-garden"),
]


def category_for(tags: dict) -> str | None:
    """Return the category of an OSM object from its tags, or None if it is not a food place."""
    for wanted, category in TAG_CATEGORIES:
        if all(tags.get(k) == v for k, v in wanted.items()):
            return category
    return None


def _contact(kind: str, value: str | None, normalise) -> list[dict]:
    if not value:
        return []
    try:
        return [{"kind": kind, "value": normalise(value.split(";")[0].strip())}]
    except ValueError:
        return []


def place_input(tags: dict, geometry: dict) -> dict | None:
    """Turn one OSM feature into a place input, or None when it is not a named food place."""
    category = category_for(tags)
    if not category or not tags.get("name"):
        return None
    point = shape(geometry).representative_point()
    hours = tags.get("opening_hours", "")
    place = {
        "name": {"fr": tags["name"]},
        "categories": [category],
        "geometry": {"type": "Point", "coordinates": [round(point.x, 7), round(point.y, 7)]},
        "address": {
            k: v
            for k, v in {
                "street": tags.get("addr:street"),
                "house_number": tags.get("addr:housenumber"),
                "postcode": tags.get("addr:postcode") if (tags.get("addr:postcode") or "").isdigit() else None,
                "locality": tags.get("addr:city"),
            }.items()
            if v
        },
        "contacts": _contact("website", tags.get("website") or tags.get("contact:website"), normalise_website)
        + _contact("phone", tags.get("phone") or tags.get("contact:phone"), normalise_phone)
        + _contact("email", tags.get("email") or tags.get("contact:email"), normalise_email),
        "licence": "ODbL-1.0",
    }
    if hours and not opening_hours_error(hours):
        place["opening_hours"] = hours
    return place


def read_features(collections: Iterable[dict]) -> Iterator[tuple[str, dict]]:
    """Yield (OSM id, place input) for every food place, each OSM object once."""
    seen: set[str] = set()
    for collection in collections:
        for feature in collection.get("features", []):
            tags = feature.get("properties") or {}
            osm_id = tags.get("@id") or feature.get("id")
            if not osm_id or osm_id in seen or not feature.get("geometry"):
                continue
            place = place_input(tags, feature["geometry"])
            if place:
                seen.add(osm_id)
                yield osm_id, place
