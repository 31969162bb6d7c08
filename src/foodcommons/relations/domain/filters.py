"""The `relation` filter of place queries: its parse rule (pure). Values are `criterion:code` (the place declared that
value), `intermediaries_max:N` and `producer_share_min:N`; several values all apply."""

from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.relations.domain.grid import BY_KEY

BOUNDS = {"intermediaries_max": (0, 12), "producer_share_min": (0, 100)}
DESCRIPTION = (
    "A declared relation fact, as criterion:value (price_setter:producer, commitment:season_prefinancing, "
    "direct_contact:farm_visits…), intermediaries_max:N or producer_share_min:N; repeatable, all apply"
)


def _one(raw: str) -> tuple[str, object]:
    key, _, code = raw.partition(":")
    if key in BOUNDS:
        low, high = BOUNDS[key]
        if not code.isdigit() or not low <= int(code) <= high:
            raise InvalidInput([FieldError("relation", f"{key} takes a whole number from {low} to {high}")])
        return key, int(code)
    criterion = BY_KEY.get(key)
    if criterion is None or criterion.kind not in ("choice", "choices"):
        known = [c.key for c in BY_KEY.values() if c.kind in ("choice", "choices")] + list(BOUNDS)
        raise InvalidInput([FieldError("relation", f"unknown criterion '{key}' (known: {', '.join(known)})")])
    if criterion.value(code) is None:
        codes = ", ".join(v.code for v in criterion.values)
        raise InvalidInput([FieldError("relation", f"{key} takes one of {codes}")])
    return key, code


def parse_relation(values: list[str]) -> tuple[tuple[str, object], ...] | None:
    """Parse the values of `relation` into (criterion, code or bound) pairs, or None when all are empty."""
    pairs = tuple(_one(v.strip()) for v in values if v.strip())
    return pairs or None
