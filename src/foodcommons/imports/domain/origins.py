"""Where each published value of a place comes from (pure): the claim that gave it, and what the other sources say."""

from foodcommons.imports.domain.provenance import Claim, same, winner
from foodcommons.places.domain.privacy import published_claim_value

ORIGIN_KEYS = ("origin", "source", "source_name", "licence", "attribution", "external_id", "observed_at")


def field_origins(*, claims: list[dict], current: dict[str, object], licence: str, withheld: frozenset = frozenset(),
                  include_private: bool = False) -> dict[str, dict]:
    """Return {field: {published: origin, others: [origin with value]}} for each field that has claims.

    `claims` are the latest claim of each source (source None: people) per field, as dicts with field, source, source_name,
    licence, attribution, external_id, observed_at, value, priority, overrides_people.
    Contacts in `withheld` (private now) are shown to writers only (`include_private`).
    """
    by_field: dict[str, list[dict]] = {}
    for claim in claims:
        by_field.setdefault(claim["field"], []).append(claim)
    result = {}
    for name, found in sorted(by_field.items()):
        published = _published(found, current.get(name))
        result[name] = {
            "published": _origin(published, licence) if published else {**dict.fromkeys(ORIGIN_KEYS), "origin": "edit", "licence": licence},
            "others": [
                {**_origin(c, licence), "value": published_claim_value(name, c["value"], withheld, include_private=include_private)}
                for c in found
                if c is not published
            ],
        }
    return result


def _published(claims: list[dict], value) -> dict | None:
    # Several claims may hold the published value: the conflict policy says which one it comes from.
    matching = [c for c in claims if value is not None and same(c["value"], value)]
    if not matching:
        return None
    policy = [Claim(c["source"], c["value"], c["observed_at"], c.get("priority", 0), c.get("overrides_people", False)) for c in matching]
    best = winner(policy)
    return None if best is None else matching[policy.index(best)]


def _origin(claim: dict, licence: str) -> dict:
    people = claim["source"] is None
    return {
        "origin": "edit" if people else "source", "source": claim["source"], "source_name": None if people else claim["source_name"],
        "licence": licence if people else claim["licence"], "attribution": None if people else claim["attribution"],
        "external_id": claim.get("external_id"), "observed_at": claim["observed_at"].isoformat() if claim["observed_at"] else None,
    }
