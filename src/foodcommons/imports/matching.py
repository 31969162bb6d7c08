"""Entity resolution (pure): blocking, features, a score with reasons, and a decision against named thresholds."""

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from foodcommons.core.text import fold

# Words that say what kind of actor a name is, not which one: removed before names are compared.
GENERIC_WORDS = frozenset(
    """gasap gac gaa gas csa amap asbl vzw sprl srl sc scrl scs sa bv nv cv coop cooperative groupe groupement achat achats
    solidaire solidaires commun communs de du des la le les l d et en a au aux the of and van het een der die das den
    compost composte quartier jardin jardins potager potagers collectif collective partage partagee marche ferme epicerie
    sociale magasin buurtcompost moestuin groentetuin restaurant social resto cafe""".split()
)
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sint": "saint", "bxl": "bruxelles", "brussel": "bruxelles", "brussels": "bruxelles",
                 "coop": "cooperative", "cie": "compagnie", "av": "avenue", "bd": "boulevard", "ch": "chaussee"}
# Hosts that many different actors share: the same one says nothing about identity.
SHARED_HOSTS = frozenset({"facebook.com", "instagram.com", "google.com", "linktr.ee", "wixsite.com", "x.com", "twitter.com", "sites.google.com"})
_WORDS = re.compile(r"[^\w]+")
GRID_DEGREES = 0.02  # blocking cells of about 2.2 km north-south, 1.4 km east-west at 50°N


@dataclass(frozen=True)
class Thresholds:
    """Scores above `merge` merge automatically; from `review` up they go to the review queue; below, kept apart."""

    merge: float = 7.0
    review: float = 3.0


DEFAULT_THRESHOLDS = Thresholds()


@dataclass
class Entity:
    """What matching knows of one place or incoming record, normalised once."""

    key: object
    name: str
    tokens: frozenset[str]
    lon: float | None = None
    lat: float | None = None
    weak_location: bool = False
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    locality: str = ""
    phones: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()
    hosts: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()


@dataclass
class Decision:
    """The outcome of comparing two entities: a score, the verdict and why."""

    score: float
    verdict: str  # "merge", "review" or "apart"
    reasons: list[str] = field(default_factory=list)


def normalise_name(name: str) -> str:
    """Return a name without accents, case, entities, punctuation, generic words; abbreviations spelled out."""
    words = [ABBREVIATIONS.get(w, w) for w in _WORDS.sub(" ", fold(name)).replace("_", " ").split()]
    specific = [w for w in words if w not in GENERIC_WORDS]
    return " ".join(specific or words)


def website_host(url: str) -> str:
    """Return the host of a website without www., or '' for hosts shared by many actors."""
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    host = host.removeprefix("www.")
    return "" if not host or host in SHARED_HOSTS or any(host.endswith("." + h) for h in SHARED_HOSTS) else host


def entity(key, *, name: str, lon=None, lat=None, street="", house_number="", postcode="", locality="", contacts: Iterable[dict] = (),
           categories: Iterable[str] = (), groups: Iterable[str] = (), weak_location: bool = False, sources: Iterable[str] = ()) -> Entity:
    """Build the matching view of a place or record from its plain fields."""
    normal = normalise_name(name)
    contacts = list(contacts)
    return Entity(
        key=key, name=normal, tokens=frozenset(normal.split()), lon=lon, lat=lat, weak_location=weak_location,
        street=normalise_name(street), house_number=fold(house_number).strip(), postcode=(postcode or "").strip(),
        locality=normalise_name(locality),
        phones=frozenset(c["value"] for c in contacts if c["kind"] == "phone"),
        emails=frozenset(c["value"].lower() for c in contacts if c["kind"] == "email"),
        hosts=frozenset(h for c in contacts if c["kind"] == "website" and (h := website_host(c["value"]))),
        categories=frozenset(categories), groups=frozenset(groups), sources=frozenset(sources),
    )


