"""How much of a need local supply could cover, month by month and by whom; a territory's indicator. Pure.

An offer counts for a need when its product is the one asked or a narrower one, in the same unit, available that month,
and within the chosen distance of the delivery point. Nearer producers are counted first, each up to its monthly volume.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from foodcommons.supply.domain.matching import NeedFacts, OfferFacts, distance_km
from foodcommons.supply.domain.products import EXACT, NARROWER, ProductTree


@dataclass(frozen=True)
class MonthCoverage:
    """One month of a need: the quantity asked, the quantity local offers cover, and who covers it."""

    month: int
    asked: float
    covered: float
    by: tuple[tuple[str, float], ...]

    @property
    def share(self) -> float:
        return self.covered / self.asked if self.asked else 0.0


@dataclass(frozen=True)
class Share:
    """A quantity asked and the part of it covered."""

    asked: float
    covered: float

    @property
    def share(self) -> float:
        return self.covered / self.asked if self.asked else 0.0


def eligible(tree: ProductTree, need: NeedFacts, offer: OfferFacts, max_km: float) -> bool:
    """Tell whether an offer can supply a need at all (product, unit, distance); months are checked one by one."""
    return (offer.unit == need.unit and tree.relation(need.product, offer.product) in (EXACT, NARROWER)
            and distance_km(need.lon, need.lat, offer.lon, offer.lat) <= max_km)


def _nearest_first(need: NeedFacts, offers: Iterable[OfferFacts]) -> list[OfferFacts]:
    return sorted(offers, key=lambda o: (distance_km(need.lon, need.lat, o.lon, o.lat), o.id))


def need_coverage(tree: ProductTree, need: NeedFacts, offers: Iterable[OfferFacts], *, max_km: float,
                  capacity: dict[tuple[str, int], float] | None = None) -> list[MonthCoverage]:
    """Return, for each month of the need, what local offers within `max_km` cover (using up `capacity` when shared)."""
    usable = _nearest_first(need, (o for o in offers if eligible(tree, need, o, max_km)))
    left = capacity if capacity is not None else {}
    months = []
    for month in sorted(need.months):
        remaining, by = need.quantity_per_month, []
        for offer in usable:
            if remaining <= 0:
                break
            if month not in offer.months:
                continue
            available = left.get((offer.id, month), offer.volume_per_month)
            taken = min(available, remaining)
            if taken > 0:
                left[(offer.id, month)] = available - taken
                remaining -= taken
                by.append((offer.id, round(taken, 3)))
        months.append(MonthCoverage(month, need.quantity_per_month, need.quantity_per_month - remaining, tuple(by)))
    return months


def total(months: Iterable[MonthCoverage]) -> Share:
    """Return the quantity asked and covered over the months."""
    months = list(months)
    return Share(sum(m.asked for m in months), sum(m.covered for m in months))


def territory_share(tree: ProductTree, needs: Sequence[NeedFacts], offers: Sequence[OfferFacts], *, max_km: float) -> Share:
    """Return the share of a territory's canteens' demand its producers could cover, each offer's volume used once a month."""
    capacity: dict[tuple[str, int], float] = {}
    asked = covered = 0.0
    for need in needs:
        share = total(need_coverage(tree, need, offers, max_km=max_km, capacity=capacity))
        asked, covered = asked + share.asked, covered + share.covered
    return Share(asked, covered)
