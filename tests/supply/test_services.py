"""Offers, buyers, demands, tenders and interests through the services: defaults, roles, and the ranking from the database."""

from datetime import UTC, datetime

import pytest

from foodcommons.collaboration.services import Forbidden
from foodcommons.core.problems import InvalidInput
from foodcommons.supply import selectors
from tests.supply.conftest import SCHOOL, make_demand, make_offer, person

pytestmark = pytest.mark.django_db


def test_an_offer_of_carrots_defaults_to_the_ademe_season_and_takes_the_place_location(farm, grower):
    offer = make_offer(farm, grower)
    assert offer.months == [1, 2, 3, 9, 10, 11, 12]  # ADEME: carrots from September to March
    assert offer.family == "vegetable" and (offer.lon, offer.lat) == (farm[0].lon, farm[0].lat)
    potatoes = make_offer(farm, grower, product="potato")
    assert potatoes.months == list(range(1, 13))  # not in the calendar: all year, editable


def test_only_editors_of_the_organisation_keeping_the_place_publish_offers(farm, grower, django_user_model):
    member = person(django_user_model, "mina", farm[1], role="member")
    with pytest.raises(Forbidden):
        make_offer(farm, member)
    from foodcommons.collaboration.models import Organisation
    from foodcommons.places.services import create_place

    elsewhere = create_place(data={"name": {"fr": "Autre"}, "categories": ["farm-shop"], "licence": "CC0-1.0",
                                   "geometry": {"type": "Point", "coordinates": [5.0, 50.5]}}).place
    with pytest.raises(InvalidInput) as refused:
        make_offer((elsewhere, farm[1]), grower)
    assert [e.field for e in refused.value.errors] == ["place"]
    assert Organisation.objects.count() == 1


def test_a_demand_needs_a_registered_buyer(farm, grower):
    from foodcommons.supply.services import publish_demand

    with pytest.raises(InvalidInput):
        publish_demand(data={"organisation": farm[1], "title": "x", "lon": 4.8, "lat": 50.4, "lines": []}, author=grower)


def test_the_demand_ranks_the_offers_pre_filtered_by_family_and_box(farm, grower, school):
    near = make_offer(farm, grower)
    make_offer(farm, grower, product="apples")  # another family: never scored
    demand = make_demand(school)
    [(line, matches)] = selectors.demand_rankings(demand)
    assert [m.offer.id for m in matches] == [near.public_id]
    assert {c.key for c in matches[0].criteria} == {"product", "season", "volume", "distance", "delivery_area", "certification",
                                                    "processing", "minimum_order", "intermediaries"}
    far_need = selectors.line_facts(line, demand)
    from dataclasses import replace

    assert selectors.candidate_offers(replace(far_need, lon=SCHOOL[0] + 3)) == []


def test_a_producer_sees_the_demands_they_could_answer(farm, grower, school):
    offer = make_offer(farm, grower)
    demand = make_demand(school)
    assert [m.need.id.split(":")[0] for m in selectors.needs_for_offers([offer])] == [demand.public_id]


def test_an_interest_is_one_per_offer_and_demand_and_only_an_editor_sends_it(farm, grower, school, django_user_model):
    from foodcommons.supply.services import express_interest

    offer, demand = make_offer(farm, grower), make_demand(school)
    express_interest(offer_id=offer.public_id, demand_id=demand.public_id, message="Oui", price=None, author=grower)
    again = express_interest(offer_id=offer.public_id, demand_id=demand.public_id, message="Oui, 40 kg", price=1.7, author=grower)
    assert [(i.message, float(i.price)) for i in selectors.interests_for_demand(demand)] == [("Oui, 40 kg", 1.7)]
    assert again.public_id
    with pytest.raises(Forbidden):
        express_interest(offer_id=offer.public_id, demand_id=demand.public_id, author=school[1])


def test_a_tender_numbers_its_lots(school):
    from foodcommons.supply.services import create_tender

    lot = {"title": "Légumes de saison", "cpv": "03221000-6", "product": "vegetable", "quantity": 4000, "unit": "kg",
           "months": [9, 10, 11], "lon": SCHOOL[0], "lat": SCHOOL[1],
           "award_criteria": [{"name": "Prix", "type": "price", "weight": 40}, {"name": "Fraîcheur", "type": "quality", "weight": 60}]}
    tender = create_tender(data={"organisation": school[0], "title": "Marché 2027", "procedure": "open",
                                 "deadline": datetime(2099, 1, 15, 12, tzinfo=UTC), "lots": [lot, {**lot, "title": "Fruits", "product": "fruit",
                                                                                                 "cpv": "03222000-3"}]}, author=school[1])
    assert [(x.lot_id, x.family) for x in tender.lots.all()] == [("LOT-0001", "vegetable"), ("LOT-0002", "fruit")]


def test_a_producer_far_away_who_delivers_to_the_commune_is_a_candidate(farm, grower, school):
    offer = make_offer(farm, grower, delivery_radius_km=None, delivery_communes=["92094"])
    demand = make_demand(school, commune_nis="92094", lon=SCHOOL[0] + 2.0)  # far beyond the 100 km box
    [(_line, matches)] = selectors.demand_rankings(demand)
    assert [m.offer.id for m in matches] == [offer.public_id]
    assert {c.key: c.value for c in matches[0].criteria}["delivery_area"] == "yes"
