"""The demo's local supply: offers derived from what OpenStreetMap tags say farm shops sell, one example demand and tender.

Only what a tag says becomes an offer (`produce`, `sells`, `product`, vending of milk, eggs, potatoes…); a farm shop whose
tags name nothing offers nothing. Volumes, radius and the demand and tender are illustrative and marked as examples.
"""

import json
import re
from datetime import UTC, date, datetime
from importlib import resources

from django.db import transaction

from foodcommons.collaboration.models import Organisation
from foodcommons.imports.models import SourceRecord
from foodcommons.supply.domain.screening import month_mask
from foodcommons.supply.models import Demand, Offer
from foodcommons.supply.products import product_tree
from foodcommons.supply.services import create_tender, publish_demand, register_buyer

TAG_PRODUCTS = {
    "eggs": "egg", "egg": "egg", "milk": "milk", "potatoes": "potato", "potato": "potato", "pommes de terre": "potato",
    "vegetables": "vegetable", "vegetable": "vegetable", "market_gardening": "vegetable", "fruit": "fruit", "fruits": "fruit",
    "apple": "apples", "pear": "pear", "berries": "berry", "meat": "meat-product", "butter": "butter", "beurre": "butter",
    "cheese": "cow-dairy-product", "fromage": "cow-dairy-product", "dairy": "dairy-product", "honey": "honey", "miel": "honey",
    "honing": "honey", "bread": "bread", "poulets": "chicken", "lapins": "rabbit", "dindes": "turkey",
}
# An illustrative weekly volume and unit per product or family (not in OpenStreetMap): enough to rank, clearly an example.
VOLUMES = {"egg": (300, "piece"), "milk": (200, "l"), "dairy-product": (20, "kg"), "meat-product": (15, "kg"), "bakery": (30, "kg"),
           "local-grocery-store": (5, "kg")}
DEFAULT_VOLUME = (40, "kg")
EXAMPLE_POINT = (4.8665, 50.4669)  # Namur, place d'Armes


def products_of(tags: dict) -> list[str]:
    """Return the DFC products an OSM object's tags say it sells, in the tags' order."""
    found: list[str] = []
    for key in ("produce", "sells", "product", "vending"):
        for value in re.split(r"[;,&]| and ", (tags.get(key) or "").lower()):
            product = TAG_PRODUCTS.get(value.strip())
            if product and product not in found:
                found.append(product)
    return found


def _tags_by_osm_id() -> dict[str, dict]:
    text = resources.files("foodcommons.demo").joinpath("data/osm-farmshops/farmshops_brussels_wallonia.geojson").read_text(encoding="utf-8")
    return {f["properties"].get("@id"): f["properties"] for f in json.loads(text)["features"]}


def _organisation(slug: str, name: str) -> Organisation:
    return Organisation.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def load_demo_offers() -> int:
    """Create, in one bulk write, an offer for each product a demo farm shop's OSM tags name; return how many."""
    if Offer.objects.filter(is_example=True).exists():
        return 0
    tree, tags = product_tree(), _tags_by_osm_id()
    producers = _organisation("demo-osm-producers", "Producteurs OpenStreetMap (démo)")
    records = SourceRecord.objects.filter(source__slug="osm-farmshops", place__isnull=False).select_related("place")
    offers = []
    for record in records:
        place = record.place
        for product in products_of(tags.get(record.external_id, {})):
            volume, unit = VOLUMES.get(product) or VOLUMES.get(tree.family(product), DEFAULT_VOLUME)
            offers.append(Offer(
                public_id=f"demo-{record.pk}-{product}"[:32], organisation=producers, place=place, product=product, family=tree.family(product),
                months=list(tree.default_months(product)), month_mask=month_mask(tree.default_months(product)),
                volume=volume, volume_unit=unit, volume_period="week", delivery_radius_km=25,
                processing=["raw"], organic=False, lon=place.lon, lat=place.lat, is_example=True,
                source=f"OpenStreetMap {record.external_id} (ODbL): product from its tags; volume and radius are examples",
            ))
    Offer.objects.bulk_create(offers)
    return len(offers)


@transaction.atomic
def load_demo_supply() -> int:
    """Create the demo offers, one example demand and one example tender (once); return how many objects were created."""
    created = load_demo_offers()
    if Demand.objects.filter(is_example=True).exists():
        return created
    school = _organisation("demo-ecole-exemple", "Exemple : école communale (démo)")
    register_buyer(organisation=school, kind="school", author=None, check_role=False)
    publish_demand(data={
        "organisation": school, "title": "Exemple — Cantine scolaire : légumes, pommes, œufs et lait (démo)", "is_example": True,
        "description": "Une demande d'exemple pour montrer le classement des producteurs ; ce n'est pas une vraie commande.",
        "lon": EXAMPLE_POINT[0], "lat": EXAMPLE_POINT[1], "commune_nis": "92094", "lines": [
            {"product": "vegetable", "quantity": 30, "unit": "kg", "frequency": "weekly", "months": [9, 10, 11, 12, 1, 2, 3]},
            {"product": "potato", "quantity": 40, "unit": "kg", "frequency": "weekly", "months": [9, 10, 11, 12, 1, 2, 3, 4, 5, 6]},
            {"product": "egg", "quantity": 240, "unit": "piece", "frequency": "weekly", "months": list(range(1, 13))},
            {"product": "milk", "quantity": 60, "unit": "l", "frequency": "twice_weekly", "months": list(range(1, 13))},
        ]}, author=None, check_role=False, alert=False)
    year = date.today().year + 1
    criteria = [{"name": "Prix", "type": "price", "weight": 40}, {"name": "Circuit court et fraîcheur", "type": "quality", "weight": 40},
                {"name": "Emballages", "type": "quality", "weight": 20}]
    lot = {"lon": EXAMPLE_POINT[0], "lat": EXAMPLE_POINT[1], "delivery_location": "Namur", "award_criteria": criteria,
           "starts_on": date(year, 9, 1), "ends_on": date(year + 1, 6, 30)}
    create_tender(data={
        "organisation": school, "title": "Exemple — Marché de fournitures alimentaires en lots (démo)", "procedure": "low_value",
        "description": "Un marché d'exemple : il n'a pas été publié au Bulletin des adjudications.", "is_example": True,
        "deadline": datetime(year, 6, 1, 12, tzinfo=UTC), "lots": [
            {**lot, "title": "Lot 1 : légumes de saison", "cpv": "03221000-6", "product": "vegetable", "quantity": 1000, "unit": "kg",
             "months": [9, 10, 11, 12, 1, 2, 3]},
            {**lot, "title": "Lot 2 : pommes de terre", "cpv": "03212100-1", "product": "potato", "quantity": 1600, "unit": "kg",
             "months": [9, 10, 11, 12, 1, 2, 3, 4, 5, 6]},
            {**lot, "title": "Lot 3 : œufs", "cpv": "03142500-3", "product": "egg", "quantity": 10000, "unit": "piece", "months": list(range(1, 13))},
        ]}, author=None, check_role=False)
    return created + 2
