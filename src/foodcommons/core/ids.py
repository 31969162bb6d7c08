"""Public identifiers: short, URL-safe, random, never reused."""

import secrets

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32: no i, l, o, u to misread


def new_public_id(length: int = 12) -> str:
    """Return a fresh random identifier (60 bits for the default length)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def is_public_id(value: str) -> bool:
    """Tell whether `value` has the shape of a public identifier."""
    return 4 <= len(value) <= 32 and all(c in _ALPHABET for c in value)


MAX_VERSION = 2_147_483_647  # versions are 32-bit integer columns on every database
