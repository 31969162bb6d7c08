"""The matching criteria one by one, their sum, weights that change the order, and the engine turned round."""

from datetime import date

import pytest

from foodcommons.supply.domain import matching as m
from tests.supply.helpers import LAT, LON, TODAY, TREE, need, offer


def criteria(n=None, o=None, weights=None) -> dict:
    match = m.score(TREE, n or need(), o or offer(), weights or m.DEFAULT_WEIGHTS, TODAY)
    return {c.key: c for c in match.criteria}


@pytest.mark.parametrize(("asked", "offered", "value", "fit"), [
    ("carrot", "carrot", "exact", 1.0), ("vegetable", "carrot", "narrower", 0.8),
    ("carrot", "vegetable", "broader", 0.4), ("carrot", "leek", "sibling", 0.2), ("carrot", "apples", "none", 0.0),
])
def test_product_criterion_follows_the_taxonomy(asked, offered, value, fit):
    c = criteria(need(product=asked), offer(product=offered))["product"]
    assert (c.value, c.fit) == (value, fit)
    assert c.points == pytest.approx(fit * m.DEFAULT_WEIGHTS["product"])


def test_season_counts_the_asked_months_covered():
    c = criteria(need(months=frozenset({1, 2, 3, 4})), offer(months=frozenset({3, 4, 5})))["season"]
    assert (c.value, c.fit) == ("3,4", 0.5)


def test_volume_is_the_share_covered_and_zero_across_units():
    assert criteria(o=offer(volume_per_month=25.0))["volume"].fit == 0.25
    assert criteria(o=offer(volume_per_month=400.0))["volume"].fit == 1.0
    assert criteria(o=offer(unit="piece"))["volume"].fit == 0.0


def test_distance_and_delivery_area():
    far = offer(lat=LAT + 0.45, radius_km=30.0)  # about 50 km north
    c = criteria(o=far)
    assert 49 < float(c["distance"].value) < 51 and c["distance"].fit == pytest.approx(0.5, abs=0.01)
    assert (c["delivery_area"].value, c["delivery_area"].fit) == ("no", 0.0)
    by_commune = criteria(o=offer(lat=LAT + 0.45, radius_km=None, communes=frozenset({"92094"})))
    assert by_commune["delivery_area"].fit == 1.0


def test_organic_asked_needs_a_certificate_valid_at_the_start():
    assert criteria(n=need(organic=False))["certification"].fit == 1.0
    assert criteria(n=need(organic=True))["certification"].fit == 0.0
    valid = offer(organic_until=date(2027, 6, 30))
    assert criteria(n=need(organic=True, starts_on=date(2027, 1, 1)), o=valid)["certification"].fit == 1.0
    assert criteria(n=need(organic=True, starts_on=date(2027, 9, 1)), o=valid)["certification"].fit == 0.0


def test_processing_and_minimum_order_and_intermediaries():
    assert criteria(n=need(processing="cut"))["processing"].fit == 0.0
    assert criteria(n=need(processing="cut"), o=offer(processing=frozenset({"raw", "cut"})))["processing"].fit == 1.0
    assert criteria(o=offer(minimum_order=50.0))["minimum_order"].fit == 0.5  # 25 kg a delivery for a 50 kg minimum
    assert criteria(o=offer(minimum_order=20.0))["minimum_order"].fit == 1.0
    assert criteria(o=offer(intermediaries=1))["intermediaries"].fit == 0.5


def test_score_is_the_sum_of_the_points_and_a_perfect_match_reaches_the_maximum():
    match = m.score(TREE, need(), offer(), m.DEFAULT_WEIGHTS, TODAY)
    assert match.score == pytest.approx(sum(c.points for c in match.criteria))
    assert match.score == pytest.approx(match.maximum)
    partial = m.score(TREE, need(), offer(volume_per_month=50.0, intermediaries=1), m.DEFAULT_WEIGHTS, TODAY)
    assert partial.score == pytest.approx(match.maximum - 0.5 * 2.0 - 0.5 * 1.0)


def test_weights_change_the_order():
    near_small = offer(id="near-small", volume_per_month=20.0)
    far_big = offer(id="far-big", lat=LAT + 0.2, volume_per_month=200.0)
    volume_first = m.clean_weights({"volume": "10", "distance": "0"})
    reordered = [x.offer.id for x in m.rank_offers(TREE, need(), [near_small, far_big], weights=volume_first, today=TODAY)]
    distance_first = m.clean_weights({"volume": "0", "distance": "10"})
    assert reordered == ["far-big", "near-small"]
    assert [x.offer.id for x in m.rank_offers(TREE, need(), [near_small, far_big], weights=distance_first, today=TODAY)] == ["near-small", "far-big"]


def test_offers_of_other_products_or_seasons_are_left_out():
    ranked = m.rank_offers(TREE, need(), [offer(id="apples", product="apples"), offer(id="summer", months=frozenset({7}))], today=TODAY)
    assert ranked == []


def test_weights_are_clamped_and_bad_values_ignored():
    weights = m.clean_weights({"volume": "99", "distance": "-3", "season": "nan", "product": "abc", "unknown": "5"})
    assert weights["volume"] == 10.0 and weights["distance"] == 0.0
    assert weights["season"] == m.DEFAULT_WEIGHTS["season"] and weights["product"] == m.DEFAULT_WEIGHTS["product"]
    assert "unknown" not in weights


def test_the_engine_turned_round_ranks_needs_for_an_offer():
    needs = [need(id="far", lat=LAT + 0.5), need(id="near"), need(id="milk", product="milk", unit="l")]
    assert [x.need.id for x in m.rank_needs(TREE, offer(), needs, today=TODAY)] == ["near", "far"]


def test_bounding_box_contains_points_at_that_distance():
    min_lon, min_lat, max_lon, max_lat = m.bounding_box(LON, LAT, 50)
    assert m.distance_km(LON, LAT, LON, max_lat) == pytest.approx(50, rel=0.01)
    assert m.distance_km(LON, LAT, max_lon, LAT) == pytest.approx(50, rel=0.01)
    assert min_lon < LON < max_lon and min_lat < LAT < max_lat
