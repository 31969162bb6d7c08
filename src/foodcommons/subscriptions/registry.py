"""What the apps above tell subscriptions: how a target is named, and what changed for it (they register; this reads)."""

from collections.abc import Callable
from datetime import datetime

from foodcommons.subscriptions.domain.digest import Change, Target

# kind → (key, language) → the target's name, or None when it does not exist.
TargetLabel = Callable[[str, str], str | None]
# (target or None for "everything new on the site", since, until) → the changes in that window.
ChangeSource = Callable[[Target | None, datetime, datetime], list[Change]]

TARGET_LABELS: dict[str, TargetLabel] = {}
CHANGE_SOURCES: dict[str, ChangeSource] = {}


def register_target_kind(kind: str, label: TargetLabel) -> None:
    """Say how to name (and check) a target of `kind`."""
    TARGET_LABELS[kind] = label


def register_change_source(name: str, source: ChangeSource) -> None:
    """Add a reader of what changed (places, projects, documents, events…) to every digest and feed."""
    CHANGE_SOURCES[name] = source


def changes_for(target: Target | None, *, since: datetime, until: datetime) -> list[Change]:
    """Return what every registered source says changed for `target` between `since` and `until`."""
    return [change for source in CHANGE_SOURCES.values() for change in source(target, since, until)]


def target_label(target: Target, language: str) -> str | None:
    """Return the name of a target in `language`, or None when its kind is unknown or it does not exist."""
    label = TARGET_LABELS.get(target.kind)
    return label(target.key, language) if label else None
