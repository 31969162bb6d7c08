"""What imports adds to places: the source records of each place, and the `source` filter of place queries."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from foodcommons.core.sql import ids_condition
from foodcommons.imports.models import Source, SourceRecord
from foodcommons.places.domain.query import Filter, PlaceQuery, identifiers, register_filter
from foodcommons.places.relations import register_relation


@dataclass(frozen=True, slots=True)
class SourceOfRecord:
    """What a place's representation and page say of the source of one of its records."""

    slug: str
    name: str
    licence: str
    attribution: str


@dataclass(frozen=True, slots=True)
class RecordOfPlace:
    """One source record of a loaded place, as its representations use it (read as plain values, not models)."""

    external_id: str
    source: SourceOfRecord


def source_records(place_ids: list[int]) -> dict[int, list[RecordOfPlace]]:
    """Return the source records (with their source) of some places, in one query of plain values."""
    among, params = ids_condition("r.place_id", place_ids)
    sql = (
        f"SELECT r.place_id, r.external_id, s.slug, s.name, s.licence, s.attribution FROM {SourceRecord._meta.db_table} r "
        f"JOIN {Source._meta.db_table} s ON s.id = r.source_id WHERE {among} ORDER BY r.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    sources: dict[tuple, SourceOfRecord] = {}
    records: dict[int, list[RecordOfPlace]] = {}
    for place_id, external_id, *source in rows:
        shared = sources.setdefault(tuple(source), SourceOfRecord(*source))
        records.setdefault(place_id, []).append(RecordOfPlace(external_id, shared))
    return records


def from_sources(slugs, query: PlaceQuery) -> Q:
    """Places with a record from one of these sources."""
    return Q(pk__in=SourceRecord.objects.filter(source__slug__in=slugs).values("place_id"))


def register() -> None:
    """Attach source records to loaded places (as `place.records`), make `source` a filter of place queries, and send
    people's changes of sourced values to the sources' outboxes."""
    from foodcommons.imports.services.outbox import on_place_written
    from foodcommons.places.signals import place_written

    place_written.connect(on_place_written, dispatch_uid="imports-outbox")
    register_relation("records", source_records)
    register_filter(Filter("source", identifiers, from_sources, "Only places with a record from this source; repeatable", many=True))
