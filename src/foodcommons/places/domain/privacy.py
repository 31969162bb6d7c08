"""What of a place may be published: the one rule every output goes through. Pure (no I/O).

A contact is withheld when it is marked private in the state being shown, or when the place's current state
marks the same contact (kind and value) private: a choice made today also hides the contact in every older
revision, diff, change of the feed and provenance claim, since a history that keeps showing what a person
has since withdrawn would make "private" meaningless.
"""

from collections.abc import Iterable

ContactKey = tuple[str, str]


def private_keys(contacts: Iterable[dict] | None) -> frozenset[ContactKey]:
    """Return the (kind, value) of the contacts marked private in a list of contacts."""
    return frozenset(_key(c) for c in contacts or () if isinstance(c, dict) and c.get("private"))


def withheld_by(current_state: dict | None) -> frozenset[ContactKey]:
    """Return what a place's current state withholds from every state of its history."""
    return private_keys((current_state or {}).get("contacts"))


def published_contacts(contacts: Iterable[dict] | None, withheld: frozenset[ContactKey] = frozenset()) -> list[dict]:
    """Return the contacts that may be published (marked public here and not withheld now), flagged public."""
    return [
        {"kind": c["kind"], "value": c["value"], "private": False}
        for c in contacts or ()
        if isinstance(c, dict) and not c.get("private") and _key(c) not in withheld
    ]


def published_state(state: dict, withheld: frozenset[ContactKey] = frozenset(), *, include_private: bool = False) -> dict:
    """Return a place state as it may be shown; `include_private` is for the place's writers only."""
    if include_private:
        return state
    return {**state, "contacts": published_contacts(state.get("contacts"), withheld)}


def published_claim_value(field: str, value, withheld: frozenset[ContactKey]):
    """Return a claimed field value as it may be shown: contacts a source gave are withheld like the place's own."""
    if field != "contacts" or not isinstance(value, list):
        return value
    return [c for c in value if isinstance(c, dict) and not c.get("private") and _key(c) not in withheld]


def _key(contact: dict) -> ContactKey:
    return (str(contact.get("kind", "")), str(contact.get("value", "")))
