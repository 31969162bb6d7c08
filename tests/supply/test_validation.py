"""Every field of offers, buyers, demands, tenders, lots and interests is checked before it is stored."""

from datetime import UTC, date, datetime

import pytest

from foodcommons.supply.domain import validation as v

PRODUCTS = {"carrot", "vegetable", "apples"}
TODAY = date(2026, 12, 3)
NOW = datetime(2026, 12, 3, 9, tzinfo=UTC)


def fields(errors) -> set[str]:
    return {e.field for e in errors}


def good_offer(**changes) -> dict:
    return {"product": "carrot", "months": [1, 2, 3], "volume": 100, "volume_unit": "kg", "volume_period": "week",
            "delivery_radius_km": 30, "processing": ["raw"], "intermediaries": 0, **changes}


def test_a_complete_offer_passes():
    assert v.offer_errors(good_offer(price=1.8, minimum_order=20, delivery_days=["tue"], organic=True, organic_certifier="Certisys",
                                     organic_expires=date(2027, 3, 1), afsca_number="0123.456.789"), products=PRODUCTS, today=TODAY) == []


@pytest.mark.parametrize(("change", "field"), [
    ({"product": "banana"}, "product"), ({"months": []}, "months"), ({"months": [0, 13]}, "months"), ({"months": [1, 1]}, "months"),
    ({"volume": 0}, "volume"), ({"volume": "lots"}, "volume"), ({"volume_unit": "ton"}, "volume_unit"),
    ({"volume_period": "day"}, "volume_period"), ({"price": -1}, "price"), ({"minimum_order": 0}, "minimum_order"),
    ({"delivery_radius_km": 900}, "delivery_radius_km"), ({"delivery_radius_km": None}, "delivery_radius_km"),
    ({"delivery_communes": ["Namur"]}, "delivery_communes"), ({"delivery_days": ["monday"]}, "delivery_days"),
    ({"processing": ["peeled"]}, "processing"), ({"processing": []}, "processing"), ({"intermediaries": 9}, "intermediaries"),
    ({"organic": True, "organic_expires": date(2027, 1, 1)}, "organic_certifier"),
    ({"organic": True, "organic_certifier": "Certisys"}, "organic_expires"),
    ({"organic": True, "organic_certifier": "Certisys", "organic_expires": date(2026, 1, 1)}, "organic_expires"),
    ({"afsca_number": "12345"}, "afsca_number"),
])
def test_each_offer_field_is_checked(change, field):
    assert field in fields(v.offer_errors(good_offer(**change), products=PRODUCTS, today=TODAY))


def test_communes_alone_are_a_delivery_area():
    assert v.offer_errors(good_offer(delivery_radius_km=None, delivery_communes=["92094"]), products=PRODUCTS, today=TODAY) == []


def test_buyer_kind():
    assert v.buyer_errors({"kind": "school"}) == []
    assert fields(v.buyer_errors({"kind": "restaurant"})) == {"kind"}


def good_demand(**changes) -> dict:
    line = {"product": "carrot", "quantity": 25, "unit": "kg", "frequency": "weekly", "months": [1, 2]}
    return {"title": "Cantine", "lon": 4.87, "lat": 50.46, "lines": [line], **changes}


def test_demand_and_its_lines():
    assert v.demand_errors(good_demand(budget=2000, processing="washed"), products=PRODUCTS) == []
    assert fields(v.demand_errors(good_demand(title=" ", lon=None, budget=0, processing="fried", lines=[]), products=PRODUCTS)) == {
        "title", "delivery_point", "budget", "processing", "lines"}
    bad_line = {"product": "x", "quantity": -2, "unit": "t", "frequency": "yearly", "months": [14]}
    assert fields(v.demand_errors(good_demand(lines=[bad_line]), products=PRODUCTS)) == {
        f"lines[0].{k}" for k in ("product", "quantity", "unit", "frequency", "months")}
    assert "delivery_point" in fields(v.demand_errors(good_demand(lon=-20.0, lat=10.0), products=PRODUCTS))


def good_tender(**changes) -> dict:
    lot = {"title": "Légumes", "cpv": "03221000-6", "product": "vegetable", "quantity": 4000, "unit": "kg", "months": [9, 10],
           "lon": 4.87, "lat": 50.46, "award_criteria": [{"name": "Prix", "type": "price", "weight": 40},
                                                          {"name": "Circuit court", "type": "quality", "weight": 60}]}
    return {"title": "Marché", "procedure": "open", "deadline": datetime(2027, 1, 15, 12, tzinfo=UTC),
            "notice_url": "https://www.publicprocurement.be/", "lots": [lot], **changes}


def test_tender_and_its_lots():
    assert v.tender_errors(good_tender(), products=PRODUCTS, now=NOW) == []
    assert fields(v.tender_errors(good_tender(title="", procedure="auction", deadline=datetime(2026, 1, 1, tzinfo=UTC),
                                              notice_url="ftp://x", lots=[]), products=PRODUCTS, now=NOW)) == {
        "title", "procedure", "deadline", "notice_url", "lots"}
    assert "deadline" in fields(v.tender_errors(good_tender(deadline=datetime(2027, 1, 1)), products=PRODUCTS, now=NOW))
    lot = {"title": "", "cpv": "0322", "product": "x", "quantity": 0, "unit": "t", "months": [], "lon": None,
           "award_criteria": [{"name": "", "type": "beauty", "weight": 0}]}
    assert fields(v.tender_errors(good_tender(lots=[lot]), products=PRODUCTS, now=NOW)) == {
        f"lots[0].{k}" for k in ("title", "cpv", "product", "quantity", "unit", "months", "delivery_point",
                                 "award_criteria[0].name", "award_criteria[0].type", "award_criteria[0].weight")}


def test_award_weights_add_up_to_100():
    lot = good_tender()["lots"][0] | {"award_criteria": [{"name": "Prix", "type": "price", "weight": 40}]}
    assert fields(v.tender_errors(good_tender(lots=[lot]), products=PRODUCTS, now=NOW)) == {"lots[0].award_criteria"}


def test_interest():
    assert v.interest_errors({"message": "Oui", "price": 1.5}) == []
    assert fields(v.interest_errors({"message": "x" * 2001, "price": 0})) == {"message", "price"}
