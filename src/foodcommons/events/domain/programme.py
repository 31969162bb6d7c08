"""The programme of an event written as lines "HH:MM-HH:MM Title" (end optional), read and written back. Pure."""

import re
from datetime import date, datetime, time, tzinfo

from foodcommons.core.problems import FieldError

_LINE = re.compile(r"^\s*(\d{1,2})[:h.](\d{2})\s*(?:[-–]\s*(\d{1,2})[:h.](\d{2}))?\s+(.+?)\s*$")


def parse_programme(text: str, *, day: date, zone: tzinfo) -> tuple[list[dict], list[FieldError]]:
    """Return the sessions of a programme (one a line, on `day` in `zone`) and the lines that could not be read."""
    sessions, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        found = _LINE.match(line)
        if not found or int(found[1]) > 23 or int(found[2]) > 59 or (found[3] and (int(found[3]) > 23 or int(found[4]) > 59)):
            errors.append(FieldError("programme", f"line {number}: write 'HH:MM-HH:MM title'"))
            continue
        starts = datetime.combine(day, time(int(found[1]), int(found[2])), zone)
        ends = datetime.combine(day, time(int(found[3]), int(found[4])), zone) if found[3] else None
        sessions.append({"starts_at": starts, "ends_at": ends, "title": found[5]})
    return sessions, errors


def programme_text(sessions: list[tuple[datetime, datetime | None, str]], zone: tzinfo) -> str:
    """Write sessions back as the lines the form edits."""
    lines = []
    for starts, ends, title in sessions:
        span = f"{starts.astimezone(zone):%H:%M}" + (f"-{ends.astimezone(zone):%H:%M}" if ends else "")
        lines.append(f"{span} {title}")
    return "\n".join(lines)
