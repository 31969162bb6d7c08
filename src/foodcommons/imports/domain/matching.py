"""Entity resolution (pure): blocking, features, a score with reasons, and a decision against named thresholds."""

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from foodcommons.core.text import fold
from foodcommons.imports.domain.names import MODIFIER_WORDS, NO_VOCABULARY, Vocabulary, read_name

# Hosts that many different actors share: the same one says nothing about identity.
SHARED_HOSTS = frozenset({"facebook.com", "instagram.com", "google.com", "linktr.ee", "wixsite.com", "x.com", "twitter.com", "sites.google.com"})
GRID_DEGREES = 0.02  # blocking cells of about 2.2 km north-south, 1.4 km east-west at 50°N


@dataclass(frozen=True)
class Thresholds:
    """Scores above `merge` merge automatically; from `review` up they go to the review queue; below, kept apart."""

    merge: float = 7.0
    review: float = 3.0


# Points of the name, by similarity (rapidfuzz, 0-1) of the words compared; see _name_points.
SAME_NAME_POINTS = 5.0  # the same words, four letters or more
GENERIC_SAME_NAME_POINTS = 2.0  # the same name made only of generic words ("Markt", "Potager collectif"): many actors bear it
GENERIC_NAME_MAX_POINTS = 0.5  # two different names made only of generic words agree at most this much
ONE_GENERIC_NAME_POINTS = -2.0  # one name only generic words, the other not: nothing says they are the same
OTHER_KIND_POINTS = 0.0  # "GAC de Nivelles" and "AMAP de Nivelles": the same place named, another kind of actor
# One side named by a place only, the other by a place and more ("GAC de Rixensart" / "GAC Rixensart gare"): the
# containment rapidfuzz calls equal says little, at most "names similar".
PLACE_ONLY_MAX_SIMILARITY = 0.7
ONE_SLIP_SIMILARITY = 0.96  # names one slip apart (a letter changed, dropped, added or two swapped): "names agree"
# Distance bands (metres) for two precise points. A list that placed its actor approximately is often 0-800 m off:
# up to a kilometre is still "close".
SAME_SPOT_M, CLOSE_M, NEARBY_M = 60, 1000, 5000
# A point at a commune centroid says "in this commune" only: within this radius of it (the largest Belgian communes
# reach about 8 km from their centre) it is weak evidence for, farther it counts as far apart.
COMMUNE_RADIUS_M = 8000
# At a commune centroid, where many records share a point, distance says little: names that agree (and are not only
# generic words) decide, with these points on top.
CENTROID_NAME_POINTS = 1.5
# There the address stands in for the point: the same street and number earns this on top of its address points.
CENTROID_ADDRESS_POINTS = 1.0
# A name made only of generic words ("Marché", "Magasin à la ferme") identifies an actor locally when it is the only one
# of that name within CLOSE_M of the record: these points on top, for that candidate only (see best_match).
LONE_NAMESAKE_POINTS = 2.0
# Generic-word weighting from the lists themselves: a word that this many names of the index (both sources) bear is
# common there ("Josaphat" in Schaerbeek). A name whose words are all contained in the other's and all common says
# little: its similarity is capped (names close, not agreeing).
COMMON_TOKEN_COUNT = 3
COMMON_CONTAINED_MAX_SIMILARITY = 0.9
# Two records of one source go to review only from this much above the review threshold (at most the merge one): a
# list rarely names an actor twice, and namesakes of one list would fill the queue.
SAME_SOURCE_REVIEW_MARGIN = 2.0
DIFFERENT_STREETS_POINTS = -1.5  # both give a street and they are not alike (rapidfuzz ratio < 50)


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(slots=True)  # slots: its attributes are read millions of times per import
class Entity:
    """What matching knows of one place or incoming record, normalised once."""

    key: object
    name: str  # the words compared (names.Name.text)
    tokens: frozenset[str]
    identity: frozenset[str] = frozenset()  # the name's words that are neither generic nor place names
    kinds: frozenset[str] = frozenset()  # the name's kind words ("gac", "potager"), modifiers left out
    generic_only: bool = False
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


def normalise_name(name: str, vocabulary: Vocabulary = NO_VOCABULARY) -> str:
    """Return the words of a name that matching compares (names.read_name): no accents, case, entities, generic words."""
    return read_name(name, vocabulary).text


