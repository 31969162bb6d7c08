"""What imports adds to places: the source records of each place, and the `source` filter of place queries."""

from django.db.models import Q

from foodcommons.imports.models import SourceRecord
from foodcommons.places.domain.query import Filter, PlaceQuery, identifiers, register_filter
from foodcommons.places.relations import register_relation


def source_records(place_ids: list[int]) -> dict[int, list[SourceRecord]]:
    """Return the source records (with their source) of some places, in one query."""
    records: dict[int, list[SourceRecord]] = {}
    for record in SourceRecord.objects.filter(place_id__in=place_ids).select_related("source"):
        records.setdefault(record.place_id, []).append(record)
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
