"""The conflict policy of field-level provenance (pure): which claim of a field is published."""

from dataclasses import dataclass
from datetime import datetime

from foodcommons.places.domain.validation import CleanPlace

LANGUAGES = ("fr", "nl", "en")
TRACKED_FIELDS = (
    *(f"name.{lang}" for lang in LANGUAGES), *(f"description.{lang}" for lang in LANGUAGES),
    "categories", "geometry", "address", "contacts", "opening_hours",
)


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
    values: dict[str, object] = {}
    for lang in LANGUAGES:
        values[f"name.{lang}"] = clean.names.get(lang, "")
        values[f"description.{lang}"] = clean.descriptions.get(lang, "")
    values.update(
        categories=list(clean.categories), geometry=clean.geometry.geojson if clean.geometry else None,
        address={k: v for k, v in clean.address.items() if k != "commune"},
        contacts=[{"kind": c["kind"], "value": c["value"]} for c in clean.contacts], opening_hours=clean.opening_hours,
    )
    return {k: v for k, v in values.items() if v}


def current_values(state: dict) -> dict[str, object]:
    """Return {tracked field: value} of a place state, in the same shape as claimed_values."""
    values: dict[str, object] = {}
    for lang in LANGUAGES:
        values[f"name.{lang}"] = state.get("name", {}).get(lang, "")
        values[f"description.{lang}"] = state.get("description", {}).get(lang, "")
    values.update(
        categories=list(state.get("categories", [])), geometry=state.get("geometry"),
        address={k: v for k, v in state.get("address", {}).items() if k != "commune"},
        contacts=[{"kind": c["kind"], "value": c["value"]} for c in state.get("contacts", [])],
        opening_hours=state.get("opening_hours", ""),
    )
    return {k: v for k, v in values.items() if v}


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
    if field.startswith(("name.", "description.")):
        top, lang = field.split(".")
        return {top: {lang: value}}
    if field == "address":
        old = current.get("address", {})
        return {"address": {**{k: None for k in old if k != "commune"}, **(value or {})}}
    empty = {"categories": [], "contacts": [], "opening_hours": ""}.get(field)
    return {field: value if value is not None else empty}
