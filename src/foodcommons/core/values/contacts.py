"""Normalisation of contact values: websites, e-mail addresses and phone numbers (pure, no I/O)."""

from urllib.parse import urlsplit, urlunsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email

CONTACT_KINDS = ("website", "email", "phone")


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
        raise ValueError(str(error)) from error


def normalise_phone(value, region: str = "BE") -> str:
    """Return a phone number in E.164 form (Belgian numbers may omit +32), or raise ValueError."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected a phone number")
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise ValueError("not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_NORMALISERS = {"website": normalise_website, "email": normalise_email, "phone": normalise_phone}


def normalise_contact(kind: str, value) -> str:
    """Return a contact value in its normalised form for its kind, or raise ValueError (unknown kind included)."""
    if kind not in _NORMALISERS:
        raise ValueError(f"unknown contact kind '{kind}'")
    return _NORMALISERS[kind](value)


def display_phone(value: str, region: str = "BE") -> str:
    """Return a phone number as people write it: national form for numbers of `region`, international form otherwise."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_valid_number(number):
        return value
    national = phonenumbers.region_code_for_number(number) == region
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL if national else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
