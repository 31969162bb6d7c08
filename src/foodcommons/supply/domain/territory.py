"""The territory coverage indicator: how much of a territory's canteens' demand producers within a distance could cover. Pure.

The result is given per product family and unit, month by month, and by producer. Each offer's monthly volume is shared
out once across all the territory's demand lines (a farm's carrots go to one canteen), nearest producers first for each
line, lines in the order given. Quantities in different units are never added up.
"""

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from foodcommons.supply.domain.matching import NeedFacts, OfferFacts
from foodcommons.supply.domain.products import ProductTree
from foodcommons.supply.domain.screening import distances_km, month_mask

KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class MonthTotal:
    """One month of one family: what the canteens ask and what producers within reach cover."""

    month: int
    asked: float
    covered: float

    @property
    def share(self) -> float:
        return self.covered / self.asked if self.asked else 0.0


@dataclass(frozen=True)
class FamilyCoverage:
    """A product family in one unit: its months and the share of the whole year covered."""

    family: str
    unit: str
    months: tuple[MonthTotal, ...]

    @property
    def asked(self) -> float:
        return sum(m.asked for m in self.months)

    @property
    def covered(self) -> float:
        return sum(m.covered for m in self.months)

    @property
    def share(self) -> float:
        return self.covered / self.asked if self.asked else 0.0


@dataclass(frozen=True)
class ProducerShare:
    """What one producer could deliver to the territory's canteens over the year, in one unit."""

    producer: str
    unit: str
    quantity: float


@dataclass(frozen=True)
class TerritoryCoverage:
    """The indicator of a territory: by family and month, totals by unit, and by producer (largest first)."""

    families: tuple[FamilyCoverage, ...]
    producers: tuple[ProducerShare, ...]
    lines: int

    def totals(self) -> dict[str, tuple[float, float]]:
        """Return, for each unit, the quantity asked and covered over the year."""
        found: dict[str, tuple[float, float]] = {}
        for family in self.families:
            asked, covered = found.get(family.unit, (0.0, 0.0))
            found[family.unit] = (asked + family.asked, covered + family.covered)
        return found


@dataclass(frozen=True)
class OfferTable:
    """Offers as columns (one entry per offer): what the indicator needs of tens of thousands of them, without objects."""

    ids: Sequence[str]
    products: Sequence[str]
    units: Sequence[str]
    producers: Sequence[str]
    lon: np.ndarray
    lat: np.ndarray
    volume_per_month: np.ndarray
    month_mask: np.ndarray  # bit 1 << month for each month the offer is available

    @classmethod
    def from_facts(cls, offers: Sequence[OfferFacts]) -> "OfferTable":
        """Return the columns of matching facts."""
        return cls(ids=[o.id for o in offers], products=[o.product for o in offers], units=[o.unit for o in offers],
                   producers=[o.producer or o.id for o in offers], lon=np.array([o.lon for o in offers], dtype=np.float64),
                   lat=np.array([o.lat for o in offers], dtype=np.float64),
                   volume_per_month=np.array([o.volume_per_month for o in offers], dtype=np.float64),
                   month_mask=np.array([month_mask(sorted(o.months)) for o in offers], dtype=np.int64))


