"""Farmland under threat (pure): the stages of a project with their dates, and the per-commune totals."""

import datetime
import json

STAGES = {
    "project": {"fr": "projet", "nl": "project", "en": "project"},
    "permit_requested": {"fr": "permis demandé", "nl": "vergunning aangevraagd", "en": "permit requested"},
    "public_inquiry": {"fr": "enquête publique", "nl": "openbaar onderzoek", "en": "public inquiry"},
    "granted": {"fr": "permis accordé", "nl": "vergunning verleend", "en": "permit granted"},
    "appeal": {"fr": "recours", "nl": "beroep", "en": "appeal"},
    "abandoned": {"fr": "abandonné", "nl": "opgegeven", "en": "abandoned"},
}
MAX_STAGES = 20


def clean_stages(value) -> list[dict]:
    """Return the stages [{stage, from, to?}] sorted by date, or raise ValueError saying what is expected."""
    if not isinstance(value, list) or not value or len(value) > MAX_STAGES:
        raise ValueError(f"expected a list of 1 to {MAX_STAGES} stages {{stage, from, to}}")
    stages = []
    for item in value:
        if not isinstance(item, dict) or item.get("stage") not in STAGES:
            raise ValueError(f"each stage is one of {', '.join(STAGES)}")
        try:
            start = datetime.date.fromisoformat(str(item.get("from")))
            end = datetime.date.fromisoformat(str(item["to"])) if item.get("to") else None
        except ValueError:
            raise ValueError("each stage has a date from (and optionally to) as YYYY-MM-DD") from None
        if end is not None and end < start:
            raise ValueError("a stage ends on or after the day it starts")
        stages.append({"stage": item["stage"], "from": start.isoformat(), **({"to": end.isoformat()} if end else {})})
    return sorted(stages, key=lambda s: s["from"])


def current_stage(stages) -> dict | None:
    """Return the latest stage of a project (by its start date)."""
    return max(stages or [], key=lambda s: s["from"], default=None)


def stage_label(stage: str, language: str) -> str:
    """Return the words of a stage in `language`."""
    words = STAGES.get(stage, {})
    return words.get(language[:2]) or words.get("fr") or stage


def commune_totals(rows) -> list[dict]:
    """Return {commune, count, surface_ha} per commune of (commune, surface_ha) rows, the largest surface first."""
    totals: dict[str, dict] = {}
    for commune, surface in rows:
        entry = totals.setdefault(commune or "", {"commune": commune or "", "count": 0, "surface_ha": 0.0})
        entry["count"] += 1
        entry["surface_ha"] += float(surface or 0)
    for entry in totals.values():
        entry["surface_ha"] = round(entry["surface_ha"], 2)
    return sorted(totals.values(), key=lambda e: (-e["surface_ha"], e["commune"]))


# A field drawn on the map or typed: its outline, and why an outline is refused (codes the page words in its language).
MIN_SURFACE_HA = 0.01  # 100 m²: smaller is a garden bed or a slip of the finger
MAX_SURFACE_HA = 1000.0  # 10 km²: larger is a whole district, not a field
MAX_CORNERS = 2000


class OutlineError(ValueError):
    """An outline that cannot be a field: `code` says why, `line` which typed line when one is at fault."""

    def __init__(self, code: str, line: int = 0):
        super().__init__(code)
        self.code, self.line = code, line


def _numbers(line: str) -> list[float]:
    # "50.8250, 4.2700", "50.8250 4.2700", "50,8250; 4,2700" (decimal commas when a semicolon separates).
    parts = [p.replace(",", ".") for p in line.split(";")] if ";" in line else line.replace(",", " ").split()
    return [float(p) for p in (part.strip() for part in parts) if p]


def _corner(numbers: list[float], line: int) -> tuple[float, float]:
    if len(numbers) != 2:
        raise OutlineError("unreadable", line)
    first, second = numbers
    # People copy "latitude, longitude" from map sites; a GIS gives "longitude, latitude". In Belgium they cannot be mixed up.
    return (first, second) if first < second else (second, first)


def _from_geojson(text: str) -> list[tuple[float, float]]:
    try:
        data = json.loads(text)
        while data.get("type") in ("FeatureCollection", "Feature"):
            data = data["features"][0] if data["type"] == "FeatureCollection" else data["geometry"]
        if data.get("type") != "Polygon":
            raise OutlineError("not_polygon")
        return [(float(x), float(y)) for x, y, *_ in data["coordinates"][0]]
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as error:
        if isinstance(error, OutlineError):
            raise
        raise OutlineError("unreadable") from None


def parse_outline(text: str) -> list[tuple[float, float]]:
    """Return the corners (longitude, latitude) of an outline typed one corner a line, or pasted as a GeoJSON polygon."""
    text = (text or "").strip()
    if not text:
        raise OutlineError("empty")
    if text.startswith("{"):
        corners = _from_geojson(text)
    else:
        corners = [_corner(_numbers_or_refuse(line, number), number)
                   for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if len(corners) > 1 and corners[0] == corners[-1]:
        corners = corners[:-1]
    if len(corners) < 3:
        raise OutlineError("too_few_corners")
    if len(corners) > MAX_CORNERS:
        raise OutlineError("too_many_corners")
    return corners


def _numbers_or_refuse(line: str, number: int) -> list[float]:
    try:
        return _numbers(line)
    except ValueError:
        raise OutlineError("unreadable", number) from None


def outline_problem(*, simple: bool, surface_ha: float, in_belgium: bool) -> str | None:
    """Return why a parsed outline cannot be a field (a code), or None when it can."""
    if not in_belgium:
        return "outside_belgium"
    if not simple:
        return "self_intersecting"
    if surface_ha < MIN_SURFACE_HA:
        return "too_small"
    if surface_ha > MAX_SURFACE_HA:
        return "too_large"
    return None
