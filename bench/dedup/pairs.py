"""Several pairs of labelled lists with different habits, built from the real data in ../shared/data (pure, deterministic).

Each pair is (list A, list B, labels {B key: A key or None}). List A is a real list as it is kept; list B describes a
share of the same actors the way another network keeps them, plus distinct actors that look alike. Every perturbation
is drawn from a `random.Random` seeded per pair, so a seed gives the same lists on every run.

- rcr-centroids: the RCR list of Walloon and Brussels alternatives (commune centroids) as a clean GeoJSON, and a CSV of
  the same groups with points moved 0-800 m from the centroid, names in capitals or without accents, "GAC" written out,
  parentheses dropped, letters swapped, HTML entities, no contacts; distinct groups and gardens at the same centroids.
- rcr-written-out-nl: the same list kept with abbreviations written out ("Groupe d'achat commun", "asbl" spelled
  "association sans but lucratif"), and a second list that abbreviates them and writes a share in Dutch ("Moestuin",
  "Weggeefwinkel", "vzw"); distinct actors of the same kind in the same commune.
- osm-farmshops-fr-nl: OpenStreetMap farm shops, markets and vending machines of Belgium (precise points), and a list
  that writes the generic words in the other language (markt / marché, hoevewinkel / magasin à la ferme), points
  moved 0-800 m, capitals, letters swapped; other markets of the same kind nearby (never two of one name within 1 km:
  that would be one actor listed twice).
- schaerbeek-composts-one-point: the composts of Schaerbeek at their addresses, and a Dutch list that puts every one
  on the commune's centre ("Buurtcompost Walckiersstraat", street and number in Dutch, for "Compost de quartier
  Helmet-Hamoir Rue Walckiers"); other composts of other streets on that same point.
"""

import html
import json
import math
import random
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from build import Actor, csv_bytes


@dataclass
class ListPair:
    """Two labelled lists: A (kept as `a_format`), B (CSV) and, for each B record, the A actor it describes or None."""

    slug: str
    a: list[Actor]
    b: list[Actor]
    labels: dict[str, str | None]
    a_format: str = "csv"

    def a_bytes(self) -> bytes:
        return geojson_bytes(self.a) if self.a_format == "geojson" else csv_bytes(self.a)


def geojson_bytes(actors: list[Actor]) -> bytes:
    """Return the actors as a GeoJSON FeatureCollection with the properties the import maps without configuration."""
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(a.lon, 7), round(a.lat, 7)]},
         "properties": {"id": a.key, "name": a.name, "type": a.category, "city": a.city}}
        for a in actors
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()


# ---- perturbations (each takes the rng it may draw from) ----

def no_accents(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def swap_letters(name: str, rng: random.Random) -> str:
    """Swap two neighbouring letters inside a word of five letters or more (a typing slip)."""
    spots = [i for i in range(1, len(name) - 2) if name[i].isalpha() and name[i + 1].isalpha() and name[i] != name[i + 1]
             and name[i - 1].isalpha() and name[i + 2:i + 3].isalpha()]
    if not spots:
        return name
    i = rng.choice(spots)
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]


def entities(name: str) -> str:
    return html.escape(name, quote=True).replace("&#x27;", "&#039;").replace("é", "&eacute;").replace("è", "&egrave;")


def no_parentheses(name: str) -> str:
    return " ".join(name.replace("(", " ").replace(")", " ").split())


WRITTEN_OUT = [("GASAP", "Groupe d'achat solidaire de l'agriculture paysanne"), ("GAC", "Groupe d'achat commun"),
               ("GAA", "Groupe d'achat alimentaire"), ("SEL", "Système d'échange local"), ("asbl", "association sans but lucratif")]
TO_DUTCH = [("Potagers", "Moestuinen"), ("Potager collectif", "Collectieve moestuin"), ("Potager", "Moestuin"), ("Jardins", "Tuinen"),
            ("Jardin", "Tuin"), ("Donnerie", "Weggeefwinkel"), ("Compost de quartier", "Buurtcompost"), ("asbl", "vzw"),
            ("Ferme", "Hoeve"), ("Marché", "Markt"), ("Magasin à la ferme", "Hoevewinkel")]
