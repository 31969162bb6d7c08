"""Build a labelled entity-resolution benchmark from the real data in ../shared/data (pure: files in, rows out).

Source A holds real actors (OpenStreetMap extracts of Luxembourg, the RCR list of Walloon and Brussels alternatives,
the composts of Schaerbeek). Source B describes a share of the same actors again with the variations two lists
really have (case, accents, HTML entities, legal forms, "GASAP de" prefixes, abbreviations, typos, moved points,
re-formatted phones, missing fields), plus look-alike distinct actors: same kind of name nearby, same name elsewhere.
"""

import json
import random
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from foodcommons.imports.connectors import SourceMapping, read_records

COLUMNS = ["id", "name", "type", "street", "number", "postcode", "city", "lat", "lon", "phone", "email", "website"]


@dataclass
class Actor:
    key: str
    name: str
    category: str
    lon: float
    lat: float
    street: str = ""
    number: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    centroid: bool = False
    origin: str = ""


def real_actors(data: Path) -> list[Actor]:
    """Return the real actors of the shared samples, with a category and a point."""
    actors: list[Actor] = []
    files = [(data / "osm-wallonie-luxembourg-pois" / f, "osm") for f in ("Arlon.geojson", "Habay.geojson", "Tintigny.geojson", "pnhsfa.geojson")]
    files += [(data / "rcr-alternatives-wallonie-bruxelles" / "carte_geojson.geojson", "geojson"),
              (data / "schaerbeek-compost-de-quartier" / "compost_de_quartier_schaerbeek.geojson", "geojson")]
    seen = set()
    for path, fmt in files:
        mapping = SourceMapping(default_category="neighbourhood-compost") if "schaerbeek" in path.name else SourceMapping()
        for r in read_records(path.read_bytes(), file_format=fmt, mapping=mapping):
            name = r.name or (f"Compost de quartier {r.raw.get('Quartier', '')} {r.raw.get('Nom de la voie (FR)', '')}".strip())
            # The OSM extracts overlap: one OSM object is one actor.
            identity = r.external_id if fmt == "osm" else (path.name, r.external_id)
            if not r.categories or r.lon is None or identity in seen:
                continue
            seen.add(identity)
            actors.append(Actor(f"{path.stem}:{r.external_id}", name, r.categories[0], r.lon, r.lat, r.street, r.house_number,
                                r.postcode if len(r.postcode) == 4 else "", r.locality, r.phone, r.email, r.website,
                                centroid="carte" in path.name, origin="osm" if fmt == "osm" else path.parent.name.split("-")[0]))
    return actors


def with_contacts(actors: list[Actor], rng: random.Random) -> None:
    """Give about half of the actors the contacts real lists carry (the samples hide most of them)."""
    used: set[str] = set()
    for i, a in enumerate(actors):
        slug = "".join(c for c in unicodedata.normalize("NFKD", a.name.lower()) if c.isalnum())[:20] or f"actor{i}"
        slug = slug if slug not in used else f"{slug}{i}"
        used.add(slug)
        if not a.email and rng.random() < 0.5:
            a.email = f"contact@{slug}.be"
        if not a.phone and rng.random() < 0.4:
            a.phone = f"+32 2 {rng.randint(200, 799)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        if not a.website and rng.random() < 0.3:
            a.website = f"https://www.{slug}.be/"


PREFIXES = ["GASAP ", "GAC ", "Potager collectif ", "Compost de quartier ", "asbl ", ""]
ABBREV = [("Saint", "St"), ("Sainte", "Ste"), ("Boulangerie", "Boul."), ("Rue", "R.")]


def name_variant(name: str, rng: random.Random) -> str:
    """Return the name as another list would write it."""
    choice = rng.random()
    if choice < 0.2:
        name = name.upper()
    elif choice < 0.35:
        name = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    elif choice < 0.5:
        name = name.replace("'", "&#039;").replace("&", "&amp;") + " asbl"
    elif choice < 0.6:
        for long, short in ABBREV:
            name = name.replace(long, short)
    elif choice < 0.7 and len(name) > 8:
        i = rng.randrange(2, len(name) - 2)
        name = name[:i] + name[i + 1 :]  # a typo: one letter dropped
    elif choice < 0.8:
        name = f"  {name}  "
    return name


