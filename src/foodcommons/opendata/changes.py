"""Reads of the change feed: revisions in commit order, never skipped nor repeated."""

import datetime as dt
from dataclasses import dataclass

from django.db import OperationalError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.places.domain.privacy import published_state
from foodcommons.places.models import PlaceRevision
from foodcommons.places.selectors import withheld_contacts

DEFAULT_LIMIT, MAX_LIMIT = 100, 1000
LOCK_WAIT = "2s"
CHANGE_OF_ACTION = {"create": "created", "delete": "deleted"}


@dataclass
class ChangePage:
    """One page of the feed: the changes, the cursor after them, and whether more are ready."""

    changes: list[dict]
    next_cursor: str
    more: bool


def parse_cursor(value: str | None) -> int:
    """Return the revision id a cursor resumes after (0: from the beginning)."""
    if value in (None, ""):
        return 0
    # isascii: "²" and "١" are digits to str.isdigit, but "²" breaks int() and neither is a cursor this feed gave.
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise InvalidInput([FieldError("since", "not a cursor of this feed (a non-negative integer it gave)")])
    return int(value)


def committed_horizon(*, floor: int = 0) -> int:
    """Return the highest revision id below which every revision is committed (or never will be).

    On PostgreSQL, when writes in flight hold the revisions table longer than LOCK_WAIT, return
    `floor` (the caller's cursor): the reader sees nothing new yet rather than stall writers.
    """
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # SHARE waits for every transaction that inserted revisions (ROW EXCLUSIVE) to end, and holds
                # new writers back only while max(id) is read: after it, no lower id can still appear.
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'")
                    cursor.execute(f'LOCK TABLE "{PlaceRevision._meta.db_table}" IN SHARE MODE')
            # SQLite has one writer at a time: a committed id is never followed by a lower one committing later.
            return PlaceRevision.objects.aggregate(top=Max("id"))["top"] or 0
    except OperationalError:
        if connection.vendor != "postgresql":
            raise
        return floor


def change_json(revision: PlaceRevision, public_id: str, withheld: frozenset = frozenset()) -> dict:
    """Return one revision as a change of the feed, with the public new state (`withheld`: contacts private now)."""
    return {
        "cursor": str(revision.id),
        "id": public_id,
        "version": revision.version,
        "change": CHANGE_OF_ACTION.get(revision.action, "updated"),
        "action": revision.action,
        "at": revision.created_at.isoformat(),
        "state": published_state(revision.state, withheld),
    }


def revisions_after(after: int, *, horizon: int, limit: int, filters: dict | None = None):
    """Return up to `limit` revisions with after < id <= horizon, in id order, with the place's public id."""
    qs = PlaceRevision.objects.filter(id__gt=after, id__lte=horizon, **(filters or {}))
    return list(qs.select_related(None).order_by("id").values_list("id", "place__public_id", "version", "action", "created_at", "state", "place_id")[:limit])


def changes_since(cursor: str | None, *, limit: int = DEFAULT_LIMIT) -> ChangePage:
    """Return the committed changes after `cursor`, oldest first."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput([FieldError("limit", f"expected an integer from 1 to {MAX_LIMIT}")])
    after = parse_cursor(cursor)
    horizon = committed_horizon(floor=after)
    rows = revisions_after(after, horizon=horizon, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    withheld = withheld_contacts(row[6] for row in rows)
    changes = [
        change_json(PlaceRevision(id=i, version=v, action=a, created_at=at, state=s), public_id, withheld.get(pk, frozenset()))
        for i, public_id, v, a, at, s, pk in rows
    ]
    return ChangePage(changes, str(rows[-1][0]) if rows else str(after), more)


def latest_change_time():
    """Return the time of the latest revision, or None."""
    # A plain cursor: every read of places asks this for its Last-Modified, and building the ORM's aggregate cost
    # more than the query (one step down the index on created_at).
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(created_at) FROM {PlaceRevision._meta.db_table}")
        latest = cursor.fetchone()[0]
    if isinstance(latest, str):  # SQLite gives the stored text back
        latest = parse_datetime(latest)
    if latest is not None and timezone.is_naive(latest):
        latest = timezone.make_aware(latest, dt.UTC)
    return latest
