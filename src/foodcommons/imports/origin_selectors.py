"""Reads of the origins of a place's values, for the API's place and the place page."""

from foodcommons.imports.models import FieldClaim, Source
from foodcommons.imports.domain.origins import field_origins
from foodcommons.imports.domain.provenance import current_values
from foodcommons.places.domain.privacy import private_keys
from foodcommons.places.models import Place
from foodcommons.places.services import current_state


def place_origins(*, place: Place, include_private: bool = False) -> dict[str, dict]:
    """Return, for each field of a place that has claims, where its published value comes from and what other sources say."""
    latest: dict[tuple[str, int | None], FieldClaim] = {}
    for claim in FieldClaim.objects.filter(place=place).select_related("source", "record").order_by("observed_at", "id"):
        latest[(claim.field, claim.source_id)] = claim
    if not latest:
        return {}
    state = current_state(place) or {}
    return field_origins(claims=[_as_dict(c) for c in latest.values()], current=current_values(state), licence=place.licence,
                         withheld=private_keys(state.get("contacts")), include_private=include_private)


def _as_dict(claim: FieldClaim) -> dict:
    source: Source | None = claim.source
    return {"field": claim.field, "source": source.slug if source else None, "source_name": source.name if source else None,
            "licence": source.licence if source else "", "attribution": source.attribution if source else "",
            "external_id": claim.record.external_id if claim.record else None, "observed_at": claim.observed_at, "value": claim.value,
            "priority": source.priority if source else 0, "overrides_people": source.overrides_people if source else False}


def place_sources(*, place: Place) -> list[Source]:
    """Return the sources that gave values to a place (each once)."""
    ids = FieldClaim.objects.filter(place=place, source__isnull=False).values_list("source_id", flat=True).distinct()
    return list(Source.objects.filter(pk__in=ids).order_by("name"))
