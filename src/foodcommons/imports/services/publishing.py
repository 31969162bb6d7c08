"""Publishing a place's claims: the conflict policy decides each field's value; people's edits become claims."""

from foodcommons.imports.domain.provenance import Claim, current_values, patch_for, same, winner
from foodcommons.imports.models import FieldClaim
from foodcommons.imports.selectors import claims_of
from foodcommons.places import services as places
from foodcommons.places.models import Place


def publish(*, place: Place, comment: str, author=None) -> bool:
    """Apply the conflict policy to a place's claims; record people's edits as claims; return whether it changed."""
    state = places.current_state(place)
    current = current_values(state)
    claims, ever = claims_of(place)
    patch: dict = {}
    for name in set(claims) | set(current):
        field_claims = claims.get(name, [])
        value = current.get(name)
        if value is not None and not any(same(old, value) for old in ever.get(name, [])):
            # No source ever gave this value: a person wrote it.
            FieldClaim.objects.create(place=place, field=name, value=value, observed_at=place.updated_at)
            field_claims.append(Claim(None, value, place.updated_at))
        best = winner(field_claims)
        if best is not None and not same(best.value, value):
            _deep_merge(patch, patch_for(name, best.value, state))
    if not patch:
        return False
    places.update_place(public_id=place.public_id, patch=patch, base_version=place.version, author=author, comment=comment)
    place.refresh_from_db()
    return True


def _deep_merge(into: dict, extra: dict) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            into[key].update(value)
        else:
            into[key] = value
