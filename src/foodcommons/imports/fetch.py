"""The one reader of a source's bytes from a URL (through the safe fetcher, core.outbound), or from a path for the command line."""

from pathlib import Path

from foodcommons.core import outbound
from foodcommons.core.problems import FieldError, InvalidInput


def is_url(location: str) -> bool:
    """Tell whether a location is an http(s) URL rather than a path."""
    return location.startswith(("http://", "https://"))


def fetch_url(url: str, *, field: str = "url", limits: outbound.Limits | None = None) -> bytes:
    """Return the content of a URL on a public address (the settings' limits unless given), or raise a problem naming it."""
    try:
        return outbound.fetch(url, limits=limits)
    except outbound.FetchRefused as error:
        raise InvalidInput([FieldError(field, f"cannot read '{url}': {error}")]) from error


def read_location(location: str) -> bytes:
    """Return the content of a file path or an http(s) URL (command line, scheduled imports), or raise a problem naming it."""
    if is_url(location) or "://" in location:  # other schemes too, so that they are refused by name
        return fetch_url(location, field="location")
    try:
        return Path(location).read_bytes()
    except (OSError, ValueError) as error:
        raise InvalidInput([FieldError("location", f"cannot read '{location}': {error}")]) from error
