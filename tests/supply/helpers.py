"""Small hand-made facts for the pure supply tests."""

from dataclasses import replace
from datetime import date

from foodcommons.supply.domain.matching import NeedFacts, OfferFacts
from foodcommons.supply.domain.products import ProductTree

TREE = ProductTree(broader={"vegetable": None, "fruit": None, "carrot": "vegetable", "leek": "vegetable", "apples": "fruit",
                            "dairy-product": None, "milk": "dairy-product"},
                   months={"carrot": (1, 2, 3, 9, 10, 11, 12)})
TODAY = date(2026, 12, 3)
# Namur's centre; 0.1° of latitude is 11.1 km.
LON, LAT = 4.87, 50.46


def need(**changes) -> NeedFacts:
    base = NeedFacts(id="line-1", product="carrot", months=frozenset({1, 2, 3, 4}), quantity_per_month=100.0,
                     quantity_per_delivery=25.0, unit="kg", lon=LON, lat=LAT, commune="92094")
    return replace(base, **changes)


def offer(**changes) -> OfferFacts:
    base = OfferFacts(id="offer-1", product="carrot", months=frozenset({1, 2, 3, 4}), volume_per_month=100.0, unit="kg",
                      lon=LON, lat=LAT, radius_km=30.0, producer="farm-1")
    return replace(base, **changes)
