"""Writes of the outbox: people's changes to values a source provides, kept for its maintainers, and how they settle.

A correction opens when a person changes a field that a source gives (field, the source's value, the new one, who,
when, why); the maintainers mark it applied or declined; it closes by itself when a re-import brings the new value, or
when people put the source's value back. A re-import that brings another value leaves it open with the conflict shown:
the source's policy (`Source.overrides_people`) decides what is published, never silently.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils import timezone

from foodcommons.core.problems import FieldError, InvalidInput, NotFound
from foodcommons.imports import selectors
from foodcommons.imports.domain.provenance import current_values, same
from foodcommons.imports.models import Correction, ImportRun, Source
from foodcommons.places.domain.privacy import private_keys, published_claim_value

# Set while imports themselves write places (runs, reverts, merges): those writes are not people's corrections.
_IMPORTS_WRITING: ContextVar[bool] = ContextVar("imports_writing", default=False)
PEOPLE_ACTIONS = ("update", "revert")


@contextmanager
def written_by_imports() -> Iterator[None]:
    """Within this block, place writes are the imports' own and open no correction."""
    token = _IMPORTS_WRITING.set(True)
    try:
        yield
    finally:
        _IMPORTS_WRITING.reset(token)


def on_place_written(sender, place, state, action, author=None, comment="", **kwargs) -> None:
    """Receiver of `places.signals.place_written`: a person's change to a sourced value opens (or settles) a correction."""
    if _IMPORTS_WRITING.get() or action not in PEOPLE_ACTIONS:
        return
    record_corrections(place=place, after=state, author=author, comment=comment)


def record_corrections(*, place, after: dict, author=None, comment: str = "") -> list[Correction]:
    """Open or update the corrections of the sourced fields a write of `place` changed; return them."""
    claims = selectors.latest_source_claims(place.pk)
    if not claims:
        return []
    before = current_values(selectors.previous_state(place) or {})
    now_values = current_values(after)
    now = timezone.now()
    touched = []
    for (source_id, field), claim in claims.items():
        if same(now_values.get(field), before.get(field)):
            continue  # this write left the field alone
        opened = Correction.objects.filter(source_id=source_id, place=place, field=field, status=Correction.Status.OPEN).first()
        if same(now_values.get(field), claim.value):
            if opened:
                _close(opened, "put_back", now)
            continue
        if opened is None:
            opened = Correction(source_id=source_id, place=place, field=field, record_id=claim.record_id, source_value=claim.value, created_at=now)
        # What the source's maintainers may see: a contact the place's people keep private never leaves through the outbox.
        shown = published_claim_value(field, now_values.get(field), private_keys(after.get("contacts")))
        opened.new_value, opened.author, opened.comment, opened.updated_at = shown, author, (comment or "")[:500], now
        opened.save()
        touched.append(opened)
    return touched


def settle(*, source: Source, place_id: int, values: dict, run: ImportRun) -> None:
    """Compare a re-imported record's values with the open corrections of its place: agreement closes, else a conflict shows."""
    now = timezone.now()
    for correction in Correction.objects.filter(source=source, place_id=place_id, status=Correction.Status.OPEN):
        given = values.get(correction.field)
        if same(given, correction.new_value):
            _close(correction, "source_agrees", now)
        else:
            correction.conflict = {"value": given, "run": run.pk, "at": now.isoformat()}
            correction.updated_at = now
            correction.save(update_fields=["conflict", "updated_at"])


def _close(correction: Correction, because: str, now) -> None:
    correction.status, correction.closed_because, correction.decided_at, correction.updated_at = Correction.Status.CLOSED, because, now, now
    correction.save()


@transaction.atomic
def decide(*, correction_id: int, status: str, author=None) -> Correction:
    """Record the maintainers' word on an open correction: applied in their list, or declined."""
    if status not in (Correction.Status.APPLIED, Correction.Status.DECLINED):
        raise InvalidInput([FieldError("status", "expected 'applied' or 'declined'")])
    correction = Correction.objects.select_for_update().filter(pk=correction_id).first()
    if correction is None:
        raise NotFound(f"No correction {correction_id}.")
    if correction.status != Correction.Status.OPEN:
        raise InvalidInput([FieldError("status", f"this correction is already {correction.status}")])
    correction.status, correction.decided_by, correction.decided_at = status, author, timezone.now()
    correction.updated_at = correction.decided_at
    correction.save()
    return correction
