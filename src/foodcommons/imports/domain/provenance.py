"""The conflict policy of field-level provenance (pure): which claim of a field is published."""

from dataclasses import dataclass
from datetime import datetime

from foodcommons.core.fields import claim_field, claims_of
from foodcommons.places.domain.fields import place_fields
from foodcommons.places.domain.validation import CleanPlace


def tracked_fields() -> list[str]:
    """Return the claim keys provenance tracks ("name.fr", …, "opening_hours"), as places.domain.fields declares them."""
    return [key for f in place_fields() if f.claims is not None for key in f.claims(None)]


@dataclass(frozen=True)
class Claim:
    """A value of a field as one source (None: people) gave it, with what the policy weighs."""

    source: str | None
    value: object
    observed_at: datetime
    priority: int = 0
    overrides_people: bool = False


def claimed_values(clean: CleanPlace) -> dict[str, object]:
    """Return {tracked field: value} of the non-empty fields of a clean input."""
    fields = place_fields()
    # Only the tracked fields are put in the state's shape (what CleanPlace.state_values does for all): this runs per record.
    return claims_of(fields, {f.name: f.as_state(clean.values[f.name]) for f in fields if f.claims is not None and f.writable})


def current_values(state: dict) -> dict[str, object]:
    """Return {tracked field: value} of a place state, in the same shape as claimed_values."""
    return claims_of(place_fields(), state)


def same(a, b) -> bool:
    """Tell whether two field values are equal (contacts and categories in any order)."""
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(repr, a)) == sorted(map(repr, b))
    return a == b


def winner(claims: list[Claim]) -> Claim | None:
    """Return the published claim: people beat imports (unless a source overrides people), then priority, then recency."""
    if not claims:
        return None
    return max(claims, key=lambda c: (c.source is None and not _overridden(c, claims), c.overrides_people, c.priority, c.observed_at))


def _overridden(people: Claim, claims: list[Claim]) -> bool:
    return any(c.overrides_people and c.observed_at >= people.observed_at for c in claims if c.source is not None)


def patch_for(field: str, value, current: dict) -> dict:
    """Return the JSON merge patch that makes `field` hold `value` (None clears it)."""
    return claim_field(place_fields(), field).claim_patch(field, value, current)
