"""The `relation` filter of every place query, on SQLite and PostgreSQL: through the API, the directory and the map's list."""

import pytest

from foodcommons.places.models import Place
from foodcommons.relations import services
from tests.relations.conftest import fact, make_place

pytestmark = pytest.mark.django_db


@pytest.fixture
def chains(organisation, editor):
    """Three short chains with different facts, and one that declared nothing."""
    def declared(name, **facts):
        place = make_place(name, organisation=organisation)
        services.declare_facts(public_id=place.public_id, declarations=facts, base_version=1, author=editor)
        return Place.objects.get(pk=place.pk)

    return {
        "gasap": declared("GASAP direct", chain=fact([]), price_setter=fact("producer"), commitment=fact("season_prefinancing"),
                          direct_contact=fact(["producers_at_distributions", "farm_visits"]), producer_share=fact(100)),
        "coop": declared("Coopérative", chain=fact([{"role": "shop", "name": "La Coop"}]), price_setter=fact("negotiated"),
                         commitment=fact("subscription"), direct_contact=fact(["volunteering"]), producer_share=fact(65)),
        "shop": declared("Magasin", chain=fact([{"role": "wholesaler", "name": "Grossiste"}, {"role": "shop", "name": "Épicerie"}]),
                         price_setter=fact("shop"), commitment=fact("none"), direct_contact=fact(["none"])),
        "unknown": make_place("Rien déclaré", organisation=organisation),
    }


def _names(client, *relation, path="/api/places"):
    answer = client.get(path, {"relation": list(relation), "category": "short-chains", "limit": 100})
    assert answer.status_code == 200, answer.content
    return sorted(p["name"]["fr"] for p in answer.json()["places"])


@pytest.mark.parametrize(("relation", "expected"), [
    (["intermediaries_max:0"], ["GASAP direct"]),
    (["intermediaries_max:1"], ["Coopérative", "GASAP direct"]),
    (["price_setter:producer"], ["GASAP direct"]),
    (["commitment:season_prefinancing"], ["GASAP direct"]),
    (["direct_contact:farm_visits"], ["GASAP direct"]),
    (["direct_contact:volunteering"], ["Coopérative"]),
    (["producer_share_min:60"], ["Coopérative", "GASAP direct"]),
    (["producer_share_min:90", "intermediaries_max:1"], ["GASAP direct"]),
    (["price_setter:negotiated", "commitment:season_prefinancing"], []),
])
def test_each_relation_filter_finds_the_places_that_declared_it(client, chains, relation, expected):
    assert _names(client, *relation) == expected


def test_a_place_that_declared_nothing_is_never_taken_for_a_no(client, chains):
    assert "Rien déclaré" not in _names(client, "intermediaries_max:12")
    assert "Rien déclaré" in _names(client)


@pytest.mark.parametrize(("value", "part"), [("price_setter:farmer", "takes one of"), ("charm:high", "unknown criterion"),
                                              ("intermediaries_max:many", "whole number"), ("chain:direct", "unknown criterion")])
def test_a_filter_outside_the_grid_is_a_400_saying_what_it_takes(client, value, part):
    answer = client.get("/api/places", {"relation": value})
    assert answer.status_code == 400 and part in answer.content.decode()


def test_the_directory_filters_on_relation_facts(client, chains):
    page = client.get("/directory", {"territory": "04000", "relation": "price_setter:producer"}).content.decode()
    shown = {name for name, place in chains.items() if f"/places/{place.public_id}" in page}
    assert shown == {"gasap"}
