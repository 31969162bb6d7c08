"""Ranking offers against a need (a demand line or a lot), with a score that is a visible sum of criteria. Pure.

Each criterion gives a value (what was compared, shown to the buyer), a fit from 0 to 1, its weight, and points = fit × weight.
The score is the sum of the points. The same scoring, turned round, ranks the needs a producer's offer could answer.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from foodcommons.supply.domain.products import BROADER, EXACT, NARROWER, SIBLING, ProductTree

# How well each relation in the taxonomy answers: an apple answers "fruit" fully, "fruit" answers "apples" in part.
PRODUCT_FIT = {EXACT: 1.0, NARROWER: 0.8, BROADER: 0.4, SIBLING: 0.2}
DEFAULT_WEIGHTS: dict[str, float] = {
    "product": 3.0, "season": 2.0, "volume": 2.0, "distance": 1.0, "delivery_area": 2.0,
    "certification": 1.0, "processing": 1.0, "minimum_order": 1.0, "intermediaries": 1.0,
}
CRITERIA = tuple(DEFAULT_WEIGHTS)
MAX_WEIGHT = 10.0
# Beyond this distance a producer earns no distance points (and the SQL pre-filter leaves them out).
DISTANCE_SCALE_KM = 100.0


@dataclass(frozen=True)
class OfferFacts:
    """What the matching knows of one offer."""

    id: str
    product: str
    months: frozenset[int]
    volume_per_month: float
    unit: str
    lon: float
    lat: float
    radius_km: float | None = None
    communes: frozenset[str] = frozenset()
    minimum_order: float | None = None
    organic_until: date | None = None
    processing: frozenset[str] = frozenset({"raw"})
    intermediaries: int = 0
    producer: str = ""


@dataclass(frozen=True)
class NeedFacts:
    """What the matching knows of one need: a demand line or a lot."""

    id: str
    product: str
    months: frozenset[int]
    quantity_per_month: float
    quantity_per_delivery: float
    unit: str
    lon: float
    lat: float
    commune: str = ""
    organic: bool = False
    processing: str = ""
    starts_on: date | None = None


@dataclass(frozen=True)
class Criterion:
    """One criterion of a match: the value compared, the fit (0–1), the weight and the points it earns."""

    key: str
    value: str
    fit: float
    weight: float
    points: float


@dataclass(frozen=True)
class Match:
    """An offer and a need, with the criteria whose points add up to the score."""

    offer: OfferFacts
    need: NeedFacts
    criteria: tuple[Criterion, ...]
    score: float = field(default=0.0)

    @property
    def maximum(self) -> float:
        """Return the score a perfect match would reach with these weights."""
        return sum(c.weight for c in self.criteria)


def distance_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Return the great-circle distance between two points in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def clean_weights(raw: Mapping[str, object]) -> dict[str, float]:
    """Return the default weights overridden by those given (numbers from 0 to 10; anything else is ignored)."""
    weights = dict(DEFAULT_WEIGHTS)
    for key in CRITERIA:
        try:
            value = float(str(raw[key]).replace(",", "."))
        except (KeyError, ValueError):
            continue
        if math.isfinite(value):
            weights[key] = min(MAX_WEIGHT, max(0.0, value))
    return weights


def product_fit(tree: ProductTree, need: NeedFacts, offer: OfferFacts) -> tuple[str, float]:
    """Return how the offered product relates to the asked one, and its fit."""
    relation = tree.relation(need.product, offer.product)
    return (relation or "none"), PRODUCT_FIT.get(relation or "", 0.0)


def season_fit(need: NeedFacts, offer: OfferFacts) -> tuple[str, float]:
    """Return the asked months the offer covers, month by month, and their share."""
    covered = sorted(need.months & offer.months)
    return (",".join(map(str, covered)) or "-"), (len(covered) / len(need.months) if need.months else 0.0)


def volume_fit(need: NeedFacts, offer: OfferFacts) -> tuple[str, float]:
    """Return the share of the monthly quantity the offer's monthly volume covers (0 when the units differ)."""
    if need.unit != offer.unit or need.quantity_per_month <= 0:
        return "unit", 0.0
    share = min(1.0, offer.volume_per_month / need.quantity_per_month)
    return f"{share:.2f}", share


def delivers_to(need: NeedFacts, offer: OfferFacts, km: float) -> bool:
    """Tell whether the need's delivery point is in the offer's area (within its radius or one of its communes)."""
    return (offer.radius_km is not None and km <= offer.radius_km) or (bool(need.commune) and need.commune in offer.communes)


