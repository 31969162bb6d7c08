"""Freshness of places and grouping of reminders (pure)."""

from collections import defaultdict
from datetime import datetime, timedelta


def confirmed_or_created(last_confirmed: datetime | None, created_at: datetime) -> datetime:
    """Return the moment a place was last known to be accurate."""
    return last_confirmed or created_at


def is_stale(*, last_confirmed: datetime | None, created_at: datetime, now: datetime, max_age_days: int) -> bool:
    """Tell whether a place has gone unconfirmed for longer than `max_age_days`."""
    return now - confirmed_or_created(last_confirmed, created_at) > timedelta(days=max_age_days)


def stale_cutoff(*, now: datetime, max_age_days: int) -> datetime:
    """Return the moment before which an unconfirmed place is stale."""
    return now - timedelta(days=max_age_days)


def digests(pairs: list[tuple[int, int]], *, cap: int) -> dict[int, list[int]]:
    """Group (user, place) pairs into one list of places per user, at most `cap` pairs in all."""
    grouped: dict[int, list[int]] = defaultdict(list)
    for count, (user_id, place_id) in enumerate(pairs):
        if count >= cap:
            break
        if place_id not in grouped[user_id]:
            grouped[user_id].append(place_id)
    return dict(grouped)
