"""Writes of the review of duplicates: keep two places apart, merge them, and scan every place for likely duplicates."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from foodcommons.core.problems import FieldError, InvalidInput, NotFound, Problem
from foodcommons.imports import selectors
from foodcommons.imports.domain import matching
from foodcommons.imports.domain.provenance import current_values, patch_for, tracked_fields
from foodcommons.imports.models import FieldClaim, MatchCandidate, SourceRecord
from foodcommons.imports.services.outbox import written_by_imports
from foodcommons.imports.services.publishing import publish
from foodcommons.places import services as places
from foodcommons.places.models import Place
from foodcommons.taxonomy.selectors import category_tree


def _candidate(candidate_id: int) -> MatchCandidate:
    candidate = MatchCandidate.objects.select_for_update().filter(pk=candidate_id).first()
    if candidate is None:
        raise NotFound(f"No match candidate {candidate_id}.")
    if candidate.status != MatchCandidate.Status.PENDING:
        raise Problem(status=409, title="Already decided", detail=f"This candidate was already {candidate.status.replace('_', ' ')}.",
                      kind="/api/problems/already-decided")
    return candidate


@transaction.atomic
def keep_apart(*, candidate_id: int, author=None) -> MatchCandidate:
    """Record that two places are different actors: the pair is never proposed again."""
    candidate = _candidate(candidate_id)
    candidate.status, candidate.decided_at, candidate.decided_by = MatchCandidate.Status.KEPT_APART, timezone.now(), author
    candidate.save()
    return candidate


def merge_candidate(*, candidate_id: int, keep: str = "a", author=None, take_from_other: Iterable[str] = ()) -> MatchCandidate:
    """Merge the two places of a candidate: the kept one takes the other's records and provenance; the other is deleted.

    `take_from_other` names tracked fields (name.fr, contacts, geometry, …) whose value the reviewer chose from the other place.
    """
    with transaction.atomic(), written_by_imports():
        return _merge(candidate_id, keep, author, set(take_from_other))


def _merge(candidate_id: int, keep: str, author, take: set[str]) -> MatchCandidate:
    if keep not in ("a", "b"):
        raise InvalidInput([FieldError("keep", "expected 'a' or 'b'")])
    if unknown := take - set(tracked_fields()):
        raise InvalidInput([FieldError("take_from_other", f"unknown fields: {', '.join(sorted(unknown))[:200]}")])
    candidate = _candidate(candidate_id)
    survivor, other = (candidate.place_a, candidate.place_b) if keep == "a" else (candidate.place_b, candidate.place_a)
    chosen = {name: value for name, value in current_values(places.current_state(other) or {}).items() if name in take}
    merge_places(survivor=survivor, other=other, author=author)
    if chosen:
        _take_values(survivor, chosen, author=author, comment=f"Values chosen from {other.public_id} when merging")
    candidate.status, candidate.decided_at, candidate.decided_by = MatchCandidate.Status.MERGED, timezone.now(), author
    candidate.save()
    return candidate


def merge_places(*, survivor: Place, other: Place, author=None) -> None:
    """Move the records and provenance of `other` to `survivor`, publish, then soft-delete `other` pointing to the survivor."""
    for place in (survivor, other):
        if place.is_deleted:
            raise InvalidInput([FieldError("place", f"the place '{place.public_id}' is deleted")])
    # The survivor's own current values become claims first, so that the other's sources only fill what it lacks.
    publish(place=survivor, comment=f"Values before merging {other.public_id}", author=author)
    SourceRecord.objects.filter(place=other).update(place=survivor)
    FieldClaim.objects.filter(place=other, source__isnull=False).update(place=survivor)
    publish(place=survivor, comment=f"Merged with {other.public_id}", author=author)
    places.delete_place(public_id=other.public_id, author=author, comment=f"Merged into {survivor.public_id}")


def _take_values(place: Place, values: dict, *, author, comment: str) -> None:
    place.refresh_from_db()
    state = places.current_state(place)
    patch: dict = {}
    for name, value in values.items():
        for key, part in patch_for(name, value, state).items():
            patch[key] = {**patch[key], **part} if isinstance(part, dict) and isinstance(patch.get(key), dict) else part
    places.update_place(public_id=place.public_id, patch=patch, base_version=place.version, author=author, comment=comment)
    # A person's choice: a claim of people, so that the next import of either source does not undo it.
    now = timezone.now()
    FieldClaim.objects.bulk_create([FieldClaim(place=place, field=name, value=value, observed_at=now) for name, value in values.items()])


@transaction.atomic
def scan_duplicates(*, thresholds: matching.Thresholds = matching.DEFAULT_THRESHOLDS) -> int:
    """Compare every live place with its plausible neighbours and queue the likely duplicates not yet decided; return how many."""
    tree = category_tree()
    index = selectors.existing_index(tree)
    known = selectors.decided_pairs()
    now, found = timezone.now(), []
    for item in index.items:
        common = index.common_tokens(item)
        for other in index.candidates(item):
            pair = tuple(sorted((item.key, other.key)))
            if pair in known:
                continue
            decision = matching.compare(item, other, thresholds, common=common)
            if decision.verdict != "apart":
                known.add(pair)
                found.append(MatchCandidate(place_a_id=pair[0], place_b_id=pair[1], score=decision.score, reasons=decision.reasons, created_at=now))
    MatchCandidate.objects.bulk_create(found, batch_size=2000, ignore_conflicts=True)
    return len(found)