def website_host(url: str) -> str:
    """Return the host of a website without www., or '' for hosts shared by many actors."""
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    host = host.removeprefix("www.")
    return "" if not host or host in SHARED_HOSTS or any(host.endswith("." + h) for h in SHARED_HOSTS) else host


def entity(key, *, name: str, lon=None, lat=None, street="", house_number="", postcode="", locality="", contacts: Iterable[dict] = (),
           categories: Iterable[str] = (), groups: Iterable[str] = (), weak_location: bool = False, sources: Iterable[str] = (),
           vocabulary: Vocabulary = NO_VOCABULARY) -> Entity:
    """Build the matching view of a place or record from its plain fields (`vocabulary`: the country's place and street names)."""
    read = read_name(name, vocabulary)
    normal = read.text
    contacts = list(contacts)
    return Entity(
        key=key, name=normal, tokens=frozenset(normal.split()), identity=read.identity,
        kinds=frozenset(k.removesuffix("s") for k in read.kinds if k not in MODIFIER_WORDS), generic_only=read.generic_only,
        lon=lon, lat=lat, weak_location=weak_location,
        street=normalise_name(street, vocabulary), house_number=fold(house_number).strip(), postcode=(postcode or "").strip(),
        locality=normalise_name(locality, vocabulary),
        phones=frozenset(c["value"] for c in contacts if c["kind"] == "phone"),
        emails=frozenset(c["value"].lower() for c in contacts if c["kind"] == "email"),
        hosts=frozenset(h for c in contacts if c["kind"] == "website" and (h := website_host(c["value"]))),
        categories=frozenset(categories), groups=frozenset(groups), sources=frozenset(sources),
    )


def distance_m(a: Entity, b: Entity) -> float | None:
    """Return the distance between two located entities in metres (equirectangular: exact enough below 50 km)."""
    a_lon, a_lat, b_lon, b_lat = a.lon, a.lat, b.lon, b.lat
    if a_lon is None or b_lon is None or a_lat is None or b_lat is None:
        return None
    # math.radians(d) is d * (pi / 180) to the last bit: written out, it spares three calls on the hottest path of matching.
    x = (b_lon - a_lon) * _RADIANS_PER_DEGREE * _cos((a_lat + b_lat) / 2 * _RADIANS_PER_DEGREE)
    return 6_371_000 * _hypot(x, (b_lat - a_lat) * _RADIANS_PER_DEGREE)


_RADIANS_PER_DEGREE = math.pi / 180.0
_cos, _hypot = math.cos, math.hypot


def distances_from(item: Entity, others: Iterable[Entity]) -> dict[int, float | None]:
    """Return distance_m(item, other) for each of `others`, by id of the other (the same floats, without a call each)."""
    lon, lat = item.lon, item.lat
    if lon is None or lat is None:
        return {id(o): None for o in others}
    found: dict[int, float | None] = {}
    for o in others:
        o_lon, o_lat = o.lon, o.lat
        # distance_m's formula, term for term and in its order: the float must be the same to the last bit.
        found[id(o)] = (None if o_lon is None or o_lat is None else
                        6_371_000 * _hypot((o_lon - lon) * _RADIANS_PER_DEGREE * _cos((lat + o_lat) / 2 * _RADIANS_PER_DEGREE),
                                           (o_lat - lat) * _RADIANS_PER_DEGREE))
    return found


def _similarity(x: str, y: str, cutoff: float) -> float:
    """Return how alike two names' words are (0-1): rapidfuzz token-set ratio or ratio, or one slip apart."""
    similarity = max(fuzz.token_set_ratio(x, y, score_cutoff=cutoff), fuzz.ratio(x, y, score_cutoff=cutoff)) / 100
    # token_set_ratio calls a one-word name "equal" to any name containing it: demand the shorter side be substantial.
    if similarity >= 0.99 and x != y and min(len(x), len(y)) < 5:
        similarity = 0.8
    # One slip: letters swapped ("Biez" / "Beiz") or one changed, dropped or added in a name of five letters or more.
    if (similarity < ONE_SLIP_SIMILARITY and abs(len(x) - len(y)) <= 1 and min(len(x), len(y)) >= 4
            and OSA.distance(x, y, score_cutoff=1) <= 1 and (min(len(x), len(y)) >= 5 or sorted(x) == sorted(y))):
        similarity = ONE_SLIP_SIMILARITY
    return similarity


