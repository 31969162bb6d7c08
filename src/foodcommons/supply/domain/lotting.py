"""Splitting a demand into lots local producers can answer, with coverage before and after. Pure.

A lot is awarded to one supplier, so a lot's coverage is what its best single producer could deliver of it. One big lot
of everything is answered by nobody local; lots by product family and season let each producer answer the lot it grows.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace

from foodcommons.supply.domain.coverage import Share, eligible
from foodcommons.supply.domain.matching import NeedFacts, OfferFacts
from foodcommons.supply.domain.products import ProductTree

SUMMER = frozenset(range(4, 10))  # April to September
WINTER = frozenset({10, 11, 12, 1, 2, 3})
# CPV 2008 codes of the product families a canteen buys (the whole food division when none fits better).
CPV_BY_PRODUCT = {"potato": "03212100-1", "egg": "03142500-3", "vegetable": "03221000-6", "fruit": "03222000-3",
                  "dairy-product": "15500000-3", "meat-product": "15100000-9", "bakery": "15810000-9", "drink": "15900000-7"}
FOOD_CPV = "15000000-8"


@dataclass(frozen=True)
class ProposedLot:
    """A lot of the proposal: its family, season and the lines (restricted to the lot's months)."""

    id: str
    family: str
    season: str
    lines: tuple[NeedFacts, ...]


def cpv_for(tree: ProductTree, product: str) -> str:
    """Return the CPV code of a product: its own, the nearest broader one's, or the food division's."""
    for key in [product, *tree.ancestors(product)]:
        if key in CPV_BY_PRODUCT:
            return CPV_BY_PRODUCT[key]
    return FOOD_CPV


def lot_share(tree: ProductTree, lines: Sequence[NeedFacts], offers: Sequence[OfferFacts], *, max_km: float) -> Share:
    """Return the quantity a lot asks over its months and what its best single producer could cover of it."""
    asked = sum(line.quantity_per_month * len(line.months) for line in lines)
    best = 0.0
    for producer in sorted({o.producer or o.id for o in offers}):
        own = [o for o in offers if (o.producer or o.id) == producer]
        covered = 0.0
        for line in lines:
            usable = [o for o in own if eligible(tree, line, o, max_km)]
            for month in line.months:
                covered += min(line.quantity_per_month, sum(o.volume_per_month for o in usable if month in o.months))
        best = max(best, covered)
    return Share(asked, best)


def propose_lots(tree: ProductTree, lines: Sequence[NeedFacts]) -> list[ProposedLot]:
    """Split demand lines into lots by product family, then by season (April–September, October–March)."""
    groups: dict[tuple[str, str], list[NeedFacts]] = {}
    for line in lines:
        for season, months in (("summer", SUMMER), ("winter", WINTER)):
            part = line.months & months
            if part:
                groups.setdefault((tree.family(line.product), season), []).append(replace(line, months=part))
    return [ProposedLot(f"lot-{i}", family, season, tuple(parts)) for i, ((family, season), parts) in enumerate(sorted(groups.items()), start=1)]


def coverage_before_after(tree: ProductTree, lines: Sequence[NeedFacts], offers: Sequence[OfferFacts], *,
                          max_km: float) -> tuple[Share, Share, list[tuple[ProposedLot, Share]]]:
    """Return the coverage of the demand as one lot, as the proposed lots, and each proposed lot's own."""
    before = lot_share(tree, lines, offers, max_km=max_km)
    lots = [(lot, lot_share(tree, lot.lines, offers, max_km=max_km)) for lot in propose_lots(tree, lines)]
    after = Share(sum(s.asked for _, s in lots), sum(s.covered for _, s in lots))
    return before, after, lots
