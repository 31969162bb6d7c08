"""The embedded geocoder: Belgian postcodes, localities, communes and Brussels streets to a starting point (pure, no I/O).

Every answer is approximate (the centre of a postcode, a locality, a commune, or of the Brussels region for a street
without one): it is where a pin starts, for a person to move it onto the place.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from foodcommons.core.text import fold

# Belgium's bounding box, a little wider than its land (lon, lat).
WEST, SOUTH, EAST, NORTH = 2.50, 49.45, 6.45, 51.55
BRUSSELS = (4.3517, 50.8466)  # the Grand-Place: where a Brussels street without postcode or commune starts
_POSTCODE = re.compile(r"(?<!\d)([1-9]\d{3})(?!\d)")
_SEPARATORS = re.compile(r"[\s,;/'’\-–.()]+")
MIN_PREFIX = 3


@dataclass(frozen=True)
class Locality:
    """A postcode's locality (a town or a former commune) with a point."""

    postcode: str
    name: str
    lon: float
    lat: float
    main: bool = False
    commune: str = ""  # NIS code of the commune containing the point


@dataclass(frozen=True)
class Commune:
    """A commune with its names and a point inside it."""

    code: str
    names: dict
    lon: float
    lat: float


@dataclass(frozen=True)
class Street:
    """A street and its names (French and Dutch in Brussels)."""

    names: dict


@dataclass(frozen=True)
class Match:
    """A starting point for the pin and what it was found from."""

    lon: float
    lat: float
    label: str
    precision: str  # street, locality, postcode, commune, address (an exact address, from a configured service)
    approximate: bool = True
    postcode: str = ""
    commune: str = ""
    locality: str = ""
    street: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        """Return the match as the geocode endpoint answers it."""
        return {"lon": round(self.lon, 6), "lat": round(self.lat, 6), "label": self.label, "precision": self.precision,
                "approximate": self.approximate, "postcode": self.postcode, "commune": self.commune, "locality": self.locality,
                "street": self.street}


def words(text: str) -> str:
    """Return `text` folded, with its punctuation and hyphens as single spaces, padded with spaces for whole-word search."""
    return " " + _SEPARATORS.sub(" ", fold(text)).strip() + " "


def _name(names: dict, language: str) -> str:
    return names.get(language) or names.get("fr") or names.get("nl") or next(iter(names.values()), "")


