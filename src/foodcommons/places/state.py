"""The canonical state of a place: what revisions store, the API returns and patches apply to."""

from foodcommons.places.models import Place


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def place_state(place: Place, *, categories: list[str], areas_served: list[str]) -> dict:
    """Return the whole state of a place, private contacts included (places.domain.privacy says what is shown)."""
    address = {
        "street": place.street,
        "house_number": place.house_number,
        "postcode": place.postcode,
        "locality": place.locality,
        "commune": place.commune_id or "",
    }
    return {
        "id": place.public_id,
        "version": place.version,
        "name": {k: v for k in ("fr", "nl", "en") if (v := getattr(place, f"name_{k}"))},
        "description": {k: v for k in ("fr", "nl", "en") if (v := getattr(place, f"description_{k}"))},
        "categories": categories,
        "geometry": place.geometry(),
        "areas_served": areas_served,
        "address": {k: v for k, v in address.items() if v},
        "contacts": place.contacts or [],
        "opening_hours": place.opening_hours,
        "status": place.status,
        "attributes": place.attributes or {},
        "licence": place.licence,
        "created_at": _iso(place.created_at),
        "updated_at": _iso(place.updated_at),
        "last_confirmed": _iso(place.last_confirmed),
        "deleted": place.deleted_at is not None,
    }