def _band(similarity: float) -> float:
    return 4.0 if similarity >= 0.95 else 2.5 if similarity >= 0.85 else 0.5 if similarity >= 0.7 else -2.0 if similarity >= 0.5 else -4.0


def _name_points(a: Entity, b: Entity, cutoff: float = 0.0, common: frozenset[str] | set[str] = frozenset()) -> tuple[float, float | None]:
    """Return the points two names give and their similarity (None when not compared or the same name).

    A similarity below `cutoff` may be reported as 0 (rapidfuzz stops early): its points are then -4.
    """
    if not a.name or not b.name:
        return 0.0, None
    if a.generic_only or b.generic_only:
        if a.generic_only != b.generic_only:
            return ONE_GENERIC_NAME_POINTS, None
        if a.name == b.name:
            return GENERIC_SAME_NAME_POINTS, None
        similarity = _similarity(a.name, b.name, cutoff)
        return min(_band(similarity), GENERIC_NAME_MAX_POINTS), similarity
    if a.name == b.name and len(a.name) >= 4:
        if not a.identity and not b.identity and a.kinds and b.kinds and a.kinds.isdisjoint(b.kinds):
            return OTHER_KIND_POINTS, None
        return SAME_NAME_POINTS, None
    similarity = _similarity(a.name, b.name, cutoff)
    if bool(a.identity) != bool(b.identity) and a.name.count(" ") != b.name.count(" "):
        similarity = min(similarity, PLACE_ONLY_MAX_SIMILARITY)
    elif common and similarity > COMMON_CONTAINED_MAX_SIMILARITY and a.tokens != b.tokens:
        smaller = a.tokens if len(a.tokens) < len(b.tokens) else b.tokens
        if smaller <= common and smaller < (b.tokens if smaller is a.tokens else a.tokens):
            similarity = COMMON_CONTAINED_MAX_SIMILARITY
    return _band(similarity), similarity


_NAME_WORDS = {SAME_NAME_POINTS: "same name", 4.0: "names agree", 2.5: "names close", 0.5: "names similar", -2.0: "names differ", -4.0: "names differ"}


def _name_score(a: Entity, b: Entity, reasons: list[str], common: frozenset[str] | set[str] = frozenset()) -> float:
    points, similarity = _name_points(a, b, common=common)
    if a.name and b.name and (a.generic_only or b.generic_only):
        reasons.append("one name is only generic words" if a.generic_only != b.generic_only else
                       "same name, only generic words" if points == GENERIC_SAME_NAME_POINTS else f"generic names differ ({similarity:.2f})")
    elif points == OTHER_KIND_POINTS and similarity is None and a.name == b.name:
        reasons.append("same place named, another kind of actor")
    elif points or similarity is not None:
        reasons.append(_NAME_WORDS[points] + (f" ({similarity:.2f})" if similarity is not None else ""))
    return points


def _distance_points(a: Entity, b: Entity) -> tuple[float, float | None]:
    """Return the points of the distance between two entities and the distance in metres."""
    return _distance_points_at(a, b, distance_m(a, b))


def _distance_points_at(a: Entity, b: Entity, metres: float | None) -> tuple[float, float | None]:
    """Return the points of the distance `metres` between two entities (distance_m, measured once per pair) and it."""
    if metres is None:
        return 0.0, None
    if a.weak_location or b.weak_location:
        # A commune centroid only says "same commune": weak evidence either way.
        return (-4.0 if metres > COMMUNE_RADIUS_M else 0.5), metres
    return (3.0 if metres <= SAME_SPOT_M else 2.0 if metres <= CLOSE_M else -1.5 if metres <= NEARBY_M else -4.0), metres


def _distance_score(a: Entity, b: Entity, reasons: list[str]) -> float:
    points, metres = _distance_points(a, b)
    if metres is None:
        return points
    if a.weak_location or b.weak_location:
        reasons.append(f"far apart even for a commune centroid ({metres / 1000:.0f} km)" if points < 0 else "same commune area (centroid coordinates, weak)")
    else:
        words = {3.0: "same spot", 2.0: "close"}
        reasons.append(f"{words[points]} ({metres:.0f} m)" if points in words else f"distant ({metres / 1000:.1f} km)")
    return points


