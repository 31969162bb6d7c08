"""Entity resolution (pure): blocking, features, a score with reasons, and a decision against named thresholds."""

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from rapidfuzz import fuzz, process

from foodcommons.core.text import fold

# Words that say what kind of actor a name is, not which one: removed before names are compared.
GENERIC_WORDS = frozenset(
    [
        "gasap", "gac", "gaa", "gas", "csa", "amap", "asbl", "vzw", "sprl", "srl", "sc", "scrl", "scs", "sa", "bv", "nv", "cv", "coop", "cooperative",
        "groupe", "groupement", "achat", "achats", "solidaire", "solidaires", "commun", "communs", "de", "du", "des", "la", "le", "les", "l", "d",
        "et", "en", "a", "au", "aux", "the", "of", "and", "van", "het", "een", "der", "die", "das", "den", "compost", "composte", "quartier",
        "jardin", "jardins", "potager", "potagers", "collectif", "collective", "partage", "partagee", "marche", "ferme", "epicerie", "sociale",
        "magasin", "buurtcompost", "moestuin", "groentetuin", "restaurant", "social", "resto", "cafe",
    ]
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


def _name_points(a: Entity, b: Entity, cutoff: float = 0.0) -> tuple[float, float | None]:
    """Return the points two names give and their similarity (None when not compared or the same name).

    A similarity below `cutoff` may be reported as 0 (rapidfuzz stops early): its points are then -4.
    """
    if not a.name or not b.name:
        return 0.0, None
    if a.name == b.name and len(a.name) >= 4:
        return 5.0, None
    similarity = max(fuzz.token_set_ratio(a.name, b.name, score_cutoff=cutoff), fuzz.ratio(a.name, b.name, score_cutoff=cutoff)) / 100
    # token_set_ratio calls a one-word name "equal" to any name containing it: demand the shorter side be substantial.
    if similarity >= 0.99 and a.name != b.name and min(len(a.name), len(b.name)) < 5:
        similarity = 0.8
    points = 4.0 if similarity >= 0.95 else 2.5 if similarity >= 0.85 else 0.5 if similarity >= 0.7 else -2.0 if similarity >= 0.5 else -4.0
    return points, similarity


_NAME_WORDS = {5.0: "same name", 4.0: "names agree", 2.5: "names close", 0.5: "names similar", -2.0: "names differ", -4.0: "names differ"}


def _name_score(a: Entity, b: Entity, reasons: list[str]) -> float:
    points, similarity = _name_points(a, b)
    if points or similarity is not None:
        reasons.append(_NAME_WORDS[points] + (f" ({similarity:.2f})" if similarity is not None else ""))
    return points


def _distance_points(a: Entity, b: Entity) -> tuple[float, float | None]:
    """Return the points of the distance between two entities and the distance in metres."""
    metres = distance_m(a, b)
    if metres is None:
        return 0.0, None
    if a.weak_location or b.weak_location:
        # A commune centroid only says "same commune": weak evidence either way.
        return (-3.0 if metres > 15_000 else 0.5), metres
    return (3.0 if metres <= 60 else 2.0 if metres <= 250 else 0.5 if metres <= 1000 else -1.5 if metres <= 5000 else -4.0), metres


def _distance_score(a: Entity, b: Entity, reasons: list[str]) -> float:
    points, metres = _distance_points(a, b)
    if metres is None:
        return points
    if a.weak_location or b.weak_location:
        reasons.append(f"far apart even for a commune centroid ({metres / 1000:.0f} km)" if points < 0 else "same commune area (centroid coordinates, weak)")
    else:
        words = {3.0: "same spot", 2.0: "close", 0.5: "nearby"}
        reasons.append(f"{words[points]} ({metres:.0f} m)" if points in words else f"distant ({metres / 1000:.1f} km)")
    return points


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


def _category_points(a: Entity, b: Entity) -> float:
    if not a.categories or not b.categories:
        return 0.0
    if not a.categories.isdisjoint(b.categories):
        return 1.0
    return -2.0 if a.groups and b.groups and a.groups.isdisjoint(b.groups) else 0.0


def _category_score(a: Entity, b: Entity, reasons: list[str]) -> float:
    points = _category_points(a, b)
    if points:
        reasons.append("same category" if points > 0 else "unrelated categories")
    return points


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
        # The same token pools split by what can make a distant pair reach review (see plausible()).
        self._order: dict[int, int] = {}
        self._token_area: dict[str, dict[tuple[int, int], list[Entity]]] = defaultdict(lambda: defaultdict(list))
        self._token_loose: dict[str, list[Entity]] = defaultdict(list)
        self._token_postcode: dict[tuple[str, str], list[Entity]] = defaultdict(list)
        self._token_street: dict[str, list[Entity]] = defaultdict(list)

    def add(self, item: Entity) -> None:
        """Index one entity."""
        self._order[id(item)] = len(self.items)
        self.items.append(item)
        point = (item.lon, item.lat) if item.lon is not None and item.lat is not None and not item.weak_location else None
        if point:
            self.cells[_cell(*point)].append(item)
        for token in item.tokens:
            if len(token) > 2:
                self.by_token[token].append(item)
                if point:
                    self._token_area[token][_area(*point)].append(item)
                else:
                    self._token_loose[token].append(item)
                if item.postcode:
                    self._token_postcode[(token, item.postcode)].append(item)
                if item.street:
                    self._token_street[token].append(item)
        for contact in item.phones | item.emails | item.hosts:
            self.by_contact[contact].append(item)

    def _pools(self, item: Entity) -> tuple[list[list[Entity]], list[str], list[list[Entity]]]:
        cells: list[list[Entity]] = []
        if item.lon is not None and item.lat is not None and not item.weak_location:
            cx, cy = _cell(item.lon, item.lat)
            cells = [self.cells.get((cx + dx, cy + dy), []) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
        tokens = [t for t in item.tokens if len(t) > 2 and 0 < len(self.by_token.get(t, ())) <= self.max_token_share]
        contacts = [self.by_contact.get(c, []) for c in item.phones | item.emails | item.hosts]
        return cells, tokens, contacts

    def candidates(self, item: Entity) -> list[Entity]:
        """Return each indexed entity that shares a neighbouring cell, a rare name token or a contact with `item`, once."""
        cells, tokens, contacts = self._pools(item)
        return _unique(item, cells, [self.by_token[t] for t in tokens] + contacts)

    def plausible(self, item: Entity, review: float) -> list[Entity]:
        """Return the candidates of `item`, in the same order, less those sharing only a name token that cannot reach `review`."""
        cells, tokens, contacts = self._pools(item)
        if not tokens:
            return _unique(item, cells, contacts)
        sharing = {id(other): other for pool in contacts for other in pool}
        areas = None
        if item.lon is not None and item.lat is not None and not item.weak_location and abs(item.lat) <= 60 and review > 2.5:
            ax, ay = _area(item.lon, item.lat)
            areas = [(ax + dx, ay + dy) for dx in (-2, -1, 0, 1, 2) for dy in (-1, 0, 1)]
        return _unique(item, cells, [self._token_pool(item, t, review, sharing, areas) for t in tokens] + contacts)

    def _token_pool(self, item: Entity, token: str, review: float, sharing: dict[int, Entity], areas: list | None) -> list[Entity]:
        pool = self.by_token[token]
        if areas is None or len(pool) <= 8:
            return pool  # the cheap bound below does not apply (or would not pay): compare them all
        # A pair more than 5 km apart, both located, sharing no contact scores at most 2 plus its address points (_may_reach).
        by_area = self._token_area.get(token, {})
        near = [o for area in areas for o in by_area.get(area, ())]
        distant = self._token_postcode.get((token, item.postcode), []) if item.postcode else []
        if item.street:
            distant = distant + self._token_street.get(token, [])
        chosen = {id(o): o for o in (*near, *self._token_loose.get(token, ()), *distant) if _may_reach(item, o, review)}
        chosen.update((k, o) for k, o in sharing.items() if token in o.tokens)
        return sorted(chosen.values(), key=lambda o: self._order[id(o)]) if len(chosen) > 1 else list(chosen.values())


def _unique(item: Entity, cells: list[list[Entity]], others: list[list[Entity]]) -> list[Entity]:
    """Return the entities of the pools once each, in order of first appearance, without `item` itself."""
    found = [o for pool in cells for o in pool]  # no entity is in two cells
    if others:
        seen = set(map(id, found))  # entities are not hashable: keyed by identity
        for pool in others:
            for o in pool:
                if id(o) not in seen:
                    seen.add(id(o))
                    found.append(o)
    key = item.key
    return [o for o in found if o.key != key]


# Areas of 5.6 km north-south: whatever lies beyond the neighbouring ones (two east-west, one north-south) is more
# than 5 km away up to 60° of latitude.
AREA_DEGREES = 0.05


def _area(lon: float, lat: float) -> tuple[int, int]:
    return math.floor(lon / AREA_DEGREES), math.floor(lat / AREA_DEGREES)


def _may_reach(a: Entity, b: Entity, review: float) -> bool:
    """Tell whether two entities that share no contact may score `review` or more (a cheap upper bound of compare)."""
    metres = distance_m(a, b)
    if metres is None or metres <= 5000 or a.weak_location or b.weak_location:
        return True
    # Far apart (-4) and no shared contact (at most 0): the name gives at most 5, the category 1; what can the address add?
    address = 0.0
    if a.postcode and b.postcode:
        address += 1.0 if a.postcode == b.postcode else -2.0
    elif a.locality and b.locality and a.locality == b.locality:
        address += 0.5
    if a.street and b.street and 4.0 + address >= review and fuzz.ratio(a.street, b.street) >= 85:
        address += 2.0
    return 2.0 + address >= review


def _cell(lon: float, lat: float) -> tuple[int, int]:
    return math.floor(lon / GRID_DEGREES), math.floor(lat / GRID_DEGREES)


def best_match(
    item: Entity, index: Index, thresholds: Thresholds = DEFAULT_THRESHOLDS, *, excluded: set | frozenset = frozenset()
) -> tuple[Entity, Decision] | None:
    """Return the indexed entity most likely the same as `item` and the decision, if any reaches review."""
    best: tuple[float, Entity] | None = None
    candidates = index.plausible(item, thresholds.review)
    if len(candidates) > 12 and item.name and item.lon is not None and item.lat is not None and not item.weak_location:
        candidates = _named_enough(item, candidates, thresholds.review, index)
    for other in candidates:
        if excluded and ((item.key, other.key) in excluded or (other.key, item.key) in excluded):
            continue
        # As compare(): "apart" below review on the exact score; the best is the first highest rounded score.
        score = score_of(item, other, at_least=thresholds.review if best is None else best[0])
        if score is not None and score >= thresholds.review and (best is None or round(score, 2) > best[0]):
            best = (round(score, 2), other)
    # Reasons are worded for the chosen pair only: wording them for every candidate cost more than scoring.
    return (best[1], compare(item, best[1], thresholds)) if best else None


def _named_enough(item: Entity, candidates: list[Entity], review: float, index: Index) -> list[Entity]:
    """Return the candidates less those more than 1 km away whose names are too unlike to reach `review` (in order).

    Such a pair (both points precise, no shared contact) scores at most its name points - 1.5 (distance) + 3
    (address) + 1 (category); the names of all of them are compared in two calls of rapidfuzz rather than one by one.
    """
    sharing = {id(o) for c in item.phones | item.emails | item.hosts for o in index.by_contact.get(c, ())}
    far = [i for i, o in enumerate(candidates)
           if o.name and not o.weak_location and id(o) not in sharing and (metres := distance_m(item, o)) is not None and metres > 1000]
    needed = review - 2.5 - 1e-9  # the name points it takes
    if len(far) < 8 or needed <= -4.0:
        return candidates
    cutoff = 50.0 if needed <= -2.0 else 70.0 if needed <= 0.5 else 85.0 if needed <= 2.5 else 95.0 if needed <= 4.0 else 100.0
    names = [candidates[i].name for i in far]
    alike = {
        k
        for scorer in (fuzz.token_set_ratio, fuzz.ratio)
        for _, _, k in process.extract(item.name, names, scorer=scorer, score_cutoff=cutoff - 1e-6, limit=None)
    }
    dropped = {far[k] for k in range(len(far)) if k not in alike}
    return [o for i, o in enumerate(candidates) if i not in dropped]


def score_of(a: Entity, b: Entity, *, at_least: float = -math.inf) -> float | None:
    """Return the score compare() gives two entities, without its reasons; None when it is surely below `at_least`."""
    distance = _distance_points(a, b)[0]
    # Contacts and addresses score only when both sides have some: most pairs are spared the calls.
    contact = _contact_score(a, b, []) if (a.phones or a.emails or a.hosts) and (b.phones or b.emails or b.hosts) else 0.0
    address = _address_score(a, b, []) if (a.postcode or a.locality or a.street) and (b.postcode or b.locality or b.street) else 0.0
    # As _category_points, inline: this runs for every candidate.
    category = 0.0 if not a.categories or not b.categories else 1.0 if not a.categories.isdisjoint(b.categories) else (
        -2.0 if a.groups and b.groups and a.groups.isdisjoint(b.groups) else 0.0)
    needed = at_least - (distance + contact + address + category)  # the name points it takes to reach at_least
    if needed > 5.0 + 1e-9:
        return None  # even the same name would not reach it: spare the fuzzy comparison
    # The similarity (in %) from which a name gives those points (see _name_points); rapidfuzz gives up early below
    # it, so it is lowered a hair for floats. Past 4 points only the same name will do, which the check is not told.
    needed -= 1e-9
    cutoff = 0.0 if needed <= -4.0 else 50.0 if needed <= -2.0 else 70.0 if needed <= 0.5 else 85.0 if needed <= 2.5 else 95.0 if needed <= 4.0 else 0.0
    # Summed in compare()'s order, so that both give the same float.
    return _name_points(a, b, max(cutoff - 1e-6, 0.0))[0] + distance + contact + address + category


def shared_points(points: Iterable[tuple[float | None, float | None]], at_least: int = 3) -> set[tuple[float, float]]:
    """Return the coordinates that several records share exactly: commune centroids, not real locations."""
    counts = Counter((round(lon, 5), round(lat, 5)) for lon, lat in points if lon is not None and lat is not None)
    return {point for point, n in counts.items() if n >= at_least}
