"""Spatial and full-text indexes, one small class per SQL dialect.

SQLite keeps an R*Tree and an FTS5 table beside `places_place`, synced by the services;
PostgreSQL indexes the table's own columns (GiST over a box, GIN over a tsvector).
"""

from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from foodcommons.core.text import search_tokens

MAX_QUERY_TOKENS = 8


class IndexDialect:
    """What the selectors and services need from the indexes of one database."""

    def create(self, cursor) -> None:
        """Create the index structures (called by a migration)."""

    def sync(self, rows: Iterable[tuple[int, float | None, float | None, float | None, float | None, str]]) -> None:
        """Index (id, min_lon, min_lat, max_lon, max_lat, search_text) rows, replacing older entries."""

    def remove(self, ids: list[int]) -> None:
        """Drop places from the indexes."""

    def bbox_filter(self, west: float, south: float, east: float, north: float) -> RawSQL:
        raise NotImplementedError

    def text_filter(self, tokens: list[str]) -> RawSQL:
        raise NotImplementedError


class SQLiteIndex(IndexDialect):
    def create(self, cursor) -> None:
        cursor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS places_place_rtree USING rtree(id, min_lon, max_lon, min_lat, max_lat)"
        )
        cursor.execute("CREATE VIRTUAL TABLE IF NOT EXISTS places_place_fts USING fts5(text, tokenize='unicode61 remove_diacritics 2')")

    def sync(self, rows) -> None:
        rows = list(rows)
        ids = [(r[0],) for r in rows]
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM places_place_rtree WHERE id = %s", ids)
            cursor.executemany("DELETE FROM places_place_fts WHERE rowid = %s", ids)
            cursor.executemany(
                "INSERT INTO places_place_rtree (id, min_lon, max_lon, min_lat, max_lat) VALUES (%s, %s, %s, %s, %s)",
                [(r[0], r[1], r[3], r[2], r[4]) for r in rows if r[1] is not None],
            )
            cursor.executemany(
                "INSERT INTO places_place_fts (rowid, text) VALUES (%s, %s)", [(r[0], r[5]) for r in rows]
            )

    def remove(self, ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM places_place_rtree WHERE id = %s", [(i,) for i in ids])
            cursor.executemany("DELETE FROM places_place_fts WHERE rowid = %s", [(i,) for i in ids])

    def bbox_filter(self, west, south, east, north) -> RawSQL:
        return RawSQL(
            '"places_place"."id" IN (SELECT id FROM places_place_rtree '
            "WHERE max_lon >= %s AND min_lon <= %s AND max_lat >= %s AND min_lat <= %s)",
            (west, east, south, north),
            output_field=BooleanField(),
        )

    def text_filter(self, tokens: list[str]) -> RawSQL:
        match = " AND ".join(f'"{t}"*' for t in tokens)
        return RawSQL(
            '"places_place"."id" IN (SELECT rowid FROM places_place_fts WHERE places_place_fts MATCH %s)',
            (match,),
            output_field=BooleanField(),
        )


class PostgresIndex(IndexDialect):
    def create(self, cursor) -> None:
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS place_bbox_gist ON places_place USING gist "
            "(box(point(min_lon, min_lat), point(max_lon, max_lat))) WHERE min_lon IS NOT NULL"
        )
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS place_search_gin ON places_place USING gin (to_tsvector('simple', search_text))"
        )

    def bbox_filter(self, west, south, east, north) -> RawSQL:
        return RawSQL(
            '"places_place".min_lon IS NOT NULL AND box(point("places_place".min_lon, "places_place".min_lat), '
            'point("places_place".max_lon, "places_place".max_lat)) && box(point(%s, %s), point(%s, %s))',
            (west, south, east, north),
            output_field=BooleanField(),
        )

    def text_filter(self, tokens: list[str]) -> RawSQL:
        query = " & ".join(f"{t}:*" for t in tokens)
        return RawSQL(
            "to_tsvector('simple', \"places_place\".search_text) @@ to_tsquery('simple', %s)", (query,), output_field=BooleanField()
        )


def dialect(vendor: str | None = None) -> IndexDialect:
    """Return the index dialect of the default database (or of `vendor`)."""
    return PostgresIndex() if (vendor or connection.vendor) == "postgresql" else SQLiteIndex()


def query_tokens(text: str) -> list[str]:
    """Return the folded tokens of a search text, safe to put in either dialect's query."""
    return search_tokens(text)[:MAX_QUERY_TOKENS]
