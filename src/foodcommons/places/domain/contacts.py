"""Validation of a place's list of contacts (each value normalised by core.values.contacts)."""

from foodcommons.core.problems import FieldError
from foodcommons.core.values.contacts import CONTACT_KINDS, normalise_contact

MAX_CONTACTS = 20


def clean_contacts(contacts) -> tuple[list[dict], list[FieldError]]:
    """Validate a list of {kind, value, private} contacts; return the cleaned list and the errors."""
    if contacts is None:
        return [], []
    if not isinstance(contacts, list):
        return [], [FieldError("contacts", "expected a list of {kind, value, private}")]
    if len(contacts) > MAX_CONTACTS:
        return [], [FieldError("contacts", f"at most {MAX_CONTACTS} contacts")]
    cleaned, errors = [], []
    for i, contact in enumerate(contacts):
        where = f"contacts[{i}]"
        if not isinstance(contact, dict):
            errors.append(FieldError(where, "expected an object {kind, value, private}"))
            continue
        kind = contact.get("kind")
        if kind not in CONTACT_KINDS:
            errors.append(FieldError(f"{where}.kind", f"expected one of {', '.join(CONTACT_KINDS)}"))
            continue
        try:
            value = normalise_contact(kind, contact.get("value"))
        except ValueError as error:
            errors.append(FieldError(f"{where}.value", str(error)))
            continue
        private = contact.get("private", False)
        if not isinstance(private, bool):
            errors.append(FieldError(f"{where}.private", "expected true or false"))
            continue
        cleaned.append({"kind": kind, "value": value, "private": private})
    return cleaned, errors



def usable_contacts(values: dict[str, str]) -> list[dict]:
    """Return the normalised contacts among {kind: value}, the first of a ";" list each; unusable ones are dropped."""
    contacts = []
    for kind, value in values.items():
        first = (value or "").split(";")[0].strip()
        if not first:
            continue
        try:
            contacts.append({"kind": kind, "value": normalise_contact(kind, first)})
        except ValueError:
            continue
    return contacts
