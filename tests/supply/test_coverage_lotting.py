"""Coverage by month and by whom, a territory's share, and the lotting helper, on fixtures computed by hand."""

import pytest

from foodcommons.supply.domain import coverage, lotting
from tests.supply.helpers import LAT, TREE, need, offer


def test_coverage_month_by_month_nearest_first():
    # Carrots, 100 kg a month in January–April. A: 60 kg Jan–Mar at the door; B: 80 kg Feb–Apr 11 km away; C: 45 km away.
    a = offer(id="A", volume_per_month=60.0, months=frozenset({1, 2, 3}))
    b = offer(id="B", volume_per_month=80.0, months=frozenset({2, 3, 4}), lat=LAT + 0.1)
    c = offer(id="C", volume_per_month=500.0, lat=LAT + 0.4)
    months = coverage.need_coverage(TREE, need(), [c, b, a], max_km=20)
    assert [(x.month, x.covered, x.by) for x in months] == [
        (1, 60.0, (("A", 60.0),)), (2, 100.0, (("A", 60.0), ("B", 40.0))), (3, 100.0, (("A", 60.0), ("B", 40.0))), (4, 80.0, (("B", 80.0),)),
    ]
    assert coverage.total(months).share == pytest.approx(340 / 400)
    assert coverage.total(coverage.need_coverage(TREE, need(), [c, b, a], max_km=50)).share == 1.0


def test_coverage_counts_narrower_products_only_and_the_same_unit():
    veg = need(product="vegetable")
    assert coverage.total(coverage.need_coverage(TREE, veg, [offer()], max_km=20)).covered == 400
    assert coverage.total(coverage.need_coverage(TREE, need(), [offer(product="vegetable")], max_km=20)).covered == 0
    assert coverage.total(coverage.need_coverage(TREE, need(), [offer(unit="piece")], max_km=20)).covered == 0


def test_territory_share_uses_each_offer_once_a_month():
    # Two canteens of 100 kg a month each (4 months: 800 kg); one farm of 150 kg a month: 600 kg, 75 %.
    needs = [need(id="school"), need(id="creche")]
    share = coverage.territory_share(TREE, needs, [offer(volume_per_month=150.0)], max_km=20)
    assert (share.asked, share.covered, share.share) == (800.0, 600.0, 0.75)


def test_lots_by_family_and_season_let_each_producer_answer():
    # Carrots 100 kg/month all year and apples 50 kg/month all year; a vegetable grower and an orchard.
    carrots = need(id="carrots", months=frozenset(range(1, 13)))
    apples = need(id="apples", product="apples", quantity_per_month=50.0, months=frozenset(range(1, 13)))
    grower = offer(id="grower", producer="grower", months=frozenset(range(1, 13)))
    orchard = offer(id="orchard", producer="orchard", product="apples", volume_per_month=50.0, months=frozenset({9, 10, 11, 12, 1, 2, 3}))
    before, after, lots = lotting.coverage_before_after(TREE, [carrots, apples], [grower, orchard], max_km=20)
    # One lot: the best single producer is the grower, 1,200 kg of 1,800 kg.
    assert (before.asked, before.covered) == (1800.0, 1200.0)
    assert [(lot.family, lot.season) for lot, _ in lots] == [("fruit", "summer"), ("fruit", "winter"), ("vegetable", "summer"), ("vegetable", "winter")]
    # Fruit summer: orchard has September only (50 of 300); fruit winter: all 300; vegetables: 600 + 600.
    assert [s.covered for _, s in lots] == [50.0, 300.0, 600.0, 600.0]
    assert (after.asked, after.covered) == (1800.0, 1550.0)


def test_cpv_codes_follow_the_product_family():
    assert lotting.cpv_for(TREE, "carrot") == "03221000-6"
    assert lotting.cpv_for(TREE, "apples") == "03222000-3"
    assert lotting.cpv_for(TREE, "milk") == "15500000-3"
