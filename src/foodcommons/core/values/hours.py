"""Opening hours in the OpenStreetMap `opening_hours` syntax (pure, no I/O)."""

import datetime

from opening_hours import OpeningHours, ParserError  # type: ignore[attr-defined]  # raised by the package, missing from its stub


def opening_hours_error(value: str) -> str | None:
    """Return why `value` is not a valid opening_hours expression, or None when it is."""
    if not value or not value.strip():
        return "empty opening hours"
    if len(value) > 1000:
        return "longer than 1000 characters"
    try:
        OpeningHours(value.strip())
    except (ParserError, SyntaxError, ValueError) as error:
        first_line = str(error).strip().splitlines()
        hint = first_line[-1].strip(" =") if first_line else ""
        return f"not valid OSM opening_hours syntax ({hint})" if hint else "not valid OSM opening_hours syntax"
    return None


def is_open_at(value: str, moment: datetime.datetime) -> bool | None:
    """Tell whether a place with these hours is open at `moment` (None when unknown)."""
    try:
        hours = OpeningHours(value, timezone=None)
    except (ParserError, SyntaxError, ValueError):
        return None
    if hours.is_unknown(moment.replace(tzinfo=None)):
        return None
    return hours.is_open(moment.replace(tzinfo=None))