TO_FRENCH = [("Hoevewinkel", "Magasin à la ferme"), ("Boerderij", "Ferme"), ("Hoeve", "Ferme"), ("Zaterdagmarkt", "Marché du samedi"),
             ("Vrijdagmarkt", "Marché du vendredi"), ("Zondagmarkt", "Marché du dimanche"), ("Wekelijkse", "hebdomadaire"),
             ("Boerenmarkt", "Marché fermier"), ("Markt", "Marché"), ("markt", "marché"), ("Fruitautomaat", "Distributeur de fruits"),
             ("Melkautomaat", "Distributeur de lait"), ("Imkerij", "Apiculture")]


def replace_words(name: str, table: list[tuple[str, str]]) -> str:
    for old, new in table:
        if old in name:
            return name.replace(old, new)
    return name


def write_out(name: str) -> str:
    for short, long in WRITTEN_OUT:
        for form in (f"{short} ", f" {short}"):
            if form in name:
                return name.replace(short, long, 1)
    return name


def abbreviate(name: str) -> str:
    for short, long in WRITTEN_OUT:
        if long in name:
            return name.replace(long, short)
    return name


def habits(name: str, rng: random.Random, extra=()) -> str:
    """Return `name` with one or two of the habits another list has (and the `extra` rewritings given)."""
    for rewrite in extra:
        name = rewrite(name)
    kinds = [str.upper, no_accents, lambda n: swap_letters(n, rng), entities, no_parentheses, lambda n: n]
    chosen = rng.sample(kinds, 2 if rng.random() < 0.4 else 1)
    for change in sorted(chosen, key=lambda c: c is entities):  # escaping comes last: nobody mistypes inside "&eacute;"
        name = change(name)
    return name


def moved(lon: float, lat: float, metres: float, rng: random.Random) -> tuple[float, float]:
    angle = rng.random() * 2 * math.pi
    return lon + metres * math.cos(angle) / (111_320 * math.cos(math.radians(lat))), lat + metres * math.sin(angle) / 111_320


# ---- the real lists ----

RCR_CATEGORIES = {"gac": "buying-group", "potager": "community-garden"}  # the food ones (SEL, donneries, repair cafés are not)


def rcr_actors(data: Path) -> list[Actor]:
    """Return the RCR buying groups and gardens (commune centroids; names as in the file, HTML entities decoded)."""
    features = json.loads((data / "rcr-alternatives-wallonie-bruxelles" / "carte_geojson.geojson").read_text())["features"]
    return [Actor(f"rcr{f['properties']['nid']}", html.unescape(f["properties"]["name"]).strip(), RCR_CATEGORIES[f["properties"]["type"]],
                  *f["geometry"]["coordinates"], city=f["properties"].get("Communes", ""), centroid=True, origin="rcr")
            for f in features if f.get("geometry") and f["properties"].get("name") and f["properties"]["type"] in RCR_CATEGORIES]


def farmshop_actors(data: Path) -> list[Actor]:
    """Return the named OpenStreetMap farm shops, markets and vending machines of Belgium."""
    kinds = {"farm": "farm-shop", "marketplace": "market", "vending_machine": "farm-shop", "beekeeper": "bee-keeping"}
    features = json.loads((data / "osm-farmshops-belgium" / "farmshops_belgium.geojson").read_text())["features"]
    return [Actor(f"osm{f['id'].replace('/', '')}", f["properties"]["name"], kinds.get(f["properties"].get("farmshops:category"), "farm-shop"),
                  *f["geometry"]["coordinates"], city=f["properties"].get("be:commune_fr", ""), origin="osm")
            for f in features if f["properties"].get("name") and f["properties"].get("farmshops:category") in kinds]


OTHER_WORDS = ["Josaphat", "Tilleuls", "Coquelicot", "Moulin", "Source", "Bocage", "Cerisiers", "Tivoli", "Chênes", "Peupliers",
               "Vallon", "Colline", "Fontaine", "Prairie", "Sureau", "Noisetiers"]
KINDS = {"buying-group": ["GAC", "Groupe d'achat", "GASAP"], "community-garden": ["Potager", "Potager collectif", "Jardin partagé"]}


