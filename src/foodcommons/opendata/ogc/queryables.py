"""What the items of a collection can be filtered on, by query parameter or by CQL2 (pure)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Queryable:
    """A property that filters may name, the columns it reads and its JSON Schema."""

    columns: tuple[str, ...]
    schema: dict
    description: str


TEXT, INTEGER, DATETIME = {"type": "string"}, {"type": "integer"}, {"type": "string", "format": "date-time"}

QUERYABLES = {
    "name": Queryable(("name_fr", "name_nl", "name_en"), TEXT, "A name in any language"),
    "category": Queryable(("category",), TEXT, "A category identifier, subcategories included"),
    "status": Queryable(("status",), {"type": "string", "enum": ["active", "temporarily_closed", "closed"]}, "Status"),
    "commune": Queryable(("commune_id",), TEXT, "NIS code of the commune"),
    "territory": Queryable(
        ("commune_id",), TEXT, "NIS code of a region, province, arrondissement or commune: the places in it and the places serving it (=, <> or IN)"
    ),
    "postcode": Queryable(("postcode",), TEXT, "Postcode"),
    "locality": Queryable(("locality",), TEXT, "Locality of the address"),
    "licence": Queryable(("licence",), TEXT, "SPDX licence identifier"),
    "version": Queryable(("version",), INTEGER, "Version of the place"),
    "updated": Queryable(("updated_at",), DATETIME, "Time of the last change"),
    "created": Queryable(("created_at",), DATETIME, "Time of creation"),
}
GEOMETRY, TERRITORY = "geometry", "territory"


def queryables_document(url: str, title: str) -> dict:
    """Return the JSON Schema of the queryables of a collection."""
    properties = {name: {**q.schema, "title": q.description} for name, q in QUERYABLES.items()}
    properties[GEOMETRY] = {"format": "geometry-any", "title": "Point or area of the place"}
    return {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": url,
        "type": "object",
        "title": title,
        "properties": properties,
        "additionalProperties": False,
    }
