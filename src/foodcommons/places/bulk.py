"""Bulk creation of places: the same validation and revisions as create_place, written in batches."""

import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from operator import attrgetter

from django.db import connection, transaction
from django.db.models.base import ModelState
from django.utils import timezone

from foodcommons.core.ids import _ALPHABET as ID_ALPHABET
from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.places import search_index
from foodcommons.places.bulk_sql import insert_rows, insert_values, reserve_ids
from foodcommons.places.domain.validation import CleanPlace, clean_place
from foodcommons.places.models import Place, PlaceAreaServed, PlaceCategory, PlaceRevision
from foodcommons.places.public_json import store_new_bodies
from foodcommons.places.services import clean_state, commune_of, default_lookups, index_row, place_columns, revision_columns
from foodcommons.places.signals import places_changed
from foodcommons.taxonomy.selectors import category_tree
from foodcommons.territories.selectors import commune_index

DEFAULT_BATCH_SIZE = 2000
BULK_CACHE_KIB = 512 * 1024
BULK_CHECKPOINT_PAGES = 65_536  # 256 MiB of WAL with 4 KiB pages
ID_LENGTH = 12


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


# Called after each batch is committed with its (row number, saved Place) pairs.
BatchCallback = Callable[[list[tuple[int, Place]]], None]


@dataclass(frozen=True)
class NewPlace:
    """What listeners of `places_changed` may need of a place a bulk load created, so that they need not read it back."""

    id: int
    lon: float | None
    lat: float | None
    status: str
    categories: tuple[str, ...]


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

    def cleaned() -> Iterator[tuple[int, CleanPlace]]:
        for row, data in enumerate(inputs, start=1):
            try:
                yield row, clean_place(data, lookups)
            except InvalidInput as refused:
                result.errors.append(RowError(row, list(refused.errors)))

    result.created = create_clean_places(rows=cleaned(), author=author, comment=comment, batch_size=batch_size, progress=progress)
    return result


def create_clean_places(
    *,
    rows: Iterable[tuple[int, CleanPlace]],
    author=None,
    comment: str = "",
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: BatchCallback | None = None,
    announce_once: bool = False,
) -> int:
    """Create places from (row number, already validated input) pairs in batches, one transaction each; return how many.

    Each batch announces its places (`places_changed`, with `created`: a NewPlace per place) after it commits. With
    `announce_once`, for a caller that runs the whole load in its own transaction, one announcement of every place
    goes out when that transaction commits, so that listeners update once per load rather than once per batch.
    """
    created, pending = 0, []
    with large_page_cache():
        for batch in _batches(rows, batch_size):
            saved = _write_batch(batch, author=author, comment=comment)
            news = [_new_place(place, clean) for (_, place), (_, clean) in zip(saved, batch, strict=True)]
            if announce_once:
                pending += news
            else:
                _announce(news)
            if progress:
                progress(saved)
            created += len(saved)
    if pending:
        _announce(pending)
    return created


def _new_place(place: Place, clean: CleanPlace) -> NewPlace:
    return NewPlace(place.pk, place.lon, place.lat, place.status, tuple(clean.categories))


def _announce(news: list[NewPlace]) -> None:
    ids = [n.id for n in news]
    transaction.on_commit(lambda: places_changed.send(sender=Place, place_ids=ids, created=news))


@contextmanager
def large_page_cache() -> Iterator[None]:
    """On SQLite, widen the page cache while loading (nestable): random inserts into the R*Tree and indexes thrash the default 2 MB."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA wal_autocheckpoint")
        checkpoint_before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
        # Checkpoint the WAL every BULK_CHECKPOINT_PAGES instead of every 1,000: index pages that many
        # batches rewrite are copied to the database (and synced) once instead of again and again.
        cursor.execute(f"PRAGMA wal_autocheckpoint = {BULK_CHECKPOINT_PAGES}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint_before)}")


def _batches(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while batch := list(islice(iterator, max(size, 1))):
        yield batch


def _communes(cleans: list[CleanPlace]) -> list[str | None]:
    located = commune_index().locate_many([(c.geometry.lon, c.geometry.lat) for c in cleans if c.geometry is not None])
    found = iter(located)
    return [commune_of(c, next(found) if c.geometry is not None else None) for c in cleans]


def _public_ids(count: int) -> list[str]:
    # Same alphabet and length as core.ids.new_public_id, drawn in one call: 256 is a multiple of 32, so unbiased.
    table = bytes(ord(ID_ALPHABET[b % 32]) for b in range(256))
    raw = secrets.token_bytes(count * ID_LENGTH).translate(table).decode()
    return [raw[i : i + ID_LENGTH] for i in range(0, len(raw), ID_LENGTH)]


PLACE_COLUMNS = [f.attname for f in Place._meta.concrete_fields]
_place_row = attrgetter(*PLACE_COLUMNS)  # a place's row in the order of PLACE_COLUMNS (C speed: a tuple per place)


def _written_place(columns: dict) -> Place:
    """Return the Place of a row this batch writes, built from its column values as Django builds one read from the
    database (its fields in the instance's dictionary), without Place(**columns): that cost 60 µs a place."""
    place = Place.__new__(Place)
    place.__dict__.update(columns)
    for f in Place._meta.concrete_fields:
        if f.attname not in columns:
            place.__dict__[f.attname] = f.get_default()
    place._state = ModelState()
    place._state.adding, place._state.db = False, connection.alias
    return place


@transaction.atomic
def _write_batch(accepted: list[tuple[int, CleanPlace]], *, author, comment: str) -> list[tuple[int, Place]]:
    cleans = [clean for _, clean in accepted]
    now = timezone.now()
    ids, public_ids = reserve_ids(Place, len(cleans)), _public_ids(len(cleans))
    places = [
        _written_place({"id": pk, "public_id": public_id, "version": 1, "created_at": now, "updated_at": now, **place_columns(clean, commune)})
        for clean, commune, public_id, pk in zip(cleans, _communes(cleans), public_ids, ids, strict=True)
    ]
    insert_values(Place, PLACE_COLUMNS, list(map(_place_row, places)))
    tree = category_tree()
    insert_rows(PlaceCategory, [{"place_id": p.pk, "category_id": tree.nodes[s].id} for p, c in zip(places, cleans, strict=True) for s in c.categories])
    insert_rows(PlaceAreaServed, [{"place_id": p.pk, "territory_id": code} for p, c in zip(places, cleans, strict=True) for code in c.areas_served])
    states = [clean_state(p, c) for p, c in zip(places, cleans, strict=True)]
    insert_rows(PlaceRevision, [revision_columns(p, s, PlaceRevision.Action.CREATE, author, comment) for p, s in zip(places, states, strict=True)])
    # Their published bodies too, from the same states: a bulk load is readable at once without a second pass.
    store_new_bodies(places, [{**s, "areas_served": sorted(s["areas_served"])} for s in states])
    search_index.dialect().add(index_row(p) for p in places)
    return [(row, place) for (row, _), place in zip(accepted, places, strict=True)]
