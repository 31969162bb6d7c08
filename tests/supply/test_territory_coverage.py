"""The territory coverage indicator (pure), computed by hand: per family and month, by producer, each offer's volume used once."""

import random

import pytest

from foodcommons.supply.domain import coverage, territory
from foodcommons.supply.domain.territory import territory_coverage
from tests.supply.helpers import LAT, LON, TREE, need, offer


def test_two_canteens_share_one_farm_month_by_month():
    # Two canteens ask 100 kg of carrots a month in January–April (800 kg); the farm has 150 kg a month in January–March.
    # January–March: 150 of 200 each month; April: nothing. 450 of 800.
    farm = offer(volume_per_month=150.0, months=frozenset({1, 2, 3}))
    found = territory_coverage(TREE, [need(id="school"), need(id="creche")], [farm], max_km=20)
    [vegetables] = found.families
    assert (vegetables.family, vegetables.unit) == ("vegetable", "kg")
    assert [(m.month, m.asked, m.covered) for m in vegetables.months] == [(1, 200.0, 150.0), (2, 200.0, 150.0), (3, 200.0, 150.0), (4, 200.0, 0.0)]
    assert (vegetables.asked, vegetables.covered, vegetables.share) == (800.0, 450.0, pytest.approx(450 / 800))
    assert [(p.producer, p.unit, p.quantity) for p in found.producers] == [("farm-1", "kg", 450.0)]
    assert found.totals() == {"kg": (800.0, 450.0)}


def test_nearest_producers_first_and_only_within_the_distance():
    # 100 kg a month in January: A (11 km) has 60, B (at the door) has 70, C (45 km) has 500. Within 20 km: B 70, then A 30.
    a = offer(id="A", producer="A", volume_per_month=60.0, months=frozenset({1}), lat=LAT + 0.1)
    b = offer(id="B", producer="B", volume_per_month=70.0, months=frozenset({1}))
    c = offer(id="C", producer="C", volume_per_month=500.0, months=frozenset({1}), lat=LAT + 0.4)
    found = territory_coverage(TREE, [need(months=frozenset({1}))], [a, b, c], max_km=20)
    assert [(p.producer, p.quantity) for p in found.producers] == [("B", 70.0), ("A", 30.0)]
    assert found.families[0].covered == 100.0
    wider = territory_coverage(TREE, [need(months=frozenset({1}))], [c], max_km=50)
    assert wider.families[0].covered == 100.0


def test_families_and_units_are_kept_apart_and_narrower_products_answer():
    # "vegetable" (broad) is answered by carrots; apples by nothing; milk in litres by a dairy farm, never added to kilograms.
    veg = need(id="veg", product="vegetable", months=frozenset({1}))
    apples = need(id="apples", product="apples", months=frozenset({1}), quantity_per_month=40.0)
    milk = need(id="milk", product="milk", unit="l", months=frozenset({1}), quantity_per_month=300.0)
    carrots = offer(id="carrots", producer="grower", months=frozenset({1}), volume_per_month=30.0)
    dairy = offer(id="dairy", producer="dairy", product="milk", unit="l", months=frozenset({1}), volume_per_month=200.0)
    broad = offer(id="broad", producer="grower", product="fruit", months=frozenset({1}))  # broader than apples: does not count
    found = territory_coverage(TREE, [veg, apples, milk], [carrots, dairy, broad], max_km=20)
    assert [(f.family, f.unit, f.asked, f.covered) for f in found.families] == [
        ("dairy-product", "l", 300.0, 200.0), ("fruit", "kg", 40.0, 0.0), ("vegetable", "kg", 100.0, 30.0),
    ]
    assert found.totals() == {"kg": (140.0, 30.0), "l": (300.0, 200.0)}
    assert [(p.producer, p.unit, p.quantity) for p in found.producers] == [("grower", "kg", 30.0), ("dairy", "l", 200.0)]


def test_no_demand_gives_an_empty_indicator():
    found = territory_coverage(TREE, [], [offer()], max_km=30)
    assert (found.families, found.producers, found.lines, found.totals()) == ((), (), 0, {})


@pytest.mark.parametrize("nearest_first", [2, 32])
def test_the_grid_gives_what_need_by_need_coverage_gives(nearest_first, monkeypatch):
    # Random farms and canteens around Namur: the indexed computation equals need_coverage line by line with shared capacity,
    # also when each line looks at its 2 nearest offers first and sorts the others only when they leave a month short.
    monkeypatch.setattr(territory, "NEAREST_FIRST", nearest_first)
    rng = random.Random(7)
    products = ["carrot", "leek", "vegetable"]
    offers = [offer(id=f"o{i}", producer=f"p{i}", product=rng.choice(products[:2]), volume_per_month=rng.choice((20.0, 50.0, 90.0)),
                    months=frozenset(rng.sample(range(1, 13), 6)), lon=LON + rng.uniform(-0.6, 0.6), lat=LAT + rng.uniform(-0.4, 0.4))
              for i in range(300)]
    needs = [need(id=f"n{i}", product=rng.choice(products), quantity_per_month=rng.choice((40.0, 100.0)),
                  months=frozenset(rng.sample(range(1, 13), 4)), lon=LON + rng.uniform(-0.3, 0.3), lat=LAT + rng.uniform(-0.2, 0.2))
             for i in range(60)]
    found = territory_coverage(TREE, needs, offers, max_km=15)
    capacity: dict = {}
    expected = [coverage.total(coverage.need_coverage(TREE, n, offers, max_km=15, capacity=capacity)) for n in needs]
    assert found.families[0].asked == pytest.approx(sum(s.asked for s in expected))
    assert found.families[0].covered == pytest.approx(sum(s.covered for s in expected))
    assert 0 < found.families[0].share < 1
    by_producer: dict = {}
    capacity = {}
    for n in needs:
        for month in coverage.need_coverage(TREE, n, offers, max_km=15, capacity=capacity):
            for offer_id, quantity in month.by:
                by_producer[f"p{offer_id[1:]}"] = by_producer.get(f"p{offer_id[1:]}", 0.0) + quantity
    assert {s.producer: s.quantity for s in found.producers} == pytest.approx(by_producer, abs=0.01)
