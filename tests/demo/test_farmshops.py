"""The farmshops.eu extract: farms, farm shops, markets, beekeepers and vending machines of Brussels and Wallonia."""

import pytest

from foodcommons.demo.farmshops import category_of, place_input, produce_of
from foodcommons.demo.loader import load_demo
from foodcommons.places.models import Place

BRUSSELS = "Région de Bruxelles-Capitale"


def tags(**extra) -> dict:
    return {"be:region": BRUSSELS, "@id": "node/1", **extra}


@pytest.mark.parametrize(("extra", "expected"), [
    ({"farmshops:category": "marketplace", "name": "Marché du Midi"}, "market"),
    ({"farmshops:category": "marketplace", "name": "Marché des Antiquités du Sablon"}, None),
    ({"farmshops:category": "marketplace", "name": "Brocantemet"}, None),
    ({"farmshops:category": "marketplace", "name": "Place X", "description": "marché aux puces"}, None),
    ({"farmshops:category": "farm", "shop": "farm", "name": "Ferme"}, "farm-shop"),
    ({"farmshops:category": "beekeeper", "craft": "beekeeper", "name": "Rucher"}, "bee-keeping"),
    ({"farmshops:category": "vending_machine", "vending": "milk;eggs"}, "farm-shop"),
    ({"farmshops:category": "vending_machine", "vending": "potatoes"}, "farm-shop"),
    ({"farmshops:category": "vending_machine", "vending": "food;drinks"}, None),
    ({"farmshops:category": "vending_machine", "vending": "drinks;food;coffee"}, None),
])
def test_food_places_are_kept_and_flea_markets_and_snack_machines_left_out(extra, expected):
    assert category_of(tags(**extra)) == expected


def test_flanders_is_left_out():
    assert category_of({**tags(farmshops_category="farm"), "be:region": "Région Flamande", "farmshops:category": "farm"}) is None


def test_an_unnamed_milk_machine_is_named_in_three_languages():
    place = place_input(tags(**{"farmshops:category": "vending_machine", "vending": "milk;butter", "be:commune_fr": "Uccle"}), 4.35, 50.8)
    assert place["name"] == {"fr": "Distributeur de lait", "nl": "Melkautomaat", "en": "Milk vending machine"}
    assert place["categories"] == ["farm-shop"] and place["licence"] == "ODbL-1.0"
    assert produce_of("food;aardappelen;aardbeien;bread") == ["potatoes", "fruit"]


@pytest.mark.django_db
def test_the_demo_holds_markets_farm_shops_and_beekeepers_of_brussels_and_wallonia_only():
    load_demo()
    farmshops = Place.objects.filter(source_records__source__slug="osm-farmshops")
    assert farmshops.count() > 200
    assert farmshops.filter(categories__slug="market", commune__code__startswith="21").count() > 20
    assert farmshops.filter(categories__slug="bee-keeping").count() > 10
    communes = set(farmshops.exclude(commune__isnull=True).values_list("commune_id", flat=True))
    assert communes and all(c.startswith(("21", "25", "5", "6", "8", "9")) for c in communes)  # Brussels and Wallonia only
    assert not farmshops.filter(name_fr__icontains="antiquit").exists()
    assert all(p.licence == "ODbL-1.0" for p in farmshops)