class Gazetteer:
    """The names the project knows, indexed for search."""

    def __init__(self, localities: list[Locality], communes: list[Commune], streets: list[Street]):
        self.by_postcode: dict[str, list[Locality]] = {}
        for locality in localities:
            self.by_postcode.setdefault(locality.postcode, []).append(locality)
        for rows in self.by_postcode.values():
            rows.sort(key=lambda r: not r.main)
        self.communes = {c.code: c for c in communes}
        self.names: list[tuple[str, str, Any]] = []  # (folded words, kind, entry), longest first
        for commune in communes:
            for name in set(commune.names.values()):
                self.names.append((words(name), "commune", commune))
        for locality in localities:
            self.names.append((words(locality.name), "locality", locality))
        self.names.sort(key=lambda n: -len(n[0]))
        self.streets = sorted(((words(n), s) for s in streets for n in set(s.names.values()) if n), key=lambda n: -len(n[0]))
        # Each street name under each of its words: a text is compared only with the streets that share a word with it.
        self.street_words: dict[str, list[int]] = {}
        for i, (name, _street) in enumerate(self.streets):
            for word in set(name.split()):
                self.street_words.setdefault(word, []).append(i)

    def search(self, text: str, language: str = "fr", limit: int = 5) -> list[Match]:
        """Return the starting points `text` names, best first (empty when it names nothing known)."""
        text = (text or "")[:200]
        folded = words(text)
        postcode = m.group(1) if (m := _POSTCODE.search(text)) and m.group(1) in self.by_postcode else ""
        rest = folded.replace(f" {postcode} ", " ") if postcode else folded
        candidates = sorted({i for word in set(rest.split()) for i in self.street_words.get(word, ())})
        contained = [self.streets[i] for i in candidates if self.streets[i][0] in rest]
        streets = _unique([street for _name, street in contained])
        for name, _street in sorted(contained, key=lambda n: -len(n[0])):
            rest = rest.replace(name, " ", 1)
        place, rest = self._place_name(rest, postcode)
        streets = streets or self._streets_typed(rest)
        base = self._base(postcode, place, language)
        if streets:
            return [self._on_street(street, base, language) for street in streets[:limit]]
        if base is not None:
            return [base]
        return []

    def _place_name(self, folded: str, postcode: str):
        """Find the longest commune or locality name in the text (within the postcode when there is one)."""
        for name, kind, entry in self.names:
            if name in folded and len(name.strip()) >= 2:
                if postcode and kind == "locality" and entry.postcode != postcode:
                    continue
                return (kind, entry), folded.replace(name, " ", 1)
        return None, folded

    def _streets_typed(self, folded: str) -> list[Street]:
        """Return the streets whose name, or a word of it, starts with what is left of the text (a street being typed)."""
        rest = re.sub(r" \d+[a-z]? ", " ", folded).strip()
        if len(rest) < MIN_PREFIX:
            return []
        first = rest.split()[0]
        candidates = sorted({i for word, found in self.street_words.items() if word.startswith(first) for i in found})
        return _unique([self.streets[i][1] for i in candidates if f" {rest}" in self.streets[i][0]])

    def _base(self, postcode: str, place, language: str) -> Match | None:
        if place is not None and place[0] == "locality" and (not postcode or place[1].postcode == postcode):
            locality = place[1]
            return self._locality_match(locality, language, "locality")
        if postcode:
            locality = self.by_postcode[postcode][0]
            return self._locality_match(locality, language, "postcode")
        if place is not None:
            commune = place[1]
            return Match(commune.lon, commune.lat, _name(commune.names, language), "commune", commune=commune.code)
        return None

    def _locality_match(self, locality: Locality, language: str, precision: str) -> Match:
        commune = self.communes.get(locality.commune)
        commune_name = _name(commune.names, language) if commune else ""
        name = commune_name if locality.main and commune_name else locality.name
        label = f"{locality.postcode} {name}" + (f" ({commune_name})" if commune_name and fold(commune_name) != fold(name) else "")
        return Match(locality.lon, locality.lat, label, precision, postcode=locality.postcode, commune=locality.commune, locality=name)

    def _on_street(self, street: Street, base: Match | None, language: str) -> Match:
        name = _name(street.names, language)
        if base is None:
            return Match(*BRUSSELS, f"{name}, {_name(self._brussels_names(), language)}", "street", street=street.names)
        return Match(base.lon, base.lat, f"{name}, {base.label}", "street", postcode=base.postcode, commune=base.commune,
                     locality=base.locality, street=street.names)

    def _brussels_names(self) -> dict:
        brussels = self.communes.get("21004")
        return brussels.names if brussels else {"fr": "Bruxelles", "nl": "Brussel"}


def _unique(streets: list[Street]) -> list[Street]:
    seen, out = set(), []
    for street in streets:
        key = tuple(sorted(street.names.items()))
        if key not in seen:
            seen.add(key)
            out.append(street)
    return out


def point_problem(lon: float, lat: float) -> str | None:
    """Return "swapped" when (lon, lat) reads as a Belgian point given as (lat, lon), "outside" when it is not in Belgium, else None."""
    if in_belgium_box(lon, lat):
        return None
    if in_belgium_box(lat, lon):
        return "swapped"
    return "outside"


def in_belgium_box(lon: float, lat: float) -> bool:
    """Tell whether (lon, lat) is inside Belgium's bounding box."""
    return WEST <= lon <= EAST and SOUTH <= lat <= NORTH