def _centroid_points(a: Entity, b: Entity, name_points: float, distance_points: float) -> float:
    """Return the points a name that agrees, and the same address, earn at a commune centroid, where distance cannot tell."""
    if not (a.weak_location or b.weak_location) or distance_points <= 0:
        return 0.0
    name = CENTROID_NAME_POINTS if name_points >= 4.0 and not a.generic_only else 0.0
    return name + (CENTROID_ADDRESS_POINTS if _same_address(a, b) else 0.0)


def _same_address(a: Entity, b: Entity) -> bool:
    return bool(a.street and b.street and a.house_number and a.house_number == b.house_number and fuzz.ratio(a.street, b.street) >= 85)


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
    street_likeness = fuzz.ratio(a.street, b.street) if a.street and b.street else None
    if street_likeness is not None and street_likeness < 50:
        reasons.append("different streets")
        score += DIFFERENT_STREETS_POINTS
    if street_likeness is not None and street_likeness >= 85:
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


def compare(a: Entity, b: Entity, thresholds: Thresholds = DEFAULT_THRESHOLDS, *, common: frozenset[str] | set[str] = frozenset(),
            lone: bool = False) -> Decision:
    """Score how likely two entities are the same actor and decide, saying which features agreed.

    `common`: the name words frequent in the lists compared (Index.common_tokens), which carry little identity;
    `lone`: `b` is the only entity of `a`'s generic name near it (lone_namesake).
    """
    reasons: list[str] = []
    name, distance = _name_score(a, b, reasons, common), _distance_score(a, b, reasons)
    score = name + distance + _contact_score(a, b, reasons) + _address_score(a, b, reasons) + _category_score(a, b, reasons)
    if centroid := _centroid_points(a, b, name, distance):
        if centroid != CENTROID_ADDRESS_POINTS:
            reasons.append("names agree at a commune centroid")
        if _same_address(a, b):
            reasons.append("same address at a commune centroid")
        score += centroid
    if lone:
        reasons.append("the only one of its name nearby")
        score += LONE_NAMESAKE_POINTS
    if a.sources & b.sources:
        # One source rarely lists an actor twice: never merge two of its records without a human, and ask one only
        # on stronger evidence (SAME_SOURCE_REVIEW_MARGIN).
        reasons.append("both from the same source")
        if kinds_told_apart(a, b):
            reasons.append("the source names them as two kinds of actor")
        verdict = "review" if score >= same_source_bar(a, b, thresholds) else "apart"
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
        # Entities at commune centroids by area: a typo in a name must not hide them (they are in no grid cell).
        self.weak_areas: dict[tuple[int, int], list[Entity]] = defaultdict(list)
        self.token_counts: Counter[str] = Counter()
        self._keys: set = set()  # the keys indexed: an item whose key is not among them need not be looked for in its pools

    def common_tokens(self, item: Entity) -> set[str]:
        """Return the words of `item`'s name that COMMON_TOKEN_COUNT or more indexed names bear."""
        return {t for t in item.tokens if self.token_counts[t] >= COMMON_TOKEN_COUNT}

    def add(self, item: Entity) -> None:
        """Index one entity."""
        self.token_counts.update(item.tokens)
        self._order[id(item)] = len(self.items)
        self._keys.add(item.key)
        self.items.append(item)
        point = (item.lon, item.lat) if item.lon is not None and item.lat is not None and not item.weak_location else None
        if point:
            self.cells[_cell(*point)].append(item)
        elif item.lon is not None and item.lat is not None:
            self.weak_areas[_area(item.lon, item.lat)].append(item)
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

    def _around(self, item: Entity) -> list[Entity]:
        """Return the entities within a commune's reach that the grid cells miss: those at centroids near `item` and,
        for an item at a centroid, the located ones around it."""
        if item.lon is None or item.lat is None or not (self.weak_areas or item.weak_location):
            return []
        ax, ay = _area(item.lon, item.lat)
        found = [o for dx in (-2, -1, 0, 1, 2) for dy in (-1, 0, 1) for o in self.weak_areas.get((ax + dx, ay + dy), ())]
        if item.weak_location and self.cells:
            cx, cy = _cell(item.lon, item.lat)
            found += [o for dx in range(-6, 7) for dy in range(-4, 5) for o in self.cells.get((cx + dx, cy + dy), ())]
        return found

    def candidates(self, item: Entity) -> list[Entity]:
        """Return each indexed entity that shares a neighbouring cell, a commune's area (centroids), a rare name token or a contact with `item`, once."""
        cells, tokens, contacts = self._pools(item)
        return _unique(item, cells, [self.by_token[t] for t in tokens] + contacts + [self._around(item)], item.key in self._keys)

    def plausible(self, item: Entity, review: float) -> list[Entity]:
        """Return the candidates of `item`, in the same order, less those sharing only a name token that cannot reach `review`."""
        cells, tokens, contacts = self._pools(item)
        around = _alike_names(item, self._around(item)) if review > 2.5 else self._around(item)
        if not tokens:
            return _unique(item, cells, [*contacts, around], item.key in self._keys)
        sharing = {id(other): other for pool in contacts for other in pool}
        areas = None
        if item.lon is not None and item.lat is not None and not item.weak_location and abs(item.lat) <= 60 and review > 2.5:
            ax, ay = _area(item.lon, item.lat)
            areas = frozenset((ax + dx, ay + dy) for dx in (-2, -1, 0, 1, 2) for dy in (-1, 0, 1))
        pools = [self._token_pool(item, t, review, sharing, areas) for t in tokens]
        return _unique(item, cells, pools + contacts + [around], item.key in self._keys)

    def _token_pool(self, item: Entity, token: str, review: float, sharing: dict[int, Entity], areas: frozenset | None) -> list[Entity]:
        pool = self.by_token[token]
        if areas is None or len(pool) <= 8:
            return pool  # the cheap bound below does not apply (or would not pay): compare them all
        # A pair more than 5 km apart, both located, sharing no contact scores at most 2 plus its address points (_may_reach).
        by_area = self._token_area.get(token, {})
        # Whichever is fewer, the token's areas or the neighbouring ones, is walked: the pool is put in index order below.
        near = ([o for area, found in by_area.items() if area in areas for o in found] if len(by_area) < len(areas) else
                [o for area in areas for o in by_area.get(area, ())])
        distant = self._token_postcode.get((token, item.postcode), []) if item.postcode else []
        if item.street:
            distant = distant + self._token_street.get(token, [])
        # Each entity once before the bound: one in the neighbouring areas is often in the postcode's or street's pool too.
        pooled = {id(o): o for o in (*near, *self._token_loose.get(token, ()), *distant)}
        metres = distances_from(item, pooled.values())
        # Within 5 km, or at a centroid, _may_reach says yes without more: spared the call.
        chosen = {k: o for k, o in pooled.items()
                  if (m := metres[k]) is None or m <= 5000 or o.weak_location or _may_reach(item, o, review, m)}
        chosen.update((k, o) for k, o in sharing.items() if token in o.tokens)
        return sorted(chosen.values(), key=lambda o: self._order[id(o)]) if len(chosen) > 1 else list(chosen.values())