class OfferGrid:
    """Offers indexed by product, unit and grid cell at least `km` wide: a line looks only at the nine cells around it.

    `capacity[i, month]` is what offer i still has that month; it goes down as lines take from it.
    """

    def __init__(self, offers: OfferTable, km: float, max_abs_lat: float):
        self.km, self.offers = km, offers
        self.dlat = km / KM_PER_DEGREE
        # Cells are widest in longitude where a degree is shortest: the highest latitude of all the points.
        self.dlon = km / (KM_PER_DEGREE * max(0.01, math.cos(math.radians(min(89.0, max_abs_lat)))))
        self.lon, self.lat = offers.lon, offers.lat
        count = len(offers.ids)
        self.id_rank = np.empty(count, dtype=np.int64)
        self.id_rank[sorted(range(count), key=offers.ids.__getitem__)] = np.arange(count)
        bits = (offers.month_mask[:, None] >> np.arange(13)[None, :]) & 1
        self.capacity = offers.volume_per_month[:, None] * bits
        cx, cy = np.floor(self.lon / self.dlon).astype(np.int64), np.floor(self.lat / self.dlat).astype(np.int64)
        cells: dict[tuple[str, str, int, int], list[int]] = defaultdict(list)
        for i, key in enumerate(zip(offers.products, offers.units, cx.tolist(), cy.tolist(), strict=True)):
            cells[key].append(i)
        self.cells = {key: np.array(found, dtype=np.int64) for key, found in cells.items()}

    def _cell(self, lon: float, lat: float) -> tuple[int, int]:
        return math.floor(lon / self.dlon), math.floor(lat / self.dlat)

    def nearest_first(self, need: NeedFacts, products: Iterable[str]) -> np.ndarray:
        """Return the offers of these products in the need's unit within `km` of its delivery point, nearest first (then by id)."""
        cx, cy = self._cell(need.lon, need.lat)
        parts = [self.cells[key] for product in products for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                 if (key := (product, need.unit, cx + dx, cy + dy)) in self.cells]
        if not parts:
            return np.empty(0, dtype=np.int64)
        found = np.concatenate(parts)
        km = distances_km(need.lon, need.lat, self.lon[found], self.lat[found])
        near = km <= self.km
        found, km = found[near], km[near]
        return found[np.lexsort((self.id_rank[found], km))]

    def take(self, offers: np.ndarray, months: Sequence[int], quantity: float) -> np.ndarray:
        """Take `quantity` in each of these months from these offers in their order, each up to what it has left.

        Return the quantities taken, one row per offer and one column per month.
        """
        where = np.ix_(offers, np.asarray(months, dtype=np.int64))
        available = self.capacity[where]
        before = np.cumsum(available, axis=0) - available
        taken = np.clip(quantity - before, 0.0, available)
        self.capacity[where] = available - taken
        return taken


def same_or_narrower(tree: ProductTree) -> dict[str, set[str]]:
    """Return, for each product, itself and the products under it: what answers a line asking for it."""
    # Every product is counted under itself and each of its ancestors: "vegetable" is answered by carrots and leeks.
    found: dict[str, set[str]] = defaultdict(set)
    for product in tree.broader:
        found[product].add(product)
        for ancestor in tree.ancestors(product):
            found[ancestor].add(product)
    return found


def territory_coverage(tree: ProductTree, needs: Sequence[NeedFacts], offers: OfferTable | Sequence[OfferFacts], *,
                       max_km: float) -> TerritoryCoverage:
    """Return the share of the needs (a territory's demand lines) that offers within `max_km` could cover, per family, month and producer."""
    table = offers if isinstance(offers, OfferTable) else OfferTable.from_facts(offers)
    latitudes = [abs(n.lat) for n in needs] + np.abs(table.lat).tolist()
    grid = OfferGrid(table, max_km, max(latitudes or [0.0]))
    answering = same_or_narrower(tree)
    months: dict[tuple[str, str], dict[int, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    delivered: dict[tuple[str, str], float] = defaultdict(float)
    for need in needs:
        nearest = grid.nearest_first(need, answering.get(need.product, {need.product}))
        family = months[(tree.family(need.product), need.unit)]
        months_asked = sorted(need.months)
        taken = grid.take(nearest, months_asked, need.quantity_per_month) if len(nearest) else np.zeros((0, len(months_asked)))
        for column, month in enumerate(months_asked):
            family[month][0] += need.quantity_per_month
            family[month][1] += float(taken[:, column].sum())
        for row in np.nonzero(taken.sum(axis=1) > 0)[0].tolist():
            delivered[(table.producers[int(nearest[row])], need.unit)] += float(taken[row].sum())
    families = tuple(
        FamilyCoverage(family, unit, tuple(MonthTotal(m, round(a, 3), round(c, 3)) for m, (a, c) in sorted(by_month.items())))
        for (family, unit), by_month in sorted(months.items())
    )
    producers = tuple(sorted((ProducerShare(p, u, round(q, 3)) for (p, u), q in delivered.items()), key=lambda s: (s.unit, -s.quantity, s.producer)))
    return TerritoryCoverage(families, producers, len(needs))
