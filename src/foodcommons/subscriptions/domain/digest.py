"""What changed for a subscription, as plain values, and how a digest is put together (no I/O)."""

from dataclasses import dataclass, field
from datetime import datetime

LANGUAGES = ("fr", "nl", "en")
KINDS = ("territory", "category", "place", "work_stream", "newsletter")
# The digest of one subscription lists at most this many changes, then says how many more there are.
SECTION_SIZE = 20


@dataclass(frozen=True)
class Target:
    """What a subscription follows: a kind and its key (NIS code, category slug, place id, work stream slug; '' for the newsletter)."""

    kind: str
    key: str = ""


@dataclass(frozen=True)
class Change:
    """One thing new or changed: a place, a project, a document, an event, an offer of expertise."""

    kind: str
    ref: str
    titles: dict[str, str]
    path: str
    at: datetime
    action: str = "new"  # new | changed | deleted
    summaries: dict[str, str] = field(default_factory=dict)


@dataclass
class Section:
    """The part of a digest about one subscription: its changes (at most SECTION_SIZE) and how many were left out."""

    subscription: str
    changes: list[Change]
    more: int = 0


def in_language(texts: dict[str, str], language: str) -> str:
    """Return the text in `language`, else the first other language that has one."""
    return texts.get(language) or next((texts[lang] for lang in LANGUAGES if texts.get(lang)), "")


def latest_first(changes: list[Change]) -> list[Change]:
    """Return the changes newest first, each (kind, ref) once: the latest change of an item says enough."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for change in sorted(changes, key=lambda c: c.at, reverse=True):
        if (change.kind, change.ref) not in seen:
            seen.add((change.kind, change.ref))
            kept.append(change)
    return kept


def section(subscription: str, changes: list[Change], *, size: int = SECTION_SIZE) -> Section | None:
    """Return the section of one subscription, or None when nothing changed for it."""
    kept = latest_first(changes)
    if not kept:
        return None
    return Section(subscription, kept[:size], max(0, len(kept) - size))
