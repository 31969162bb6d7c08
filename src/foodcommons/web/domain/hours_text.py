"""Opening hours in the OSM syntax written out for people, in French, Dutch or English (pure, no I/O)."""

import datetime
import re
from dataclasses import dataclass

from opening_hours import OpeningHours, ParserError  # type: ignore[attr-defined]  # raised by the package, missing from its stub

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
DAY_NAMES = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
WORDS = {
    "fr": {
        "to": "au",
        "and": "et",
        "closed": "fermé",
        "always": "ouvert 24 h sur 24, 7 jours sur 7",
        "every_day": "tous les jours",
        "holidays": "jours fériés",
        "time": "{h} h {m}",
        "span": "de {a} à {b}",
    },
    "nl": {
        "to": "tot",
        "and": "en",
        "closed": "gesloten",
        "always": "dag en nacht open, 7 dagen op 7",
        "every_day": "elke dag",
        "holidays": "feestdagen",
        "time": "{h}.{m} u",
        "span": "van {a} tot {b}",
    },
    "en": {
        "to": "to",
        "and": "and",
        "closed": "closed",
        "always": "open 24/7",
        "every_day": "every day",
        "holidays": "public holidays",
        "time": "{h}:{m}",
        "span": "{a} to {b}",
    },
}
RULE = re.compile(r"^(?P<days>(?:(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?,?)+)?\s*(?P<times>.*)$")
SPAN = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def _words(language: str) -> dict:
    return WORDS.get(language[:2], WORDS["fr"])


def _days(text: str | None, language: str) -> str:
    words, names = _words(language), DAY_NAMES.get(language[:2], DAY_NAMES["fr"])
    if not text:
        return words["every_day"]
    parts = []
    for item in filter(None, text.split(",")):
        if item == "PH":
            parts.append(words["holidays"])
        elif "-" in item:
            first, last = item.split("-")
            parts.append(f"{names[DAYS.index(first)]} {words['to']} {names[DAYS.index(last)]}")
        else:
            parts.append(names[DAYS.index(item)])
    return _join(parts, words)


def _join(parts: list[str], words: dict) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" {words['and']} " + parts[-1]


def _time(hours: str, minutes: str, words: dict) -> str:
    return words["time"].format(h=int(hours), m=minutes)


def _times(text: str, language: str) -> str | None:
    words = _words(language)
    if text in ("off", "closed"):
        return words["closed"]
    spans = []
    for item in text.split(","):
        match = SPAN.match(item.strip())
        if not match:
            return None
        h1, m1, h2, m2 = match.groups()
        spans.append(words["span"].format(a=_time(h1, m1, words), b=_time(h2, m2, words)))
    return _join(spans, words)


def describe_hours(value: str, language: str) -> list[str] | None:
    """Return one sentence per rule of `value`, or None when the expression is beyond this writer."""
    value = (value or "").strip()
    if not value:
        return None
    if value == "24/7":
        return [_words(language)["always"]]
    lines = []
    for rule in filter(None, (r.strip() for r in value.split(";"))):
        match = RULE.match(rule)
        if match is None or not match["times"].strip():
            return None
        times = _times(match["times"].strip(), language)
        if times is None:
            return None
        days = _days(match["days"].rstrip(",") if match["days"] else None, language)
        lines.append(f"{days[:1].upper()}{days[1:]} : {times}" if language[:2] == "fr" else f"{days[:1].upper()}{days[1:]}: {times}")
    return lines


def spoken_time(moment: datetime.datetime, language: str) -> str:
    """Return the time of day of `moment` as the page's language writes it (18 h 00, 18.00 u, 18:00)."""
    return _time(str(moment.hour), f"{moment.minute:02d}", _words(language))


@dataclass(frozen=True)
class HoursNow:
    """Whether a place is open at a moment, and when that next changes (None: not within a week)."""

    is_open: bool
    next_change: datetime.datetime | None


def hours_now(value: str, moment: datetime.datetime) -> HoursNow | None:
    """Return whether hours written `value` are open at the naive local `moment`, and the next change; None when unknown."""
    try:
        hours = OpeningHours(value, timezone=None)
    except (ParserError, SyntaxError, ValueError):
        return None
    if not value or hours.is_unknown(moment):
        return None
    change = hours.next_change(moment)
    if change is not None and (change - moment).days >= 7:
        change = None
    return HoursNow(bool(hours.is_open(moment)), change)
