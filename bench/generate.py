"""Realistic synthetic places over Belgium for benchmarks: denser where people live, deterministic by seed.

Needs a configured Django with territories and taxonomy loaded (see bench/run.py).
"""

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import shape

# Words by category family, (fr, nl): names are built from them, so text search finds realistic words.
FAMILY_WORDS = {
    "production": (["ferme", "maraîcher", "potager", "verger", "rucher", "champ"], ["boerderij", "tuinder", "moestuin", "boomgaard", "imker", "akker"]),
    "short-chains": (
        ["épicerie", "marché", "paniers", "coopérative", "magasin", "boulangerie", "vrac"],
        ["kruidenier", "markt", "pakketten", "coöperatie", "winkel", "bakkerij", "verpakkingsvrij"],
    ),
    "processing": (["atelier", "cuisine", "conserverie", "légumerie"], ["atelier", "keuken", "conservenmakerij", "groenteverwerking"]),
    "catering": (["cantine", "restaurant", "réfectoire", "traiteur"], ["kantine", "restaurant", "refter", "traiteur"]),
    "food-aid": (
        ["colis", "épicerie sociale", "resto du cœur", "frigo solidaire", "banque alimentaire"],
        ["voedselpakket", "sociale kruidenier", "sociaal restaurant", "solidaire koelkast", "voedselbank"],
    ),
    "gardens": (["potager", "jardin", "verger", "parcelles"], ["moestuin", "tuin", "boomgaard", "perceel"]),
    "compost-recovery": (["compost", "récup", "invendus", "lombricompost"], ["compost", "recup", "overschotten", "wormenbak"]),
    "land": (["terres", "prairie", "champ", "foncier"], ["gronden", "weide", "akker", "grondfonds"]),
    "support": (["réseau", "formation", "conseil", "accompagnement"], ["netwerk", "opleiding", "advies", "begeleiding"]),
}
QUALIFIERS = (
    ["bio", "solidaire", "local", "du quartier", "paysan", "citoyen", "de saison", "durable", "des voisins", "coopératif"],
    ["bio", "solidair", "lokaal", "van de wijk", "boeren", "burger", "seizoens", "duurzaam", "van de buren", "coöperatief"],
)
SENTENCES = (
    ["Produits locaux et de saison.", "Ouvert à toutes et à tous.", "Légumes bio cultivés sans pesticides.",
     "Distribution chaque semaine.", "Bénévoles bienvenus.", "Circuit court, prix juste pour les producteurs.",
     "Accès sur présentation d'une attestation du CPAS.", "Compost partagé par les habitants du quartier.",
     "Pain au levain et farines de la région.", "Fromages fermiers et produits laitiers."],
    ["Lokale seizoensproducten.", "Open voor iedereen.", "Biologische groenten zonder pesticiden.",
     "Wekelijkse verdeling.", "Vrijwilligers welkom.", "Korte keten, eerlijke prijs voor de boeren.",
     "Toegang met een attest van het OCMW.", "Gedeelde compost voor de buurtbewoners.",
     "Zuurdesembrood en bloem uit de streek.", "Hoevekazen en zuivelproducten."],
)
STREETS = (
    ["Rue de la Station", "Rue de l'Église", "Chaussée de Bruxelles", "Place communale", "Rue du Moulin", "Avenue des Tilleuls",
     "Rue des Champs", "Rue de la Gare", "Rue du Marché", "Chemin du Bois", "Rue Haute", "Rue Saint-Jean"],
    ["Stationsstraat", "Kerkstraat", "Brusselsesteenweg", "Gemeenteplein", "Molenstraat", "Lindenlaan",
     "Veldstraat", "Statiestraat", "Marktstraat", "Boswegel", "Hoogstraat", "Sint-Jansstraat"],
)
HOURS = ["Mo-Fr 09:00-18:00", "Sa 08:00-13:00", "We 17:00-19:00", "Tu,Th 16:00-19:00; Sa 09:00-12:00", "Mo-Sa 08:30-18:30", "Fr 17:30-19:30"]
# Dutch-speaking communes: the Flemish region (NIS codes 1xxxx, 3xxxx, 4xxxx, 7xxxx and Flemish Brabant 23xxx/24xxx).
DUTCH_PREFIXES = ("1", "3", "4", "7", "23", "24")
BATCH_POINTS = 4096


@dataclass(frozen=True)
class Commune:
    """What the generator needs of a commune."""

    code: str
    name_fr: str
    name_nl: str
    population: int
    geometry: object


def load_communes() -> list[Commune]:
    """Read the communes with their population and boundary from the database."""
    from foodcommons.territories.models import Territory

    rows = Territory.objects.filter(level=Territory.Level.COMMUNE, geometry__isnull=False)
    return [Commune(t.code, t.name_fr, t.name_nl, t.population or 1000, shape(t.geometry)) for t in rows.order_by("code")]


