"""The demo's offers come from what OpenStreetMap tags say farm shops sell; the demand and tender are labelled examples."""

import time

import pytest

from foodcommons.demo.supply import products_of

pytestmark = pytest.mark.django_db


def test_tags_name_the_products():
    assert products_of({"vending": "milk;eggs"}) == ["milk", "egg"]
    assert products_of({"produce": "egg, milk, ice cream, butter,"}) == ["egg", "milk", "butter"]
    assert products_of({"vending": "fruit & vegetables", "produce": "pommes de terre"}) == ["potato", "fruit", "vegetable"]
    assert products_of({"shop": "farm"}) == []  # a farm shop whose tags name nothing offers nothing
    assert products_of({"vending": "food"}) == []


def test_the_demo_creates_offers_from_tags_and_a_ranked_example_demand(client):
    from foodcommons.demo.loader import load_demo
    from foodcommons.supply.models import Demand, Offer, Tender

    started = time.monotonic()
    load_demo()
    assert time.monotonic() - started < 60
    offers = Offer.objects.all()
    assert offers.count() > 20 and all(o.is_example and "OpenStreetMap" in o.source for o in offers)
    assert {"egg", "milk", "potato"} <= set(offers.values_list("product", flat=True))
    demand = Demand.objects.get()
    assert demand.is_example and "Exemple" in demand.title and Tender.objects.get().is_example
    html = client.get(f"/supply/demands/{demand.public_id}", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "demande d'exemple" in html and '<ol class="ranking">' in html
    load_demo()
    assert Offer.objects.count() == offers.count() and Demand.objects.count() == 1
