"""Publishing a place's claims: the conflict policy decides each field's value; people's edits become claims."""

from collections.abc import Callable

from foodcommons.imports.domain.provenance import Claim, current_values, patch_for, same, winner
from foodcommons.imports.models import FieldClaim
from foodcommons.imports.selectors import claims_of, claims_of_places, current_states
from foodcommons.places import services as places
from foodcommons.places.models import Place

# Records a loop of the run goes through between two freezes of what it made (the importer's only_new_objects_collected):
# a freeze costs next to nothing, a collection of the oldest generation scans all the objects made since the last one.
SETTLED_EVERY = 1000


def publish(*, place: Place, comment: str, author=None) -> bool:
    """Apply the conflict policy to a place's claims; record people's edits as claims; return whether it changed."""
    claims, ever = claims_of(place)
    patch, people = _plan(place, places.current_state(place), claims, ever)
    FieldClaim.objects.bulk_create(people)
    if not patch:
        return False
    places.update_place(public_id=place.public_id, patch=patch, base_version=place.version, author=author, comment=comment)
    place.refresh_from_db()
    return True


def publish_many(*, targets: list[tuple[Place, str]], author=None, settled: Callable[[], None] = lambda: None) -> set[int]:
    """Apply the conflict policy to many places at once (each once, with its comment); return the ids of those that changed.

    Their states and claims are read in two queries and people's claims written in one; only a place whose published
    value changes is written, through update_place (its revision, index rows and signals are those of any write).
    `settled` is called after the reads and every SETTLED_EVERY writes (the importer's only_new_objects_collected).
    """
    unique = list({place.pk: (place, comment) for place, comment in reversed(targets)}.values())
    ids = [place.pk for place, _ in unique]
    states, grouped = current_states(ids), claims_of_places(ids)
    settled()
    people, plans = [], []
    for place, comment in unique:
        patch, found = _plan(place, states.get(place.pk), *grouped.get(place.pk, ({}, {})))
        people += found
        if patch:
            plans.append((place, comment, patch))
    FieldClaim.objects.bulk_create(people, batch_size=2000)
    for done, (place, comment, patch) in enumerate(plans, start=1):
        if done % SETTLED_EVERY == 0:
            settled()
        places.update_place(public_id=place.public_id, patch=patch, base_version=place.version, author=author, comment=comment)
    return {place.pk for place, _, _ in plans}


def _plan(place: Place, state: dict | None, claims: dict[str, list[Claim]], ever: dict[str, list]) -> tuple[dict, list[FieldClaim]]:
    """Return the patch the conflict policy makes to a place, and the claims of people its current values reveal."""
    current = current_values(state or {})
    patch: dict = {}
    people = []
    for name in set(claims) | set(current):
        field_claims = claims.get(name, [])
        value = current.get(name)
        if value is not None and not any(same(old, value) for old in ever.get(name, [])):
            # No source ever gave this value: a person wrote it.
            people.append(FieldClaim(place=place, field=name, value=value, observed_at=place.updated_at))
            field_claims = [*field_claims, Claim(None, value, place.updated_at)]
        best = winner(field_claims)
        if best is not None and not same(best.value, value):
            _deep_merge(patch, patch_for(name, best.value, state or {}))
    return patch, people


def _deep_merge(into: dict, extra: dict) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            into[key].update(value)
        else:
            into[key] = value
