"""Screening many offers at once: an upper bound of each one's score, so that only those that may reach the top are explained. Pure.

The ranking stays `matching.score` (every criterion explained); this module only says which offers can be skipped without
changing the order: offers are grouped by how their product relates to the one asked (exact first), and within a group
their bound adds up the same criteria with numpy, processing counted as met (it is checked exactly afterwards).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from foodcommons.supply.domain.matching import DISTANCE_SCALE_KM, PRODUCT_FIT, NeedFacts
from foodcommons.supply.domain.products import BROADER, EXACT, NARROWER, SIBLING, ProductTree
from foodcommons.supply.domain.units import WEEKS_PER_MONTH

# The explained score rounds each criterion to 4 decimals: a bound this much higher is still a bound.
ROUNDING_SLACK = 0.001
_POPCOUNT = np.array([bin(i).count("1") for i in range(1 << 13)], dtype=np.float64)


def month_mask(months: Sequence[int]) -> int:
    """Return the months (1–12) as a bit mask, bit 1 for January: what the database filters season overlap on."""
    mask = 0
    for month in months:
        mask |= 1 << int(month)
    return mask


def product_groups(tree: ProductTree, product: str) -> list[tuple[str, list[str]]]:
    """Return the products that answer `product`, grouped by relation (exact, narrower, broader, sibling), in that order."""
    parent = tree.broader.get(product)
    narrower = [p for p in tree.broader if p != product and product in tree.ancestors(p)]
    siblings = [p for p, up in tree.broader.items() if parent and up == parent and p != product]
    groups = [(EXACT, [product]), (NARROWER, sorted(narrower)), (BROADER, tree.ancestors(product)), (SIBLING, sorted(siblings))]
    return [(relation, products) for relation, products in groups if products]


def group_bound(relation: str, weights: Mapping[str, float]) -> float:
    """Return the best score any offer of a product group can reach: every criterion but the product met in full."""
    return sum(weights.values()) - weights["product"] * (1 - PRODUCT_FIT[relation]) + ROUNDING_SLACK


@dataclass
class OfferColumns:
    """Columns of the offers of one product group for one need (one entry per offer)."""

    month_mask: np.ndarray
    volume: np.ndarray
    weekly: np.ndarray  # True when the volume is per week
    same_unit: np.ndarray  # the offer's unit is the need's
    lon: np.ndarray
    lat: np.ndarray
    radius_km: np.ndarray  # NaN when the offer delivers by commune only
    serves_commune: np.ndarray  # the offer delivers to the need's commune by name
    minimum_order: np.ndarray  # NaN when none
    organic_until: np.ndarray  # the organic certificate's expiry as a day number (date.toordinal), below any day when none
    intermediaries: np.ndarray


def distances_km(lon: float, lat: float, lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
    """Return the great-circle distances from a point, as `matching.distance_km` computes them."""
    p1, p2 = np.radians(lat), np.radians(lats)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lons - lon) / 2) ** 2
    return 6371.0 * 2 * np.arcsin(np.sqrt(np.minimum(1.0, a)))


def upper_bounds(need: NeedFacts, relation: str, offers: OfferColumns, weights: Mapping[str, float], today: date) -> np.ndarray:
    """Return, for each offer, a score it cannot exceed: each criterion as `matching.score` computes it, processing as met."""
    km = distances_km(need.lon, need.lat, offers.lon, offers.lat)
    asked = month_mask(sorted(need.months))
    season = _POPCOUNT[offers.month_mask & asked] / max(1, len(need.months))
    monthly = np.where(offers.weekly, offers.volume * WEEKS_PER_MONTH, offers.volume)
    volume = np.where(offers.same_unit, np.minimum(1.0, monthly / need.quantity_per_month), 0.0) if need.quantity_per_month > 0 else 0.0
    in_area = (~np.isnan(offers.radius_km) & (km <= np.nan_to_num(offers.radius_km, nan=-1.0))) | offers.serves_commune
    certified = np.ones(len(km), dtype=np.float64)
    if need.organic:
        certified = (offers.organic_until >= (need.starts_on or today).toordinal()).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.minimum(1.0, need.quantity_per_delivery / offers.minimum_order)
    minimum = np.where(np.isnan(offers.minimum_order), 1.0, np.where(offers.same_unit, ratio, 0.0))
    return (weights["product"] * PRODUCT_FIT[relation] + weights["season"] * season + weights["volume"] * volume
            + weights["distance"] * np.maximum(0.0, 1.0 - km / DISTANCE_SCALE_KM) + weights["delivery_area"] * in_area
            + weights["certification"] * certified + weights["processing"] + weights["minimum_order"] * minimum
            + weights["intermediaries"] / (1.0 + offers.intermediaries) + ROUNDING_SLACK)