def plain(name: str) -> str:
    """Return a name as the bench compares look-alikes with real names: abbreviated, folded, without punctuation or 'de'."""
    words = "".join(c if c.isalnum() else " " for c in no_accents(abbreviate(name)).casefold()).split()
    return " ".join(w.removesuffix("s") for w in words if w not in {"de", "du", "d", "des", "la", "le", "l", "asbl"})


def _centroid_look_alike(a: Actor, key: str, rng: random.Random, metres: float, named_after_city: set[str]) -> Actor:
    """Return a different actor of the same kind in the same commune: its name the kind and another word or the commune."""
    kind = rng.choice(KINDS.get(a.category, ["Potager"]))
    other = rng.choice(OTHER_WORDS) if rng.random() < 0.7 or a.city in named_after_city else f"de {a.city.split(',')[0]}"
    lon, lat = moved(a.lon, a.lat, rng.uniform(0, metres), rng)
    return Actor(key, f"{kind} {other}", a.category, lon, lat, city=a.city, origin="look-alike")


def city_named(actors: list[Actor], more: set[str] | None = None) -> set[str]:
    """Return the communes where an actor is named after the commune (another "Potager de Ciney" would be the same
    name), with `more`, the communes a look-alike was already named after (it is kept up to date by the caller)."""
    found = {a.city for a in actors if a.city and plain(a.city.split(",")[0]) in plain(a.name)}
    if more is not None:
        more |= found
        return more
    return found


def rcr_centroids(data: Path, seed: int) -> ListPair:
    rng = random.Random(f"rcr-centroids/{seed}")
    a = rcr_actors(data)
    names_a = {plain(x.name) for x in a}
    used: set[str] = set()
    used_words: set[tuple[str, str]] = set()
    b, labels = [], {}
    for i, actor in enumerate(a):
        if rng.random() < 0.65:
            lon, lat = moved(actor.lon, actor.lat, rng.uniform(0, 800), rng)
            b.append(replace(actor, key=f"b{i}", name=habits(actor.name, rng, extra=[write_out] if rng.random() < 0.7 else []),
                             lon=lon, lat=lat, centroid=False))
            labels[f"b{i}"] = actor.key
        if rng.random() < 0.15:
            other = _centroid_look_alike(actor, f"l{i}", rng, 800, city_named(a, used))
            if other.city and plain(other.city.split(",")[0]) in plain(other.name):
                used.add(other.city)
            if plain(other.name) not in names_a and (other.city, other.name.split()[-1]) not in used_words:
                used_words.add((other.city, other.name.split()[-1]))  # two look-alikes named alike in one commune: one actor
                names_a.add(plain(other.name))  # one look-alike of a name: a second would be the same actor
                b.append(replace(other, name=habits(other.name, rng, extra=[write_out])))
                labels[other.key] = None
    rng.shuffle(b)
    return ListPair("rcr-centroids", a, b, labels, a_format="geojson")


def rcr_written_out_nl(data: Path, seed: int) -> ListPair:
    rng = random.Random(f"rcr-written-out-nl/{seed}")
    a = [replace(x, name=write_out(x.name) if rng.random() < 0.8 else x.name + (" asbl" if rng.random() < 0.3 else "")) for x in rcr_actors(data)]
    names_a = {plain(x.name) for x in a}
    used: set[str] = set()
    used_words: set[tuple[str, str]] = set()
    b, labels = [], {}
    for i, actor in enumerate(a):
        if rng.random() < 0.6:
            lon, lat = moved(actor.lon, actor.lat, rng.uniform(0, 800), rng)
            extra = [abbreviate] + ([lambda n: replace_words(n, TO_DUTCH)] if rng.random() < 0.4 else [])
            b.append(replace(actor, key=f"b{i}", name=habits(actor.name, rng, extra=extra), lon=lon, lat=lat, centroid=False))
            labels[f"b{i}"] = actor.key
        if rng.random() < 0.2:
            other = _centroid_look_alike(actor, f"l{i}", rng, 800, city_named(a, used))
            if other.city and plain(other.city.split(",")[0]) in plain(other.name):
                used.add(other.city)
            if plain(other.name) not in names_a and (other.city, other.name.split()[-1]) not in used_words:
                used_words.add((other.city, other.name.split()[-1]))  # two look-alikes named alike in one commune: one actor
                names_a.add(plain(other.name))
                b.append(other)
                labels[other.key] = None
    rng.shuffle(b)
    return ListPair("rcr-written-out-nl", a, b, labels)