def distance_m(a: Entity, b: Entity) -> float | None:
    """Return the distance between two located entities in metres (equirectangular: exact enough below 50 km)."""
    if a.lon is None or b.lon is None or a.lat is None or b.lat is None:
        return None
    x = math.radians(b.lon - a.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    return 6_371_000 * math.hypot(x, math.radians(b.lat - a.lat))


def _name_score(a: Entity, b: Entity, reasons: list[str]) -> float:
    if not a.name or not b.name:
        return 0.0
    if a.name == b.name and len(a.name) >= 4:
        reasons.append("same name")
        return 5.0
    similarity = max(fuzz.token_set_ratio(a.name, b.name), fuzz.ratio(a.name, b.name)) / 100
    # token_set_ratio calls a one-word name "equal" to any name containing it: demand the shorter side be substantial.
    if similarity >= 0.99 and a.name != b.name and min(len(a.name), len(b.name)) < 5:
        similarity = 0.8
    if similarity >= 0.95:
        reasons.append(f"names agree ({similarity:.2f})")
        return 4.0
    if similarity >= 0.85:
        reasons.append(f"names close ({similarity:.2f})")
        return 2.5
    if similarity >= 0.7:
        reasons.append(f"names similar ({similarity:.2f})")
        return 0.5
    reasons.append(f"names differ ({similarity:.2f})")
    return -4.0 if similarity < 0.5 else -2.0


def _distance_score(a: Entity, b: Entity, reasons: list[str]) -> float:
    metres = distance_m(a, b)
    if metres is None:
        return 0.0
    if a.weak_location or b.weak_location:
        # A commune centroid only says "same commune": weak evidence either way.
        if metres > 15_000:
            reasons.append(f"far apart even for a commune centroid ({metres / 1000:.0f} km)")
            return -3.0
        reasons.append("same commune area (centroid coordinates, weak)")
        return 0.5
    if metres <= 60:
        reasons.append(f"same spot ({metres:.0f} m)")
        return 3.0
    if metres <= 250:
        reasons.append(f"close ({metres:.0f} m)")
        return 2.0
    if metres <= 1000:
        reasons.append(f"nearby ({metres:.0f} m)")
        return 0.5
    reasons.append(f"distant ({metres / 1000:.1f} km)")
    return -1.5 if metres <= 5000 else -4.0


def _contact_score(a: Entity, b: Entity, reasons: list[str]) -> float:
    score = 0.0
    if a.phones & b.phones:
        reasons.append("same phone")
        score += 3.0
    if a.emails & b.emails:
        reasons.append("same e-mail")
        score += 3.0
    if a.hosts & b.hosts:
        reasons.append("same website")
        score += 2.5
    if a.hosts and b.hosts and not a.hosts & b.hosts:
        reasons.append("different websites")
        score -= 2.0
    return min(score, 5.0)


def _address_score(a: Entity, b: Entity, reasons: list[str]) -> float:
    score = 0.0
    if a.postcode and b.postcode:
        if a.postcode == b.postcode:
            reasons.append("same postcode")
            score += 1.0
        else:
            reasons.append("different postcodes")
            score -= 2.0
    elif a.locality and b.locality and a.locality == b.locality:
        reasons.append("same locality")
        score += 0.5
    if a.street and b.street and fuzz.ratio(a.street, b.street) >= 85:
        if a.house_number and b.house_number and a.house_number != b.house_number:
            reasons.append("same street, different numbers")
            score -= 2.0
        else:
            reasons.append("same street" + (" and number" if a.house_number and a.house_number == b.house_number else ""))
            score += 2.0 if a.house_number and a.house_number == b.house_number else 1.0
    return score


def _category_score(a: Entity, b: Entity, reasons: list[str]) -> float:
    if not a.categories or not b.categories:
        return 0.0
    if a.categories & b.categories:
        reasons.append("same category")
        return 1.0
    if a.groups and b.groups and not a.groups & b.groups:
        reasons.append("unrelated categories")
        return -2.0
    return 0.0


def compare(a: Entity, b: Entity, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Decision:
    """Score how likely two entities are the same actor and decide, saying which features agreed."""
    reasons: list[str] = []
    score = sum(f(a, b, reasons) for f in (_name_score, _distance_score, _contact_score, _address_score, _category_score))
    if a.sources & b.sources:
        # One source rarely lists an actor twice: never merge two of its records without a human.
        reasons.append("both from the same source")
        verdict = "review" if score >= thresholds.review else "apart"
    else:
        verdict = "merge" if score >= thresholds.merge else "review" if score >= thresholds.review else "apart"
    return Decision(round(score, 2), verdict, reasons)


class Index:
    """Blocking index: entities by grid cell and by rare name token, to compare each only with plausible others."""

    def __init__(self, max_token_share: int = 200):
        self.cells: dict[tuple[int, int], list[Entity]] = defaultdict(list)
        self.by_token: dict[str, list[Entity]] = defaultdict(list)
        self.by_contact: dict[str, list[Entity]] = defaultdict(list)
        self.max_token_share = max_token_share
        self.items: list[Entity] = []

    def add(self, item: Entity) -> None:
        """Index one entity."""
        self.items.append(item)
        if item.lon is not None and item.lat is not None and not item.weak_location:
            self.cells[_cell(item.lon, item.lat)].append(item)
        for token in item.tokens:
            if len(token) > 2:
                self.by_token[token].append(item)
        for contact in item.phones | item.emails | item.hosts:
            self.by_contact[contact].append(item)

    def candidates(self, item: Entity) -> Iterator[Entity]:
        """Yield each indexed entity that shares a neighbouring cell, a rare name token or a contact with `item`, once."""
        seen: set[int] = set()
        pools: list[list[Entity]] = []
        if item.lon is not None and item.lat is not None and not item.weak_location:
            cx, cy = _cell(item.lon, item.lat)
            pools += [self.cells.get((cx + dx, cy + dy), []) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
        pools += [p for t in item.tokens if len(t) > 2 and len(p := self.by_token.get(t, [])) <= self.max_token_share]
        pools += [self.by_contact.get(c, []) for c in item.phones | item.emails | item.hosts]
        for pool in pools:
            for other in pool:
                if id(other) not in seen and other.key != item.key:
                    seen.add(id(other))
                    yield other


def _cell(lon: float, lat: float) -> tuple[int, int]:
    return int(math.floor(lon / GRID_DEGREES)), int(math.floor(lat / GRID_DEGREES))


def best_match(item: Entity, index: Index, thresholds: Thresholds = DEFAULT_THRESHOLDS, *, excluded: set = frozenset()) -> tuple[Entity, Decision] | None:
    """Return the indexed entity most likely the same as `item` and the decision, if any reaches review."""
    best: tuple[Entity, Decision] | None = None
    for other in index.candidates(item):
        if (item.key, other.key) in excluded or (other.key, item.key) in excluded:
            continue
        decision = compare(item, other, thresholds)
        if decision.verdict != "apart" and (best is None or decision.score > best[1].score):
            best = (other, decision)
    return best


def shared_points(points: Iterable[tuple[float | None, float | None]], at_least: int = 3) -> set[tuple[float, float]]:
    """Return the coordinates that several records share exactly: commune centroids, not real locations."""
    counts = Counter((round(lon, 5), round(lat, 5)) for lon, lat in points if lon is not None and lat is not None)
    return {point for point, n in counts.items() if n >= at_least}
