"""Field-by-field differences between two states of a place (pure)."""

from dataclasses import dataclass

# Bookkeeping fields that change with every revision and say nothing about the place.
IGNORED = frozenset({"version", "updated_at", "created_at", "last_confirmed", "id"})


@dataclass(frozen=True)
class Change:
    """One field that differs: its dotted path, the value before and after."""

    field: str
    before: object
    after: object

    def as_dict(self) -> dict:
        return {"field": self.field, "before": self.before, "after": self.after}


def _flatten(value, prefix: str = "") -> dict:
    # An attribute's value is one field even when it is an object (a relation fact, dated closures): shown whole.
    if isinstance(value, dict) and value and prefix.split(".")[0] != "geometry" and not prefix.startswith("attributes."):
        flat = {}
        for key, inner in value.items():
            flat.update(_flatten(inner, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix: value}


def diff_states(before: dict | None, after: dict | None) -> list[Change]:
    """Return the changes from `before` to `after`, nested objects flattened to dotted fields."""
    old = {k: v for k, v in _flatten(before or {}).items() if k.split(".")[0] not in IGNORED}
    new = {k: v for k, v in _flatten(after or {}).items() if k.split(".")[0] not in IGNORED}
    fields = sorted(set(old) | set(new))
    return [Change(f, old.get(f), new.get(f)) for f in fields if old.get(f) != new.get(f) and f]
