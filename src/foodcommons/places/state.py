"""The canonical state of a place: what revisions store, the API returns and patches apply to."""

from foodcommons.core.fields import record_state
from foodcommons.places.domain.fields import place_fields
from foodcommons.places.models import Place


def place_state(place: Place, *, categories: list[str], areas_served: list[str]) -> dict:
    """Return the whole state of a place, private contacts included (places.domain.privacy says what is shown)."""
    return record_state(place_fields(), place, {"categories": categories, "areas_served": areas_served})
