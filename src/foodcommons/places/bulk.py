"""Bulk creation of places: the same validation and revisions as create_place, written in batches."""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction
from django.utils import timezone

from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.places import search_index
from foodcommons.places.domain.validation import CleanPlace, clean_place
from foodcommons.places.models import Place, PlaceAreaServed, PlaceCategory, PlaceRevision
from foodcommons.places.services import clean_state, commune_of, default_lookups, index_row, new_place, revision
from foodcommons.places.signals import places_changed
from foodcommons.taxonomy.selectors import category_tree
from foodcommons.territories.selectors import commune_index

DEFAULT_BATCH_SIZE = 2000


@dataclass(frozen=True)
class RowError:
    """Why one input was refused: its row number (the first input is row 1) and the bad fields."""

    row: int
    errors: list[FieldError]

    def as_dict(self) -> dict:
        return {"row": self.row, "errors": [e.as_dict() for e in self.errors]}


@dataclass
class BulkResult:
    """What a bulk load did: how many places it created and the rows it refused."""

    created: int = 0
    errors: list[RowError] = field(default_factory=list)


# Called inside each batch's transaction with the (row number, saved Place) pairs of the batch.
BatchCallback = Callable[[list[tuple[int, Place]]], None]


def bulk_create_places(
    *,
    inputs: Iterable[dict],
    author=None,
    comment: str = "",
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: BatchCallback | None = None,
) -> BulkResult:
    """Validate and create many places in batches, one transaction each; refused rows do not stop the others."""
    result = BulkResult()
    lookups = default_lookups()
    for batch in _batches(enumerate(inputs, start=1), batch_size):
        accepted: list[tuple[int, CleanPlace]] = []
        for row, data in batch:
            try:
                accepted.append((row, clean_place(data, lookups)))
            except InvalidInput as refused:
                result.errors.append(RowError(row, list(refused.errors)))
        if accepted:
            created = _write_batch(accepted, author=author, comment=comment)
            if progress:
                progress(created)
            result.created += len(created)
    return result


def _batches(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while batch := list(islice(iterator, max(size, 1))):
        yield batch


def _communes(cleans: list[CleanPlace]) -> list[str | None]:
    located = commune_index().locate_many([(c.geometry.lon, c.geometry.lat) for c in cleans if c.geometry is not None])
    found = iter(located)
    return [commune_of(c, next(found) if c.geometry is not None else None) for c in cleans]


@transaction.atomic
def _write_batch(accepted: list[tuple[int, CleanPlace]], *, author, comment: str) -> list[tuple[int, Place]]:
    cleans = [clean for _, clean in accepted]
    now = timezone.now()
    places = [new_place(clean, commune=commune, now=now) for clean, commune in zip(cleans, _communes(cleans))]
    Place.objects.bulk_create(places)
    tree = category_tree()
    PlaceCategory.objects.bulk_create(
        [PlaceCategory(place=p, category_id=tree.nodes[s].id) for p, c in zip(places, cleans) for s in c.categories]
    )
    PlaceAreaServed.objects.bulk_create(
        [PlaceAreaServed(place=p, territory_id=code) for p, c in zip(places, cleans) for code in c.areas_served]
    )
    PlaceRevision.objects.bulk_create(
        [revision(p, clean_state(p, c), PlaceRevision.Action.CREATE, author, comment) for p, c in zip(places, cleans)]
    )
    search_index.dialect().sync(index_row(p) for p in places)
    ids = [p.pk for p in places]
    transaction.on_commit(lambda: places_changed.send(sender=Place, place_ids=ids))
    return [(row, place) for (row, _), place in zip(accepted, places)]
