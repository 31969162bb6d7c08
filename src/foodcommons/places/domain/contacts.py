"""Validation and normalisation of contacts: websites, e-mail addresses and phone numbers."""

from urllib.parse import urlsplit, urlunsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from foodcommons.core.problems import FieldError

CONTACT_KINDS = ("website", "email", "phone")
MAX_CONTACTS = 20


def normalise_website(value) -> str:
    """Return an absolute http(s) URL with a lower-case host, or raise ValueError."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected a web address")
    text = value.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme.lower() not in {"http", "https"}:
        raise ValueError("only http and https addresses are accepted")
    host = (parts.hostname or "").lower()
    if "." not in host or any(c.isspace() for c in text) or len(text) > 500:
        raise ValueError("not a valid web address")
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, parts.fragment))


def normalise_email(value) -> str:
    """Return a normalised e-mail address, or raise ValueError."""
    if not isinstance(value, str):
        raise ValueError("expected an e-mail address")
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValueError(str(error))


def normalise_phone(value, region: str = "BE") -> str:
    """Return a phone number in E.164 form (Belgian numbers may omit +32), or raise ValueError."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected a phone number")
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise ValueError("not a phone number")
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_NORMALISERS = {"website": normalise_website, "email": normalise_email, "phone": normalise_phone}


def normalise_contact(kind: str, value) -> str:
    """Return a contact value in its normalised form for its kind, or raise ValueError (unknown kind included)."""
    if kind not in _NORMALISERS:
        raise ValueError(f"unknown contact kind '{kind}'")
    return _NORMALISERS[kind](value)


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