def leaf_categories() -> list[tuple[str, str]]:
    """Return (leaf slug, top-level family slug) for every leaf of the taxonomy."""
    from foodcommons.taxonomy.selectors import category_tree

    tree = category_tree()
    leaves = [slug for slug in tree.nodes if not tree.children.get(slug)]
    return [(slug, ([slug, *tree.ancestors(slug)])[-1]) for slug in sorted(leaves)]


def _points_in(rng: np.random.Generator, polygon, count: int) -> np.ndarray:
    """Return `count` points drawn uniformly inside `polygon` (rejection sampling in its bbox)."""
    west, south, east, north = polygon.bounds
    shapely.prepare(polygon)
    found = np.empty((0, 2))
    while len(found) < count:
        draw = np.column_stack([rng.uniform(west, east, BATCH_POINTS), rng.uniform(south, north, BATCH_POINTS)])
        inside = shapely.contains_xy(polygon, draw[:, 0], draw[:, 1])
        found = np.concatenate([found, draw[inside]])
    return found[:count]


def _attributes(slug: str, rng) -> dict:
    if slug == "csa":
        return {"households": int(rng.integers(10, 120)), "open_to_new_members": bool(rng.integers(2))}
    if slug == "community-garden":
        return {"plots": int(rng.integers(5, 60))}
    if slug == "neighbourhood-compost":
        return {"public_deposits": bool(rng.integers(2))}
    return {}


def _contacts(rng, name_word: str, index: int) -> list[dict]:
    contacts = []
    if rng.random() < 0.4:
        contacts.append({"kind": "email", "value": f"contact{index}@{name_word.split()[0]}.example.org"})
    if rng.random() < 0.25:
        contacts.append({"kind": "website", "value": f"https://{name_word.split()[0]}-{index}.example.org/"})
    return contacts


def _place(rng, index: int, commune: Commune, point, category: tuple[str, str]) -> dict:
    slug, family = category
    dutch = commune.code.startswith(DUTCH_PREFIXES)
    words_fr, words_nl = FAMILY_WORDS.get(family, FAMILY_WORDS["short-chains"])
    k = int(rng.integers(len(words_fr)))
    q = int(rng.integers(len(QUALIFIERS[0])))
    name_fr = f"{words_fr[k].capitalize()} {QUALIFIERS[0][q]} de {commune.name_fr}"
    name_nl = f"{words_nl[k].capitalize()} {QUALIFIERS[1][q]} {commune.name_nl}"
    picks = rng.choice(len(SENTENCES[0]), size=2, replace=False)
    s = int(rng.integers(len(STREETS[0])))
    place = {
        "name": {"nl": name_nl} if dutch else {"fr": name_fr, **({"nl": name_nl} if rng.random() < 0.3 else {})},
        "description": {("nl" if dutch else "fr"): " ".join(SENTENCES[1 if dutch else 0][i] for i in picks)},
        "categories": [slug],
        "geometry": {"type": "Point", "coordinates": [round(float(point[0]), 6), round(float(point[1]), 6)]},
        "address": {
            "street": STREETS[1 if dutch else 0][s],
            "house_number": str(int(rng.integers(1, 250))),
            "locality": commune.name_nl if dutch else commune.name_fr,
        },
        "attributes": _attributes(slug, rng),
    }
    if contacts := _contacts(rng, words_fr[k].lower().replace("é", "e").replace("è", "e").replace("û", "u"), index):
        place["contacts"] = contacts
    if rng.random() < 0.3:
        place["opening_hours"] = HOURS[int(rng.integers(len(HOURS)))]
    if rng.random() < 0.03:
        place["status"] = "closed"
    return place


def generate_places(count: int, *, seed: int = 1) -> Iterator[dict]:
    """Yield `count` valid place inputs over Belgium: communes weighted by population, points inside them."""
    rng = np.random.default_rng(seed)
    communes = load_communes()
    categories = leaf_categories()
    weights = np.array([c.population for c in communes], dtype=float)
    per_commune = rng.multinomial(count, weights / weights.sum())
    points = {i: _points_in(rng, communes[i].geometry, int(n)) for i, n in enumerate(per_commune) if n}
    order = np.repeat(np.arange(len(communes)), per_commune)
    rng.shuffle(order)
    taken = dict.fromkeys(points, 0)
    for index, commune_index in enumerate(order.tolist()):
        point = points[commune_index][taken[commune_index]]
        taken[commune_index] += 1
        yield _place(rng, index, communes[commune_index], point, categories[int(rng.integers(len(categories)))])
