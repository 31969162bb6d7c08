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
from foodcommons.supply.domain.screening import month_mask

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


EARTH_RADIUS_KM = 6371.0
# Offers a line looks at first, nearest first; the farther ones are sorted only when these leave a month short.
NEAREST_FIRST = 32
MONTH_BITS = 1 << np.arange(13, dtype=np.int64)


class OfferGrid:
    """Offers indexed by product, unit and grid cell at least `km` wide: a line looks only at the nine cells around it.

    `capacity[i, month]` is what offer i still has that month; it goes down as lines take from it.
    """

    def __init__(self, offers: OfferTable, km: float, max_abs_lat: float):
        self.km, self.offers = km, offers
        self.dlat = km / KM_PER_DEGREE
        # Cells are widest in longitude where a degree is shortest: the highest latitude of all the points.
        self.dlon = km / (KM_PER_DEGREE * max(0.01, math.cos(math.radians(min(89.0, max_abs_lat)))))
        # The parts of the great-circle distance that depend on the offer only, computed once.
        self.lon_rad, self.lat_rad = np.radians(offers.lon), np.radians(offers.lat)
        self.cos_lat = np.cos(self.lat_rad)
        count = len(offers.ids)
        self.id_rank = np.empty(count, dtype=np.int64)
        self.id_rank[sorted(range(count), key=offers.ids.__getitem__)] = np.arange(count)
        bits = (offers.month_mask[:, None] >> np.arange(13)[None, :]) & 1
        self.capacity = offers.volume_per_month[:, None] * bits
        # The months in which each offer still has something, as bits (1 << month): offers with nothing left in the months
        # of a line are left out before it sorts.
        self.left_months = (self.capacity > 0).astype(np.int64) @ MONTH_BITS
        cx, cy = np.floor(offers.lon / self.dlon).astype(np.int64), np.floor(offers.lat / self.dlat).astype(np.int64)
        cells: dict[tuple[str, str, int, int], list[int]] = defaultdict(list)
        for i, key in enumerate(zip(offers.products, offers.units, cx.tolist(), cy.tolist(), strict=True)):
            cells[key].append(i)
        self.cells = {key: np.array(found, dtype=np.int64) for key, found in cells.items()}

    def _cell(self, lon: float, lat: float) -> tuple[int, int]:
        return math.floor(lon / self.dlon), math.floor(lat / self.dlat)

    def within(self, needs: Sequence[NeedFacts], products: Sequence[Iterable[str]]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Return, for each need, the offers of its products in its unit within `km` of its delivery point, and their distances.

        Needs of the same cell, products and unit share their candidates: their distances are one numpy computation.
        """
        groups: dict[tuple, list[int]] = defaultdict(list)
        for i, (need, answering) in enumerate(zip(needs, products, strict=True)):
            groups[(*self._cell(need.lon, need.lat), tuple(sorted(answering)), need.unit)].append(i)
        found: list[tuple[np.ndarray, np.ndarray]] = [(np.empty(0, dtype=np.int64), np.empty(0))] * len(needs)
        for (cx, cy, answering, unit), members in groups.items():
            parts = [self.cells[key] for product in answering for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                     if (key := (product, unit, cx + dx, cy + dy)) in self.cells]
            if not parts:
                continue
            candidates = np.concatenate(parts)
            lat = np.radians([needs[i].lat for i in members])[:, None]
            lon = np.radians([needs[i].lon for i in members])[:, None]
            a = (np.sin((self.lat_rad[candidates] - lat) / 2) ** 2
                 + np.cos(lat) * self.cos_lat[candidates] * np.sin((self.lon_rad[candidates] - lon) / 2) ** 2)
            km = EARTH_RADIUS_KM * 2 * np.arcsin(np.sqrt(np.minimum(1.0, a)))
            for row, i in enumerate(members):
                near = km[row] <= self.km
                found[i] = (candidates[near], km[row][near])
        return found

    def nearest_first(self, found: np.ndarray, km: np.ndarray) -> np.ndarray:
        """Return these offers nearest first, then by id."""
        return found[np.lexsort((self.id_rank[found], km))]

    def share_out(self, need: NeedFacts, found: np.ndarray, km: np.ndarray, months: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """Take the need's monthly quantity from these offers nearest first (then by id), each up to what it has left that month.

        Return the offers taken from and the quantities taken (one row per offer, one column per month). The
        `NEAREST_FIRST` nearest are sorted and taken from first; the others only when those leave a month short.
        """
        columns = np.asarray(months, dtype=np.int64)
        left = (self.left_months[found] & month_mask(columns.tolist())) > 0
        found, km = found[left], km[left]
        head = km <= np.partition(km, NEAREST_FIRST - 1)[NEAREST_FIRST - 1] if len(found) > NEAREST_FIRST else None
        first = self.nearest_first(found, km) if head is None else self.nearest_first(found[head], km[head])
        taken = self.take(first, columns, np.full(len(columns), need.quantity_per_month))
        wanted = need.quantity_per_month - taken.sum(axis=0)
        if head is None or not (wanted > 0).any():
            return first, taken
        # All farther than the cut, so the order goes on; only those with something left in a month still short.
        rest, rest_km = found[~head], km[~head]
        useful = (self.left_months[rest] & month_mask(columns[wanted > 0].tolist())) > 0
        rest = self.nearest_first(rest[useful], rest_km[useful])
        return np.concatenate((first, rest)), np.concatenate((taken, self.take(rest, columns, wanted)))

    def take(self, offers: np.ndarray, months: np.ndarray, wanted: np.ndarray) -> np.ndarray:
        """Take what is wanted each of these months from these offers in their order, each up to what it has left.

        Return the quantities taken, one row per offer and one column per month.
        """
        rows, columns = offers[:, None], months[None, :]
        available = self.capacity[rows, columns]
        before = np.cumsum(available, axis=0) - available
        taken = np.clip(wanted - before, 0.0, available)
        self.capacity[rows, columns] = available - taken
        self.left_months[offers] = (self.capacity[offers] > 0).astype(np.int64) @ MONTH_BITS
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
    reach = grid.within(needs, [answering.get(n.product, {n.product}) for n in needs])
    for need, (found, km) in zip(needs, reach, strict=True):
        family = months[(tree.family(need.product), need.unit)]
        months_asked = sorted(need.months)
        offers_taken, taken = grid.share_out(need, found, km, months_asked)
        for month, quantity in zip(months_asked, taken.sum(axis=0).tolist(), strict=True):
            family[month][0] += need.quantity_per_month
            family[month][1] += quantity
        by_offer = taken.sum(axis=1)
        for row in np.flatnonzero(by_offer > 0).tolist():
            delivered[(table.producers[int(offers_taken[row])], need.unit)] += float(by_offer[row])

    families = tuple(
        FamilyCoverage(family, unit, tuple(MonthTotal(m, round(a, 3), round(c, 3)) for m, (a, c) in sorted(by_month.items())))
        for (family, unit), by_month in sorted(months.items())
    )
    producers = tuple(sorted((ProducerShare(p, u, round(q, 3)) for (p, u), q in delivered.items()), key=lambda s: (s.unit, -s.quantity, s.producer)))
    return TerritoryCoverage(families, producers, len(needs))
