"""What of a place may be published: the one rule every output goes through. Pure (no I/O).

A contact is withheld when it is marked private in the state being shown, or when the place's current state
marks the same contact (kind and normalised value) private: a choice made today also hides the contact in every
older revision, diff, change of the feed and provenance claim, since a history that keeps showing what a person
has since withdrawn would make "private" meaningless. Writers of the place (staff tokens) see everything.
"""

from collections.abc import Iterable
from functools import lru_cache

from foodcommons.core.values.contacts import normalise_contact

ContactKey = tuple[str, str]


def private_keys(contacts: Iterable[dict] | None) -> frozenset[ContactKey]:
    """Return the (kind, normalised value) of the contacts marked private in a list of contacts."""
    return frozenset(contact_key(c) for c in contacts or () if isinstance(c, dict) and c.get("private"))


def published_state(state: dict, withheld: frozenset[ContactKey] = frozenset(), *, include_private: bool = False) -> dict:
    """Return a place state as it may be shown: THE rule; `include_private` is for the place's writers only."""
    if include_private:
        return dict(state)
    return {**state, "contacts": [{**c, "private": False} for c in _shown(state.get("contacts"), withheld)]}


def published_contacts(contacts: Iterable[dict] | None, withheld: frozenset[ContactKey] = frozenset()) -> list[dict]:
    """Return the contacts of a list that may be published (the rule of published_state)."""
    return published_state({"contacts": list(contacts or ())}, withheld)["contacts"]


def published_claim_value(field: str, value, withheld: frozenset[ContactKey], *, include_private: bool = False):
    """Return a value a source or a person claimed for a field as it may be shown (contacts as the rule says)."""
    if include_private or field != "contacts" or not isinstance(value, list):
        return value
    return list(_shown(value, withheld))


def _shown(contacts, withheld: frozenset[ContactKey]):
    # The one decision: neither private in the state shown nor private now. Without anything withheld (a current
    # state, every list answer) no value needs normalising, which parsing phone numbers would make costly.
    return (c for c in contacts or () if isinstance(c, dict) and not c.get("private") and not (withheld and contact_key(c) in withheld))


def contact_key(contact: dict) -> ContactKey:
    """Return what identifies a contact across revisions and sources: its kind and normalised value."""
    return _key(str(contact.get("kind", "")), str(contact.get("value", "")))


@lru_cache(maxsize=4096)
def _key(kind: str, value: str) -> ContactKey:
    try:
        normalised = normalise_contact(kind, value)
    except ValueError:
        # A value stored before today's rules: compare it without spaces and case, erring towards withholding.
        normalised = "".join(value.split())
    return kind, normalised.casefold().rstrip("/")
