"""Reading the bytes of a source from a file or a URL (through the one safe fetcher, core.outbound)."""

from pathlib import Path

from foodcommons.core import outbound
from foodcommons.core.problems import FieldError, InvalidInput


def is_url(location: str) -> bool:
    """Tell whether a location is an http(s) URL rather than a path."""
    return location.startswith(("http://", "https://"))


def read_location(location: str) -> bytes:
    """Return the content of a file path or an http(s) URL, or raise a problem naming the location."""
    try:
        if is_url(location) or "://" in location:  # other schemes too, so that they are refused by name
            return outbound.fetch(location)  # the limits of the settings (FOODCOMMONS_FETCH_*)
        return Path(location).read_bytes()
    except outbound.FetchRefused as error:
        raise InvalidInput([FieldError("location", f"cannot read '{location}': {error}")]) from error
    except (OSError, ValueError) as error:
        raise InvalidInput([FieldError("location", f"cannot read '{location}': {error}")]) from error