def _alike_names(item: Entity, others: list[Entity]) -> list[Entity]:
    """Return the entities whose names are at least 70 % alike with `item`'s (in order).

    A pair at a centroid (at most +0.5 for distance, so no centroid points either) whose names are less alike (at most
    -2) and share no contact scores at most -2 + 0.5 + 3 (address) + 1 (category) = 2.5: below any review threshold
    above that. Pairs that share a contact or a rare name token come from those pools anyway.
    """
    if not others or not item.name:
        return others
    alike = _alike_positions(item.name, [o.name for o in others], 70.0 - 1e-6)
    return [o for k, o in enumerate(others) if k in alike]


def _alike_positions(name: str, names: list[str], cutoff: float) -> set[int]:
    """Return the positions in `names` of those whose token-set ratio or ratio with `name` reaches `cutoff`.

    The token-set ratio is worked out only for the names the plain ratio left out: the union is the same. (Sorting
    those out further in Python, by rapidfuzz's own cases, cost more than its token-set ratio of them all.)
    """
    alike = {k for _, _, k in process.extract(name, names, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)}
    rest = [k for k in range(len(names)) if k not in alike]
    if rest:
        found = process.extract(name, [names[k] for k in rest], scorer=fuzz.token_set_ratio, score_cutoff=cutoff, limit=None)
        alike.update(rest[k] for _, _, k in found)
    return alike