def phone_variant(phone: str, rng: random.Random) -> str:
    digits = phone.replace(" ", "")
    return "0" + digits[3:] if digits.startswith("+32") and rng.random() < 0.5 else phone


def moved(a: Actor, metres: float, rng: random.Random) -> tuple[float, float]:
    angle = rng.random() * 6.283
    import math

    return a.lon + metres * math.cos(angle) / 70_000, a.lat + metres * math.sin(angle) / 111_000


def duplicate(a: Actor, key: str, rng: random.Random) -> Actor:
    """Return the same actor as source B describes it."""
    metres = rng.choice([0, 5, 15, 30, 40, 80, 150, 300]) if not a.centroid else rng.uniform(200, 3000)
    lon, lat = moved(a, metres, rng)
    return replace(
        a, key=key, name=name_variant(a.name, rng), lon=lon, lat=lat, centroid=False,
        phone=phone_variant(a.phone, rng) if rng.random() < 0.8 else "",
        email=a.email.upper() if a.email and rng.random() < 0.3 else (a.email if rng.random() < 0.85 else ""),
        website=a.website.replace("https://www.", "http://") if a.website and rng.random() < 0.5 else a.website,
        street=a.street if rng.random() < 0.7 else "", number=a.number if rng.random() < 0.7 else "",
        postcode=a.postcode if rng.random() < 0.8 else "",
    )


def look_alike(a: Actor, key: str, rng: random.Random) -> Actor:
    """Return a different actor that looks like `a`: the same kind of name nearby, or the same name far away."""
    words = ["Josaphat", "Helmet", "Tivoli", "Cerisiers", "Bocage", "Coquelicot", "Tilleuls", "Moulin", "Source", "Vallée"]
    if rng.random() < 0.5:
        lon, lat = moved(a, rng.uniform(80, 900), rng)
        prefix = next((p for p in PREFIXES if p and a.name.startswith(p)), rng.choice(PREFIXES))
        name = f"{prefix}{rng.choice(words)}"
    else:
        lon, lat = moved(a, rng.uniform(8_000, 60_000), rng)
        name = a.name
    slug = f"other{key.replace(':', '')}"
    return Actor(key, name, a.category, lon, lat, postcode="", city="", email=f"info@{slug}.be" if rng.random() < 0.5 else "",
                 phone=f"+32 4{rng.randint(70, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}" if rng.random() < 0.4 else "")


def build(data: Path, seed: int = 7) -> tuple[list[Actor], list[Actor], dict[str, str | None]]:
    """Return source A, source B and the labels {B key: A key or None}."""
    rng = random.Random(seed)
    a = real_actors(data)
    with_contacts(a, rng)
    b, labels = [], {}
    for i, actor in enumerate(a):
        if rng.random() < 0.6:
            key = f"b{i}"
            b.append(duplicate(actor, key, rng))
            labels[key] = actor.key
        if rng.random() < 0.25:
            key = f"l{i}"
            b.append(look_alike(actor, key, rng))
            labels[key] = None
    rng.shuffle(b)
    return a, b, labels


def scaled(actors: list[Actor], count: int, seed: int = 11) -> list[Actor]:
    """Return `count` synthetic actors made from the real ones, spread over Belgium (for throughput only)."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        base = actors[i % len(actors)]
        out.append(replace(base, key=f"s{i}", name=f"{base.name} {i // len(actors)}", lon=rng.uniform(2.6, 6.3), lat=rng.uniform(49.6, 51.4),
                           email=f"s{i}@{base.email.split('@')[-1]}" if base.email else "", phone="", website="", centroid=False))
    return out


def csv_bytes(actors: list[Actor], id_prefix: str = "") -> bytes:
    """Return the actors as a CSV file of the columns the import maps without configuration (identifiers prefixed: another list's)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for a in actors:
        writer.writerow([id_prefix + a.key, a.name, a.category, a.street, a.number, a.postcode, a.city, f"{a.lat:.7f}", f"{a.lon:.7f}", a.phone,
                         a.email, a.website])
    return buffer.getvalue().encode()


if __name__ == "__main__":
    here = Path(__file__).resolve()
    a, b, labels = build(here.parents[3] / "shared" / "data")
    print(json.dumps({"A": len(a), "B": len(b), "true pairs": sum(1 for v in labels.values() if v)}))
