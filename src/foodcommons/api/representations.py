"""Shaping places for the API: JSON, GeoJSON features and CSV rows."""

from django.conf import settings

from foodcommons.places.models import Place
from foodcommons.places.domain.privacy import published_state
from foodcommons.places.state import place_state
from foodcommons.territories import selectors as territories

CSV_COLUMNS = [
    "id", "version", "name_fr", "name_nl", "name_en", "categories", "lon", "lat", "geometry_type",
    "street", "house_number", "postcode", "locality", "commune", "status", "opening_hours",
    "website", "email", "phone", "licence", "attribution", "updated_at", "last_confirmed",
]


def attribution_of(place: Place) -> list[str]:
    """Return the attribution texts owed for a place's data."""
    texts = [r.source.attribution for r in getattr(place, "records", []) if r.source.attribution]
    return list(dict.fromkeys(texts)) or [f"{settings.FOODCOMMONS_SITE_NAME} contributors"]


def place_json(place: Place, *, base_url: str, include_private: bool = False, distance: float | None = None) -> dict:
    """Return the API representation of a loaded place."""
    state = published_state(place_state(place, categories=place.category_slugs, areas_served=place.area_codes), include_private=include_private)
    commune = place.commune_id
    state.update(
        url=f"{base_url}/api/places/{place.public_id}",
        territories=territory_codes(commune),
        attribution=attribution_of(place),
        sources=[
            {
                "source": r.source.slug,
                "external_id": r.external_id,
                "licence": r.source.licence,
                "attribution": r.source.attribution,
            }
            for r in getattr(place, "records", [])
        ],
    )
    if distance is not None:
        state["distance_m"] = distance
    return state


def territory_codes(commune: str | None) -> list[str]:
    """Return a commune's code followed by those of the territories it lies in (none without a commune)."""
    return [commune, *territories.ancestors_of(commune)] if commune else []


def geojson_feature(data: dict) -> dict:
    """Return a place representation as an RFC 7946 Feature."""
    properties = {k: v for k, v in data.items() if k not in ("geometry", "id")}
    return {"type": "Feature", "id": data["id"], "geometry": data["geometry"], "properties": properties}


def csv_row(data: dict) -> list:
    """Return a place representation as a row of CSV_COLUMNS."""
    geometry = data["geometry"] or {}
    lon = lat = ""
    if geometry.get("type") == "Point":
        lon, lat = geometry["coordinates"][:2]

    def contact(kind: str) -> str:
        return " ".join(c["value"] for c in data["contacts"] if c["kind"] == kind)

    address = data["address"]
    return [
        data["id"], data["version"], data["name"].get("fr", ""), data["name"].get("nl", ""), data["name"].get("en", ""),
        "|".join(data["categories"]), lon, lat, geometry.get("type", ""),
        address.get("street", ""), address.get("house_number", ""), address.get("postcode", ""),
        address.get("locality", ""), address.get("commune", ""), data["status"], data["opening_hours"],
        contact("website"), contact("email"), contact("phone"), data["licence"], " ; ".join(data["attribution"]),
        data["updated_at"], data["last_confirmed"] or "",
    ]


def collection_attribution(items: list[dict]) -> list[str]:
    """Return the distinct attribution texts of a list of place representations."""
    return list(dict.fromkeys(a for item in items for a in item["attribution"]))