def _unique(item: Entity, cells: list[list[Entity]], others: list[list[Entity]], indexed: bool = True) -> list[Entity]:
    """Return the entities of the pools once each, in order of first appearance, without `item` itself (`indexed`: an
    entity of the pools may bear its key)."""
    found = [o for pool in cells for o in pool]  # no entity is in two cells
    if others:
        seen = set(map(id, found))  # entities are not hashable: keyed by identity
        for pool in others:
            for o in pool:
                if id(o) not in seen:
                    seen.add(id(o))
                    found.append(o)
    if not indexed:
        return found
    key = item.key
    return [o for o in found if o.key != key]


# Areas of 5.6 km north-south: whatever lies beyond the neighbouring ones (two east-west, one north-south) is more
# than 5 km away up to 60° of latitude.
AREA_DEGREES = 0.05


def _area(lon: float, lat: float) -> tuple[int, int]:
    return math.floor(lon / AREA_DEGREES), math.floor(lat / AREA_DEGREES)


def _may_reach(a: Entity, b: Entity, review: float, metres: float | None) -> bool:
    """Tell whether two entities `metres` apart (distance_m) that share no contact may score `review` or more (a cheap
    upper bound of compare)."""
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
    best: tuple[float, Entity, tuple[float, float, float] | None] | None = None  # rounded score, entity, its preference (on ties)
    candidates = index.plausible(item, thresholds.review)
    metres = distances_from(item, candidates)  # measured once per pair
    if len(candidates) > 12 and item.name and item.lon is not None and item.lat is not None and not item.weak_location:
        candidates = _named_enough(item, candidates, thresholds.review, index, metres)
    common = index.common_tokens(item)
    lone = lone_namesake(item, candidates, metres)
    for other in candidates:
        if excluded and ((item.key, other.key) in excluded or (other.key, item.key) in excluded):
            continue
        # As compare(): "apart" below review on the exact score; the best is the highest rounded score, of equals the
        # one preferred (tie_preference), else the first.
        bar = thresholds.review if item.sources.isdisjoint(other.sources) else same_source_bar(item, other, thresholds)
        score = _score(item, other, metres[id(other)], bar if best is None else max(bar, best[0]), common, other is lone)
        if score is None or score < bar:
            continue
        rounded = round(score, 2)
        if best is None or rounded > best[0]:
            best = (rounded, other, None)
        elif rounded == best[0]:
            # Preferences are worked out for ties only: they cost a second name comparison.
            mine, theirs = tie_preference(item, other, common, metres), best[2] or tie_preference(item, best[1], common, metres)
            best = (best[0], other, mine) if mine > theirs else (best[0], best[1], theirs)
    if best is None:
        return None
    chosen, rivals = best[1], []
    for other in at_one_spot(best[1], candidates):
        if not (excluded and ((item.key, other.key) in excluded or (other.key, item.key) in excluded)):
            bar = same_source_bar(item, other, thresholds)
            if (score := _score(item, other, metres[id(other)], bar, common, other is lone)) is not None and score >= bar:
                rivals.append((other, round(score, 2)))
    if rivals:
        chosen = one_spot_choice(item, [(best[1], best[0]), *rivals], common, metres)
    # Reasons are worded for the chosen pair only: wording them for every candidate cost more than scoring.
    return chosen, compare(item, chosen, thresholds, common=common, lone=chosen is lone)


def at_one_spot(chosen: Entity, candidates: Iterable[Entity]) -> list[Entity]:
    """Return the candidates other than `chosen` at one spot with it: both points precise, at most SAME_SPOT_M apart."""
    if chosen.weak_location or chosen.lon is None or chosen.lat is None:
        return []
    # Two points farther apart north-south than SAME_SPOT_M (and a margin far above rounding) are not at one spot:
    # most candidates are told so without measuring.
    lat = chosen.lat
    return [o for o in candidates if o is not chosen and not o.weak_location and o.lat is not None and abs(o.lat - lat) <= _SAME_SPOT_LATITUDE
            and (metres := distance_m(chosen, o)) is not None and metres <= SAME_SPOT_M]


_SAME_SPOT_LATITUDE = 1.01 * SAME_SPOT_M / (6_371_000 * _RADIANS_PER_DEGREE)  # degrees


