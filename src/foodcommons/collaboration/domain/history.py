"""What the comments the platform writes on revisions mean, so that history can say them in the reader's language (pure)."""

import math
import re
from dataclasses import dataclass, field

# The comments services write (in English, stored with the revision); a person's own words may come before " — ".
PATTERNS = {
    "import": re.compile(r"^Import run (?P<run>\d+) of (?P<source>.+?)(?: \(merged: (?P<reasons>.*)\))?$"),
    "import_revert": re.compile(r"^Revert of import run (?P<run>\d+) of (?P<source>.+)$"),
    "accepted": re.compile(r"^accepted by (?P<moderator>.+)$"),
    "closed_after_report": re.compile(r"^closed after a report, by (?P<moderator>.+)$"),
    "merged_with": re.compile(r"^Merged with (?P<place>\S+)$"),
    "merged_into": re.compile(r"^Merged into (?P<place>\S+)$"),
    "before_merge": re.compile(r"^Values before merging (?P<place>\S+)$"),
}


@dataclass(frozen=True)
class ReadComment:
    """A revision comment split into what the platform noted (kind and values) and what a person wrote."""

    kind: str = ""
    values: dict = field(default_factory=dict)
    words: str = ""


def read_comment(comment: str) -> ReadComment:
    """Return what a revision's comment says: the platform's note, if any, and the person's own words."""
    parts = [p.strip() for p in (comment or "").split(" — ")]
    for index in (len(parts) - 1, 0):
        for kind, pattern in PATTERNS.items():
            found = pattern.match(parts[index]) if parts and parts[index] else None
            if found:
                rest = parts[:index] + parts[index + 1:]
                return ReadComment(kind, {k: v for k, v in found.groupdict().items() if v is not None}, " — ".join(p for p in rest if p))
    return ReadComment(words=(comment or "").strip())


def point_of(geometry) -> tuple[float, float] | None:
    """Return (lon, lat) of a GeoJSON Point, or None."""
    if isinstance(geometry, dict) and geometry.get("type") == "Point":
        coordinates = geometry.get("coordinates") or []
        if len(coordinates) >= 2:
            return float(coordinates[0]), float(coordinates[1])
    return None


def metres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the distance in metres between two (lon, lat) points (equirectangular: exact enough within a city)."""
    squeeze = math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot((a[0] - b[0]) * squeeze, a[1] - b[1]) * 111_320
