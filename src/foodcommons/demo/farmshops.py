"""Reading the farmshops.eu extract of OpenStreetMap (farms, farm shops, markets, beekeepers, vending machines) for the demo (pure)."""

import re
from collections.abc import Iterable, Iterator

from foodcommons.imports.connectors.base import SourceMapping
from foodcommons.imports.connectors.osm import category_for, record_from_tags

LICENCE = "ODbL-1.0"
# The extract says which region each point lies in (its spelling, typo included).
KEPT_REGIONS = {"Région de Bruxelles-Capitale", "Région Walonne", "Région Wallonne"}
# Markets that sell no food: flea, antique, book, record and craft markets.
NOT_FOOD_MARKET = re.compile(
    r"brocante|antiqu|puces|flea|vide[- ]?grenier|rommel|troc|vinyl|disque|livre|bouquin|book|boek|art(isan)?s?\b|collection"
    r"|textile|fripe|kerst|noël|christmas|fleur|plante|bloem|grafiteria|gratuit",
    re.IGNORECASE,
)
# What a vending machine must sell to be a producer's: plain snack, drink and meal machines are left out.
FARM_PRODUCE = {
    "milk": "milk", "dairy": "milk", "butter": "milk", "cheese": "milk",
    "eggs": "eggs", "potatoes": "potatoes", "potato": "potatoes", "patato": "potatoes", "aardappelen": "potatoes",
    "fruit": "fruit", "strawberries": "fruit", "strawberry": "fruit", "aardbeien": "fruit", "pears": "fruit",
    "vegetables": "vegetables", "tomatos": "vegetables", "meat": "meat", "honey": "honey",
}
VENDING_NAMES = {
    "milk": {"fr": "Distributeur de lait", "nl": "Melkautomaat", "en": "Milk vending machine"},
    "eggs": {"fr": "Distributeur d'œufs", "nl": "Eierautomaat", "en": "Egg vending machine"},
    "potatoes": {"fr": "Distributeur de pommes de terre", "nl": "Aardappelautomaat", "en": "Potato vending machine"},
    "fruit": {"fr": "Distributeur de fruits", "nl": "Fruitautomaat", "en": "Fruit vending machine"},
    "vegetables": {"fr": "Distributeur de légumes", "nl": "Groenteautomaat", "en": "Vegetable vending machine"},
    "meat": {"fr": "Distributeur de viande", "nl": "Vleesautomaat", "en": "Meat vending machine"},
    "honey": {"fr": "Distributeur de miel", "nl": "Honingautomaat", "en": "Honey vending machine"},
}
# OpenStreetMap's shop=farm is "a shop on a farm selling its own produce": the chain is direct, as the source states
# (relation facts only where a source states them; every other criterion stays "not declared yet").
FARM_SHOP_CHAIN = {"value": [], "declared_by": {"kind": "source", "name": "OpenStreetMap"}, "declared_at": "2026-01-29",
                   "evidence": "https://wiki.openstreetmap.org/wiki/Tag:shop%3Dfarm"}
KIND_CATEGORY = {"farm": "farm-shop", "marketplace": "market", "beekeeper": "bee-keeping", "vending_machine": "farm-shop"}


def produce_of(vending: str) -> list[str]:
    """Return the farm produce a vending machine sells (its `vending` tag), in the tag's order."""
    found: list[str] = []
    for value in re.split(r"[;,&]| and ", vending.lower()):
        kind = FARM_PRODUCE.get(value.strip())
        if kind and kind not in found:
            found.append(kind)
    return found


def category_of(tags: dict) -> str | None:
    """Return the category of a farmshops.eu point, or None when the demo leaves it out (not food, or outside Brussels and Wallonia)."""
    if tags.get("be:region") not in KEPT_REGIONS:
        return None
    kind = tags.get("farmshops:category", "")
    if kind == "marketplace":
        words = " ".join(tags.get(k, "") for k in ("name", "description", "sells", "market", "note"))
        return None if NOT_FOOD_MARKET.search(words) else "market"
    if kind == "vending_machine":
        return "farm-shop" if produce_of(tags.get("vending", "")) else None
    return KIND_CATEGORY.get(kind) or category_for(tags)


def place_input(tags: dict, lon: float, lat: float) -> dict | None:
    """Turn one farmshops.eu point into a place input, or None when the demo leaves it out."""
    category = category_of(tags)
    if category is None:
        return None
    named = dict(tags)
    names: dict[str, str] = {}
    if not named.get("name"):
        produce = produce_of(tags.get("vending", ""))
        if not produce:
            return None
        names = VENDING_NAMES[produce[0]]
        named["name"] = names["fr"]
    named.setdefault("addr:city", tags.get("be:commune_fr", ""))
    if category_for(named) is None:
        named["shop"] = "farm"  # beekeepers and farms without a shop tag: the category is set below all the same
    record = record_from_tags(str(tags.get("@id", "")), named, lon, lat, 0, SourceMapping())
    if record is None or record.refused:
        return None
    data = record.place_input(LICENCE)
    data["categories"] = [category]
    if tags.get("farmshops:category") == "farm" and tags.get("shop") == "farm":
        data.setdefault("attributes", {})["relation_chain"] = dict(FARM_SHOP_CHAIN)
    if names:
        data["name"] = dict(names)
    elif tags.get("name:nl") or tags.get("name:fr"):
        data["name"] = {k: v for k, v in {"fr": tags.get("name:fr") or tags["name"], "nl": tags.get("name:nl", "")}.items() if v}
    return data


def read_farmshops(collection: dict) -> Iterator[tuple[str, dict]]:
    """Yield (OSM id, place input) for the points of Brussels and Wallonia the demo shows, each OSM object once."""
    seen: set[str] = set()
    for feature in collection.get("features", []):
        tags = {k: v for k, v in (feature.get("properties") or {}).items() if isinstance(v, str)}
        osm_id = tags.get("@id", "")
        geometry = feature.get("geometry") or {}
        if not osm_id or osm_id in seen or geometry.get("type") != "Point":
            continue
        lon, lat = geometry["coordinates"][:2]
        data = place_input(tags, lon, lat)
        if data is not None:
            seen.add(osm_id)
            yield osm_id, data


def kept_features(features: Iterable[dict]) -> list[dict]:
    """Return the features the demo reads (to copy only them into the demo's data)."""
    ids = {i for i, _ in read_farmshops({"features": list(features)})}
    return [f for f in features if (f.get("properties") or {}).get("@id") in ids]