def one_spot_choice(item: Entity, scored: list[tuple[Entity, float]], common: frozenset[str] | set[str] = frozenset(),
                    metres: dict[int, float | None] | None = None) -> Entity:
    """Return which of `scored` (the best candidate and its score first, then those at one spot with it) `item` is.

    Places at one spot (SAME_SPOT_M) are, for a record placed approximately, at one distance: their distance points
    differ only when the record's point lies near the edge of a band (60 m, 1 km), which says nothing of which it is.
    So among them the evidence besides distance decides (the name, contacts, address, category), then tie_preference:
    a farm's butcher's shop and its vending machine 17 m apart, and a record 59 m from one and 65 m from the other.
    """
    def distance(other: Entity) -> float | None:
        return metres[id(other)] if metres is not None else distance_m(item, other)

    return max(scored, key=lambda pair: (round(pair[1] - _distance_points_at(item, pair[0], distance(pair[0]))[0], 2),
                                         tie_preference(item, pair[0], common, metres)))[0]


def tie_preference(item: Entity, other: Entity, common: frozenset[str] | set[str] = frozenset(),
                   metres: dict[int, float | None] | None = None) -> tuple[float, float, float]:
    """Return how much `other` is preferred as `item`'s match among candidates of equal score: its name points, then how
    alike the whole names are, then nearness.

    The names first: two objects of one place (a farm's butcher's shop "Hoeveslagerij Ten Halve" and its potato
    vending machine "Ten Halve", 17 m apart) are told apart by their names, not by the tens of metres between the
    record's point and theirs, which a list that places approximately does not keep: "names agree" for a name contained
    in the record's (+4) plus "same spot" (+3) equals the record's very name (+5) plus "close" (+2). Of equal name
    points, the whole names' plain ratio: the token-set similarity calls a name contained in the record's equal to it
    ("Ten Halve" in "Fermeslageirj Ten Halve"), the ratio counts the word it lacks more than a slip. Then the nearer:
    two namesakes of one list at two commune centroids, the one where the record lies.
    """
    distance = metres[id(other)] if metres is not None else distance_m(item, other)
    return _name_points(item, other, common=common)[0], fuzz.ratio(item.name, other.name), -(distance or 0.0)


def lone_namesake(item: Entity, candidates: list[Entity], metres: dict[int, float | None] | None = None) -> Entity | None:
    """Return the one candidate that bears `item`'s generic-only name within CLOSE_M of it (both points precise), if only one does."""
    if not item.generic_only or item.weak_location or item.lon is None:
        return None
    near = [o for o in candidates if o.generic_only and o.name == item.name and not o.weak_location
            and (m := (metres[id(o)] if metres is not None else distance_m(item, o))) is not None and m <= CLOSE_M]
    return near[0] if len(near) == 1 else None


def _named_enough(item: Entity, candidates: list[Entity], review: float, index: Index, metres: dict[int, float | None]) -> list[Entity]:
    """Return the candidates less those more than 1 km away whose names are too unlike to reach `review` (in order).

    Such a pair (both points precise, no shared contact) scores at most its name points - 1.5 (distance) + 3
    (address) + 1 (category); the names of all of them are compared in two calls of rapidfuzz rather than one by one.
    """
    sharing = {id(o) for c in item.phones | item.emails | item.hosts for o in index.by_contact.get(c, ())}
    far = [i for i, o in enumerate(candidates)
           if o.name and not o.weak_location and id(o) not in sharing and (m := metres[id(o)]) is not None and m > 1000]
    needed = review - 2.5 - 1e-9  # the name points it takes
    if len(far) < 8 or needed <= -4.0:
        return candidates
    # Names one slip apart score as agreeing (ONE_SLIP_SIMILARITY) whatever rapidfuzz says: they are above 70 %.
    cutoff = 50.0 if needed <= -2.0 else 70.0
    alike = _alike_positions(item.name, [candidates[i].name for i in far], cutoff - 1e-6)
    dropped = {far[k] for k in range(len(far)) if k not in alike}
    return [o for i, o in enumerate(candidates) if i not in dropped]


def score_of(a: Entity, b: Entity, *, at_least: float = -math.inf, common: frozenset[str] | set[str] = frozenset(), lone: bool = False) -> float | None:
    """Return the score compare() gives two entities, without its reasons; None when it is surely below `at_least`."""
    return _score(a, b, distance_m(a, b), at_least, common, lone)


