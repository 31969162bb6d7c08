"""Reading the bytes of a source from a file or a URL."""

import urllib.error
import urllib.request
from pathlib import Path

from foodcommons.core.problems import FieldError, InvalidInput

MAX_BYTES = 512 * 1024 * 1024
TIMEOUT_SECONDS = 60


def is_url(location: str) -> bool:
    """Tell whether a location is an http(s) URL rather than a path."""
    return location.startswith(("http://", "https://"))


def read_location(location: str) -> bytes:
    """Return the content of a file path or an http(s) URL, or raise a problem naming the location."""
    try:
        if is_url(location):
            request = urllib.request.Request(location, headers={"User-Agent": "foodcommons-import"})
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (http(s) only, checked above)
                return response.read(MAX_BYTES + 1)[:MAX_BYTES]
        return Path(location).read_bytes()
    except (OSError, urllib.error.URLError, ValueError) as error:
        raise InvalidInput([FieldError("location", f"cannot read '{location}': {error}")]) from error
