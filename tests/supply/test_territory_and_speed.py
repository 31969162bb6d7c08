"""The territory coverage in the API and on its page (FR/NL), and the screened ranking giving the very order of scoring every offer."""

import random
from datetime import date

import pytest

from foodcommons.supply.domain import matching
from foodcommons.supply.domain.screening import month_mask
from tests.supply.conftest import make_demand, make_offer

# 25 kg of carrots a week in January–March: 25 × 52/12 = 108.33 kg a month, 325 kg in all; the farm (about 20 km away)
# has 50 kg a week, 216.67 kg a month: it covers everything within 30 km, nothing within 10 km.
ASKED = 3 * 25 * 52 / 12


def test_the_api_gives_a_communes_coverage_by_family_and_producer(farm, grower, school, api):
    make_offer(farm, grower)
    make_demand(school)
    body = api.get("/api/supply/territories/92094/coverage", {"km": 30}).json()
    assert (body["territory"], body["name"], body["demands"], body["buyers"], body["lines"]) == ("92094", "Namur", 1, 1, 1)
    assert body["totals"] == [{"unit": "kg", "asked": pytest.approx(ASKED, abs=0.01), "covered": pytest.approx(ASKED, abs=0.01), "share": 1.0}]
    [vegetables] = body["families"]
    assert (vegetables["family"], vegetables["label"], [m["month"] for m in vegetables["months"]]) == ("vegetable", "légume", [1, 2, 3])
    assert [(p["place"], p["name"]) for p in body["producers"]] == [(farm[0].public_id, "Ferme du Chemin")]
    near = api.get("/api/supply/territories/92094/coverage", {"km": 10}).json()
    assert (near["totals"][0]["covered"], near["producers"]) == (0.0, [])


def test_the_province_counts_its_communes_demands_only(farm, grower, school, api):
    make_offer(farm, grower)
    make_demand(school)
    make_demand(school, title="Cantine de Liège", lon=5.5797, lat=50.6326)  # in the province of Liège
    namur = api.get("/api/supply/territories/90000/coverage").json()
    liege = api.get("/api/supply/territories/60000/coverage").json()
    assert (namur["demands"], namur["totals"][0]["share"]) == (1, 1.0)
    assert (liege["demands"], liege["totals"][0]["covered"], liege["producers"]) == (1, 0.0, [])


def test_an_unknown_territory_or_distance_is_refused(api, db):
    assert api.get("/api/supply/territories/99999/coverage").status_code == 404
    assert api.get("/api/supply/territories/92094/coverage", {"km": 500}).status_code in (400, 422)


def test_the_coverage_is_in_the_openapi_description(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    operation = paths["/api/supply/territories/{code}/coverage"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"code", "km", "lang"}


def test_the_page_explains_what_to_do_when_no_canteen_has_asked(client, db):
    page = client.get("/supply/coverage", {"territory": "92094"}, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Geen enkele kantine van Namen heeft al een vraag gepubliceerd" in page
    assert 'href="/supply/demands/new"' in page
    empty = client.get("/supply/coverage", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Choisissez un territoire ci-dessus" in empty


def test_the_page_shows_the_share_and_who_could_supply(farm, grower, school, client):
    make_offer(farm, grower)
    make_demand(school)
    page = client.get("/supply/coverage", {"territory": "92094", "km": "30"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<strong>100 %</strong>" in page and "Ferme du Chemin" in page and "janvier 100 %" in page
    assert "Déclaré par 1 acheteur dans 1 demande publiée." in page  # each count takes its own plural
    dutch = client.get("/supply/coverage", {"territory": "92094", "km": "30"}, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Per productfamilie" in dutch and "groente" in dutch.lower() and "januari 100 %" in dutch
    assert "Opgegeven door 1 koper in 1 gepubliceerde vraag." in dutch
    unknown = client.get("/supply/coverage", {"territory": "00001"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert unknown.status_code == 404 and "Dit gebied is niet bekend" in unknown.content.decode()


def test_the_landing_page_links_to_the_coverage(client, db):
    assert 'href="/supply/coverage"' in client.get("/supply/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_publishing_a_demand_places_it_in_its_commune(school):
    assert make_demand(school).commune_nis == "92094"


def test_the_screened_ranking_is_the_ranking_of_every_offer(farm, db):
    # 400 offers of vegetables and fruit around Namur: the screened ranking (bounds, groups, batches) gives exactly the
    # matches, scores and order of scoring every candidate, with the default weights and with others.
    from foodcommons.supply import selectors
    from foodcommons.supply.models import Offer
    from foodcommons.supply.products import product_tree

    tree, rng = product_tree(), random.Random(3)
    place, organisation = farm
    offers = []
    for i in range(400):
        product = rng.choice(["carrot", "leek", "potato", "vegetable", "apples"])
        months = sorted(rng.sample(range(1, 13), rng.randint(1, 12)))
        offers.append(Offer(public_id=f"o{i}", organisation=organisation, place=place, product=product, family=tree.family(product),
                            months=months, month_mask=month_mask(months), volume=rng.choice((5, 20, 60)), volume_unit=rng.choice(("kg", "kg", "piece")),
                            volume_period=rng.choice(("week", "month")), delivery_radius_km=rng.choice((None, 10, 40)),
                            delivery_communes=rng.choice(([], ["92094"])), minimum_order=rng.choice((None, 10, 40)),
                            organic=rng.random() < 0.4, organic_expires=date(2030, 1, 1) if rng.random() < 0.5 else date(2020, 1, 1),
                            processing=rng.choice((["raw"], ["raw", "washed"])), intermediaries=rng.randint(0, 2),
                            lon=4.87 + rng.uniform(-1.2, 1.2), lat=50.46 + rng.uniform(-0.8, 0.8)))
    Offer.objects.bulk_create(offers)
    needs = [matching.NeedFacts(id="a", product="carrot", months=frozenset({1, 2, 3, 10}), quantity_per_month=100, quantity_per_delivery=25,
                                unit="kg", lon=4.87, lat=50.46, commune="92094", organic=True, processing="washed"),
             matching.NeedFacts(id="b", product="vegetable", months=frozenset({6}), quantity_per_month=30, quantity_per_delivery=30,
                                unit="kg", lon=4.5, lat=50.7)]
    for need in needs:
        for weights in (matching.DEFAULT_WEIGHTS, {**matching.DEFAULT_WEIGHTS, "product": 0, "distance": 10}, dict.fromkeys(matching.CRITERIA, 0.0)):
            for limit in (5, 50):
                full = matching.rank_offers(tree, need, selectors.candidate_offers(need), weights=weights, today=date(2026, 12, 3), limit=limit)
                assert selectors.rank_for_need(need, weights=weights, today=date(2026, 12, 3), limit=limit) == full
                assert len(full) == limit
