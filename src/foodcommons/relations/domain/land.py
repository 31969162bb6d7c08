"""Farmland under threat (pure): the stages of a project with their dates, and the per-commune totals."""

import datetime

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