def osm_farmshops_fr_nl(data: Path, seed: int) -> ListPair:
    rng = random.Random(f"osm-farmshops-fr-nl/{seed}")
    a = farmshop_actors(data)
    b, labels, looks = [], {}, []
    for i, actor in enumerate(a):
        if rng.random() < 0.6:
            lon, lat = moved(actor.lon, actor.lat, rng.uniform(0, 800), rng)
            b.append(replace(actor, key=f"b{i}", name=habits(actor.name, rng, extra=[lambda n: replace_words(n, TO_FRENCH)]), lon=lon, lat=lat))
            labels[f"b{i}"] = actor.key
        if rng.random() < 0.2:
            # Another actor of the same kind nearby: another market day, another farm.
            lon, lat = moved(actor.lon, actor.lat, rng.uniform(150, 900), rng)
            kind = {"market": ["Marché", "Markt", "Boerenmarkt"], "vending-machine": ["Distributeur", "Melkautomaat", "Fruitautomaat"]}.get(
                actor.category, ["Ferme", "Hoeve", "Hoevewinkel", "Magasin à la ferme"])
            other = Actor(f"l{i}", f"{rng.choice(kind)} {rng.choice(OTHER_WORDS)}", actor.category, lon, lat, origin="look-alike")
            # Two look-alikes of one name less than 1 km apart would be one actor listed twice (as run.twin_roots reads a
            # list, and the RCR pairs avoid): the first is kept. The draws are the same either way.
            if not any(plain(o.name) == plain(other.name) and _within_km(o, other) for o in looks):
                looks.append(other)
                b.append(other)
                labels[other.key] = None
    rng.shuffle(b)
    return ListPair("osm-farmshops-fr-nl", a, b, labels)


def _within_km(x: Actor, y: Actor) -> bool:
    return math.hypot((x.lon - y.lon) * 70_000, (x.lat - y.lat) * 111_000) < 1000


def schaerbeek_composts_one_point(data: Path, seed: int) -> ListPair:
    rng = random.Random(f"schaerbeek-composts-one-point/{seed}")
    features = json.loads((data / "schaerbeek-compost-de-quartier" / "compost_de_quartier_schaerbeek.geojson").read_text())["features"]
    a, b, labels = [], [], {}
    centre = (4.3775, 50.8676)  # the commune's centre, where a list without addresses puts every compost
    for f in features:
        p = f["properties"]
        key = f"cc{p['id']}"
        a.append(Actor(key, f"Compost de quartier {p['Quartier']} {p['Nom de la voie (FR)']}", "neighbourhood-compost",
                       *f["geometry"]["coordinates"], street=p["Nom de la voie (FR)"], number=str(p["numéro"] or ""), city="Schaerbeek",
                       origin="schaerbeek"))
        b.append(Actor(f"b{key}", habits(f"Buurtcompost {p['Nom de la voie (NL)']}", rng), "neighbourhood-compost", *centre,
                       street=p["Nom de la voie (NL)"], number=str(p["numéro"] or ""), city="Schaarbeek"))
        labels[f"b{key}"] = key
    for i, street in enumerate(["Rogierlaan", "Helmetsesteenweg", "Josaphatstraat", "Paviljoenstraat", "Kolonel Bourgstraat",
                                "Waelhemstraat", "Haachtsesteenweg", "Van Ooststraat"]):
        b.append(Actor(f"l{i}", f"Buurtcompost {street}", "neighbourhood-compost", *centre, street=street, number=str(rng.randint(1, 120)),
                       city="Schaarbeek"))
        labels[f"l{i}"] = None
    rng.shuffle(b)
    return ListPair("schaerbeek-composts-one-point", a, b, labels)


PAIRS = [rcr_centroids, rcr_written_out_nl, osm_farmshops_fr_nl, schaerbeek_composts_one_point]


def all_pairs(data: Path, seed: int) -> list[ListPair]:
    """Return every pair of lists of the benchmark, built with `seed`."""
    return [make(data, seed) for make in PAIRS]