def certification_fit(need: NeedFacts, offer: OfferFacts, today: date) -> tuple[str, float]:
    """Return whether an organic certificate asked for is held and valid on the start of the need (or today)."""
    if not need.organic:
        return "not asked", 1.0
    valid = offer.organic_until is not None and offer.organic_until >= (need.starts_on or today)
    return ("organic" if valid else "missing"), (1.0 if valid else 0.0)


def processing_fit(need: NeedFacts, offer: OfferFacts) -> tuple[str, float]:
    """Return whether the processing asked for (raw, washed, cut) is offered."""
    asked = need.processing or "raw"
    return asked, (1.0 if asked in offer.processing else 0.0)


def minimum_order_fit(need: NeedFacts, offer: OfferFacts) -> tuple[str, float]:
    """Return the quantity per delivery against the offer's minimum order: 1 when it reaches it, the ratio below."""
    if offer.minimum_order is None:
        return "none", 1.0
    if need.unit != offer.unit:
        return "unit", 0.0
    return f"{need.quantity_per_delivery:g}/{offer.minimum_order:g}", min(1.0, need.quantity_per_delivery / offer.minimum_order)


def intermediaries_fit(offer: OfferFacts) -> tuple[str, float]:
    """Return the number of intermediaries between producer and buyer: 1 for none, 1/2 for one, 1/3 for two…"""
    return str(offer.intermediaries), 1.0 / (1 + offer.intermediaries)


def score(tree: ProductTree, need: NeedFacts, offer: OfferFacts, weights: Mapping[str, float], today: date) -> Match:
    """Return the match of one offer to one need with every criterion's value, weight and points."""
    km = distance_km(need.lon, need.lat, offer.lon, offer.lat)
    in_area = delivers_to(need, offer, km)
    fits = {
        "product": product_fit(tree, need, offer),
        "season": season_fit(need, offer),
        "volume": volume_fit(need, offer),
        "distance": (f"{km:.1f}", max(0.0, 1.0 - km / DISTANCE_SCALE_KM)),
        "delivery_area": ("yes" if in_area else "no", 1.0 if in_area else 0.0),
        "certification": certification_fit(need, offer, today),
        "processing": processing_fit(need, offer),
        "minimum_order": minimum_order_fit(need, offer),
        "intermediaries": intermediaries_fit(offer),
    }
    criteria = tuple(Criterion(key, value, round(fit, 4), weights[key], round(fit * weights[key], 4)) for key, (value, fit) in fits.items())
    return Match(offer, need, criteria, round(sum(c.points for c in criteria), 4))


def _answers(match: Match) -> bool:
    # A producer answers only with a related product and in at least one of the months asked.
    by_key = {c.key: c for c in match.criteria}
    return by_key["product"].fit > 0 and by_key["season"].fit > 0


def rank_offers(tree: ProductTree, need: NeedFacts, offers: Iterable[OfferFacts], *, weights: Mapping[str, float] | None = None,
                today: date, limit: int | None = None) -> list[Match]:
    """Return the offers that could answer a need, best score first (ties: nearer first, then by id)."""
    chosen = dict(weights or DEFAULT_WEIGHTS)
    matches = [m for m in (score(tree, need, offer, chosen, today) for offer in offers) if _answers(m)]
    matches.sort(key=lambda m: (-m.score, float(m.criteria[3].value), m.offer.id))
    return matches[:limit] if limit else matches


def rank_needs(tree: ProductTree, offer: OfferFacts, needs: Iterable[NeedFacts], *, weights: Mapping[str, float] | None = None,
               today: date) -> list[Match]:
    """Return the needs (demand lines, lots) an offer could answer, best score first: the engine turned round."""
    chosen = dict(weights or DEFAULT_WEIGHTS)
    matches = [m for m in (score(tree, need, offer, chosen, today) for need in needs) if _answers(m)]
    matches.sort(key=lambda m: (-m.score, m.need.id))
    return matches


def bounding_box(lon: float, lat: float, km: float) -> tuple[float, float, float, float]:
    """Return (min_lon, min_lat, max_lon, max_lat) around a point: the SQL pre-filter before scoring."""
    dlat = km / 111.32
    dlon = km / (111.32 * max(0.01, math.cos(math.radians(lat))))
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat
