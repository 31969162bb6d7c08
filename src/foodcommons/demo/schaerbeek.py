"""Reading the neighbourhood composts of Schaerbeek into place inputs (pure, no I/O)."""

from collections.abc import Iterator


def read_composts(collection: dict) -> Iterator[tuple[str, dict]]:
    """Yield (identifier, place input) for each neighbourhood compost."""
    for feature in collection.get("features", []):
        p = feature["properties"]
        street_fr, street_nl, number = p["Nom de la voie (FR)"], p["Nom de la voie (NL)"], str(p.get("numéro") or "")
        place = {
            "name": {
                "fr": f"Compost de quartier {p['Quartier']} ({street_fr} {number})".strip(),
                "nl": f"Buurtcompost {p['Quartier']} ({street_nl} {number})".strip(),
            },
            "categories": ["neighbourhood-compost"],
            "geometry": {"type": "Point", "coordinates": [p["longitude"], p["latitude"]]},
            "address": {"street": street_fr, "house_number": number, "postcode": "1030", "locality": "Schaerbeek"},
            "attributes": {"since_year": p["year"]} if p.get("year") else {},
            "licence": "GPL-3.0-only",
        }
        yield p["id"], place
