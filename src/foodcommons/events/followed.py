"""What events tell subscriptions: the events published or changed, for a territory (and those inside it) or the whole site."""

from datetime import datetime

from django.db.models import Q
from django.urls import reverse

from foodcommons.events.models import Event
from foodcommons.events.selectors import territory_codes_within
from foodcommons.subscriptions.domain.digest import Change, Target
from foodcommons.subscriptions.registry import register_change_source

LANGUAGES = ("fr", "nl", "en")


def _texts(event: Event, field: str) -> dict[str, str]:
    return {lang: text for lang in LANGUAGES if (text := getattr(event, f"{field}_{lang}"))}


def event_changes(target: Target | None, since: datetime, until: datetime) -> list[Change]:
    """Return the events new or changed between `since` and `until` (a cancellation is a change)."""
    if target is not None and target.kind != "territory":
        return []
    found = Event.objects.filter(Q(created_at__gt=since, created_at__lte=until) | Q(updated_at__gt=since, updated_at__lte=until))
    if target is not None:
        found = found.filter(territory_id__in=territory_codes_within(target.key))
    changes = []
    for event in found.order_by("-pk")[:200]:
        new = since < event.created_at <= until
        changes.append(Change(kind="event", ref=event.public_id, titles=_texts(event, "title"), summaries=_texts(event, "description"),
                              path=reverse("events:event", args=[event.public_id]), at=event.created_at if new else event.updated_at,
                              action="new" if new else "changed"))
    return changes


def register() -> None:
    """Add the events to what digests, feeds and the newsletter's composer read."""
    register_change_source("events", event_changes)
