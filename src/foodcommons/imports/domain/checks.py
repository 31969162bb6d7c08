"""What an import did to each row's values, so that its report hides nothing (pure): values dropped or changed, and
locations to check (outside Belgium, latitude and longitude swapped, none at all, one point shared by many records).

Each finding is a `Notice` with a code (stored in the run, shown in the page's language by the report); the value is the
one the source gave, so that the network can find and fix it in its own list.
"""

from dataclasses import dataclass

# Belgium's extent (west, south, east, north) in degrees, with a margin of about a kilometre: a point outside is almost
# certainly a mistake of the list (or a place abroad the commons does not cover), worth a line in the report.
BELGIUM = (2.53, 49.49, 6.42, 51.51)

# Codes, and whether the value was dropped (not imported), changed, or kept but worth a look.
DROPPED, CHANGED, CHECK = "dropped", "changed", "check"
OUTCOMES = {
    "invalid_email": DROPPED, "invalid_phone": DROPPED, "invalid_website": DROPPED, "invalid_hours": DROPPED,
    "invalid_postcode": DROPPED, "unreadable_coordinates": DROPPED, "more_contacts": CHANGED, "long_description": CHANGED,
    "swapped_coordinates": CHANGED, "outside_belgium": CHECK, "no_location": CHECK, "shared_point": CHECK, "no_category": DROPPED,
}
CONTACT_CODES = {"email": "invalid_email", "phone": "invalid_phone", "website": "invalid_website"}


@dataclass(frozen=True)
class Notice:
    """One thing the import did to one value of a row: the field, the value as read, why, and what it became."""

    field: str
    value: str
    code: str
    fix: str = ""

    def as_dict(self, row: int) -> dict:
        """Return the notice as stored in a run (with its row)."""
        value = self.value.replace("\x00", "")[:300]  # no NUL: PostgreSQL's jsonb refuses it
        return {"row": row, "field": self.field, "value": value, "code": self.code, "outcome": OUTCOMES[self.code], "fix": self.fix}


def in_belgium(lon: float, lat: float) -> bool:
    """Tell whether a point lies within Belgium's extent."""
    west, south, east, north = BELGIUM
    return west <= lon <= east and south <= lat <= north


def _pair(lon: float, lat: float) -> str:
    return f"{lat:.5f}, {lon:.5f}"  # as people write them: latitude first


def checked_location(lon: float | None, lat: float | None, *, read: str = "") -> tuple[float | None, float | None, list[Notice]]:
    """Return the point to import (swapped back when the source inverted latitude and longitude) and what to say of it.

    `read` is the coordinates as the source wrote them, when there were some: a point that cannot be read is reported.
    """
    if lon is None or lat is None:
        if read.strip():
            return None, None, [Notice("location", read, "unreadable_coordinates")]
        return None, None, [Notice("location", "", "no_location")]
    if in_belgium(lon, lat):
        return lon, lat, []
    if in_belgium(lat, lon):
        return lat, lon, [Notice("location", _pair(lon, lat), "swapped_coordinates", fix=_pair(lat, lon))]
    return lon, lat, [Notice("location", _pair(lon, lat), "outside_belgium")]


def dropped_values(*, read: dict[str, str], kept: dict, max_description: int) -> list[Notice]:
    """Return the values of a row that its place input (`kept`, what the import makes of it) lost or shortened.

    `read` holds the row's email, phone, website, opening_hours, postcode and description as the source gave them.
    """
    notices = []
    kinds = {c["kind"] for c in kept.get("contacts") or ()}
    for kind, code in CONTACT_CODES.items():
        given = (read.get(kind) or "").strip()
        first, _, more = given.partition(";")
        if first.strip() and kind not in kinds:
            notices.append(Notice(kind, given, code))
        elif more.strip():
            notices.append(Notice(kind, given, "more_contacts", fix=first.strip()))
    if (read.get("opening_hours") or "").strip() and not kept.get("opening_hours"):
        notices.append(Notice("opening_hours", read["opening_hours"], "invalid_hours"))
    if (read.get("postcode") or "").strip() and not (kept.get("address") or {}).get("postcode"):
        notices.append(Notice("postcode", read["postcode"], "invalid_postcode"))
    if len(read.get("description") or "") > max_description:
        notices.append(Notice("description", read["description"][:80] + "…", "long_description", fix=str(max_description)))
    return notices
