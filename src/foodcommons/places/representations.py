"""Shaping places for answers and files: JSON, GeoJSON features and CSV rows, from the fields of places.domain.fields."""

from django.conf import settings

from foodcommons.core.fields import csv_values
from foodcommons.places.domain.fields import place_fields
from foodcommons.places.domain.privacy import published_state
from foodcommons.places.models import Place
from foodcommons.places.state import place_state
from foodcommons.territories import selectors as territories


def csv_columns() -> list[str]:
    """Return the header of the CSV table of places."""
    return [column.name for column in place_fields().csv_columns()]


def csv_types() -> dict[str, str]:
    """Return the Table Schema type of each CSV column that is not a string."""
    return {column.name: column.type for column in place_fields().csv_columns() if column.type != "string"}


def attribution_of(place: Place) -> list[str]:
    """Return the attribution texts owed for a place's data."""
    texts = [r.source.attribution for r in getattr(place, "records", []) if r.source.attribution]
    return list(dict.fromkeys(texts)) or [f"{settings.FOODCOMMONS_SITE_NAME} contributors"]


def place_json(place: Place, *, base_url: str, include_private: bool = False, distance: float | None = None) -> dict:
    """Return the API representation of a loaded place: its published state and the computed fields."""
    state = published_state(place_state(place, categories=place.category_slugs, areas_served=place.area_codes), include_private=include_private)
    commune = place.commune_id
    state.update(
        url=f"{base_url}/api/places/{place.public_id}",
        territories=territory_codes(commune),
        attribution=attribution_of(place),
        sources=sources_of(place),
    )
    if distance is not None:
        state["distance_m"] = distance
    return state


def sources_of(place) -> list[dict]:
    """Return the source records of a loaded place as the API lists them."""
    return [
        {"source": r.source.slug, "external_id": r.external_id, "licence": r.source.licence, "attribution": r.source.attribution}
        for r in getattr(place, "records", [])
    ]


def territory_codes(commune: str | None) -> list[str]:
    """Return a commune's code followed by those of the territories it lies in (none without a commune)."""
    return [commune, *territories.ancestors_of(commune)] if commune else []


def geojson_feature(data: dict) -> dict:
    """Return a place representation as an RFC 7946 Feature."""
    properties = {k: v for k, v in data.items() if k not in ("geometry", "id")}
    return {"type": "Feature", "id": data["id"], "geometry": data["geometry"], "properties": properties}


def csv_row(data: dict) -> list:
    """Return a place representation as a row of csv_columns()."""
    return csv_values(place_fields(), data)


def collection_attribution(items: list[dict]) -> list[str]:
    """Return the distinct attribution texts of a list of place representations."""
    return list(dict.fromkeys(a for item in items for a in item["attribution"]))


def collection_licences(items: list[dict]) -> list[str]:
    """Return the distinct licences of a list of place representations, their own and their source records' (the default when none)."""
    # Two flat passes: a tuple per item (its licence and its sources') cost more than the page's encoding.
    found = {item.get("licence") for item in items}
    found.update(s["licence"] for item in items for s in item.get("sources") or ())
    return sorted(licence for licence in found if licence) or [settings.FOODCOMMONS_DEFAULT_LICENCE]


def licence_fields(items: list[dict]) -> dict:
    """Return `licence` (the one licence of every record, None when they differ) and `licences` (all of them) of a list of places."""
    licences = collection_licences(items)
    return {"licence": licences[0] if len(licences) == 1 else None, "licences": licences}