def _score(a: Entity, b: Entity, metres: float | None, at_least: float, common: frozenset[str] | set[str], lone: bool) -> float | None:
    """score_of, the entities `metres` apart (distance_m)."""
    # As _distance_points_at, inline: this runs for every candidate.
    if metres is None:
        distance = 0.0
    elif a.weak_location or b.weak_location:
        distance = -4.0 if metres > COMMUNE_RADIUS_M else 0.5
    else:
        distance = 3.0 if metres <= SAME_SPOT_M else 2.0 if metres <= CLOSE_M else -1.5 if metres <= NEARBY_M else -4.0
    # Contacts and addresses score only when both sides have some: most pairs are spared the calls.
    contact = _contact_score(a, b, []) if (a.phones or a.emails or a.hosts) and (b.phones or b.emails or b.hosts) else 0.0
    address = _address_score(a, b, []) if (a.postcode or a.locality or a.street) and (b.postcode or b.locality or b.street) else 0.0
    # As _category_points, inline: this runs for every candidate.
    category = 0.0 if not a.categories or not b.categories else 1.0 if not a.categories.isdisjoint(b.categories) else (
        -2.0 if a.groups and b.groups and a.groups.isdisjoint(b.groups) else 0.0)
    weak = (a.weak_location or b.weak_location) and distance > 0
    centroid = (CENTROID_NAME_POINTS if not a.generic_only else 0.0) + (CENTROID_ADDRESS_POINTS if weak and _same_address(a, b) else 0.0) if weak else 0.0
    extra = LONE_NAMESAKE_POINTS if lone else 0.0
    needed = at_least - (distance + contact + address + category + centroid + extra)  # the name points it takes to reach at_least
    if needed > SAME_NAME_POINTS + 1e-9:
        return None  # even the same name would not reach it: spare the fuzzy comparison
    # The similarity (in %) from which a name gives those points (see _name_points); rapidfuzz gives up early below
    # it, so it is lowered a hair for floats. Past 4 points only the same name will do, which the check is not told.
    needed -= 1e-9
    cutoff = 0.0 if needed <= -4.0 else 50.0 if needed <= -2.0 else 70.0 if needed <= 0.5 else 85.0 if needed <= 2.5 else 95.0 if needed <= 4.0 else 0.0
    name = _name_points(a, b, max(cutoff - 1e-6, 0.0), common)[0]
    # Summed in compare()'s order, so that both give the same float.
    total = name + distance + contact + address + category
    if weak and (found := _centroid_points(a, b, name, distance)):
        total += found
    return total + extra if lone else total


def same_source_bar(a: Entity, b: Entity, thresholds: Thresholds) -> float:
    """Return the score from which a pair goes to review: higher for two records of one source (SAME_SOURCE_REVIEW_MARGIN),
    never for two of one source that it names as two kinds of actor (kinds_told_apart)."""
    if not a.sources.isdisjoint(b.sources):
        if kinds_told_apart(a, b):
            return math.inf
        return max(thresholds.review, min(thresholds.merge, thresholds.review + SAME_SOURCE_REVIEW_MARGIN))
    return thresholds.review


def kinds_told_apart(a: Entity, b: Entity) -> bool:
    """Tell whether two names both say what kind of actor they are and say different kinds ("Marché Vallon" /
    "Boerenmarkt Vallon": a market and a farmers' market; "Ferme X" / "Magasin à la ferme X": a farm and its shop).

    Between two lists this says little (a list adds, drops or translates kind words at will: they only weigh in
    OTHER_KIND_POINTS); within one list it is the list's own word: it names its actors in one way, so two of its
    records named as two kinds are two actors of one place, not one actor listed twice. Kinds are compared as read
    (translated to one language, modifiers such as "collectif" left out): "Markt X" and "Marché X" are one kind.
    """
    return bool(a.kinds and b.kinds and a.kinds != b.kinds)


def shared_points(points: Iterable[tuple[float | None, float | None]], at_least: int = 3) -> set[tuple[float, float]]:
    """Return the coordinates that several records share exactly: commune centroids, not real locations."""
    counts = Counter((round(lon, 5), round(lat, 5)) for lon, lat in points if lon is not None and lat is not None)
    return {point for point, n in counts.items() if n >= at_least}
