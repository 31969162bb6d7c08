"""Spatial and full-text indexes, one small class per SQL dialect.

SQLite keeps an R*Tree and an FTS5 table beside `places_place`; PostgreSQL a GiST index over a box
of the table's own columns and a narrow tsvector table with a GIN index. The services keep the side
tables in step with the places (no triggers).
"""

import json
from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from foodcommons.core.text import search_tokens

MAX_QUERY_TOKENS = 8
# On SQLite, an index match larger than this is filtered row by row instead (see _matches_many).
MANY_MATCHES = 20_000
POSTGRES_BOX_PROBE = 5_000
PG_SEARCH_TABLE = "places_place_search"
# On PostgreSQL, a text search the planner expects to match more places than this walks the search
# table in id order instead of listing every match from the GIN index (measured at 1M places: a word
# in 2 % of places took 50-90 ms through GIN, 10-25 ms walking).
PG_TEXT_WALK_ABOVE = 5_000


class IndexDialect:
    """What the selectors and services need from the indexes of one database."""

    def create(self, cursor) -> None:
        """Create the index structures (called by a migration)."""

    def sync(self, rows: Iterable[tuple[int, float | None, float | None, float | None, float | None, str]]) -> None:
        """Index (id, min_lon, min_lat, max_lon, max_lat, search_text) rows, replacing older entries."""

    def add(self, rows: Iterable[tuple[int, float | None, float | None, float | None, float | None, str]]) -> None:
        """Index rows of places that have no entries yet (new places)."""

    def remove(self, ids: list[int]) -> None:
        """Drop places from the indexes."""

    def bbox_filter(self, west: float, south: float, east: float, north: float) -> RawSQL:
        raise NotImplementedError

    def text_filter(self, tokens: list[str]) -> RawSQL:
        raise NotImplementedError

    def text_ids(self, tokens: list[str]) -> tuple[str, tuple] | None:
        """Return the SELECT of the ids of the places holding every token and its parameters, or None when they are too
        many to be listed whole (more than about MANY_MATCHES)."""
        raise NotImplementedError

    def among_ids(self, select: str, params: tuple) -> RawSQL:
        """Return the condition keeping the places whose id the SELECT lists, looked up by primary key in id order."""
        raise NotImplementedError

    def lists_few(self, select: str, params: tuple) -> bool:
        """Tell whether a SELECT of ids on an index lists fewer than MANY_MATCHES rows (reading no more than that)."""
        return not _matches_many(select, params)


class SQLiteIndex(IndexDialect):
    def create(self, cursor) -> None:
        cursor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS places_place_rtree USING rtree(id, min_lon, max_lon, min_lat, max_lat)"
        )
        cursor.execute("CREATE VIRTUAL TABLE IF NOT EXISTS places_place_fts USING fts5(text, tokenize='unicode61 remove_diacritics 2')")

    def sync(self, rows) -> None:
        rows = list(rows)
        self.remove([r[0] for r in rows])
        self.add(rows)

    def add(self, rows) -> None:
        rows = list(rows)
        with connection.cursor() as cursor:
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

    def bbox_filter(self, west, south, east, north) -> RawSQL | Q:
        rtree = "SELECT id FROM places_place_rtree WHERE max_lon >= %s AND min_lon <= %s AND max_lat >= %s AND min_lat <= %s"
        params = (west, east, south, north)
        if _matches_many(rtree, params):
            return bbox_columns(west, south, east, north)
        return RawSQL(f'"places_place"."id" IN ({rtree})', params, output_field=BooleanField())

    def text_filter(self, tokens: list[str]) -> RawSQL:
        fts = "SELECT rowid FROM places_place_fts WHERE places_place_fts MATCH %s"
        match = " AND ".join(f'"{t}"*' for t in tokens)
        if _matches_many(fts, (match,)):
            # Folded tokens are \w runs joined by single spaces: a token prefix is a space followed by it.
            condition = " AND ".join(["instr(' ' || \"places_place\".search_text, ' ' || %s) > 0"] * len(tokens))
            return RawSQL(condition, tokens, output_field=BooleanField())
        return RawSQL(f'"places_place"."id" IN ({fts})', (match,), output_field=BooleanField())

    def text_ids(self, tokens):
        fts, match = "SELECT rowid FROM places_place_fts WHERE places_place_fts MATCH %s", " AND ".join(f'"{t}"*' for t in tokens)
        return None if _matches_many(fts, (match,)) else (fts, (match,))

    def among_ids(self, select, params):
        # An IN list is kept sorted: the places are looked up in id order, and a first page stops at its count's cap.
        return RawSQL(f'"places_place"."id" IN ({select})', params, output_field=BooleanField())


def bbox_columns(west: float, south: float, east: float, north: float) -> Q:
    """Return the bbox condition on the table's own columns, for boxes holding much of the table."""
    return Q(min_lon__isnull=False, max_lon__gte=west, min_lon__lte=east, max_lat__gte=south, min_lat__lte=north)


def _matches_many(select: str, params: tuple) -> bool:
    """Tell whether an index query finds at least MANY_MATCHES rows (reading no more than that).

    Past that, materialising the ids for `id IN (…)` costs more than walking the table in id order
    and testing each row, which stops as soon as a page (and the capped total) is full.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({select} LIMIT {MANY_MATCHES}) s", params)
        return cursor.fetchone()[0] >= MANY_MATCHES


class PostgresIndex(IndexDialect):
    def create(self, cursor) -> None:
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS place_bbox_gist ON places_place USING gist "
            "(box(point(min_lon, min_lat), point(max_lon, max_lat))) WHERE min_lon IS NOT NULL"
        )
        # A narrow table beside places_place, like SQLite's FTS5 table: a GIN match or a walk in id
        # order then reads ~30 vectors per page instead of one wide place row per page.
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {PG_SEARCH_TABLE} (id integer PRIMARY KEY, vector tsvector NOT NULL)")
        cursor.execute(f"CREATE INDEX IF NOT EXISTS place_search_vector_gin ON {PG_SEARCH_TABLE} USING gin (vector)")

    def sync(self, rows) -> None:
        self._write(list(rows), upsert=True)

    def add(self, rows) -> None:
        self._write(list(rows), upsert=False)

    def _write(self, rows: list, *, upsert: bool) -> None:
        if not rows:
            return
        conflict = " ON CONFLICT (id) DO UPDATE SET vector = excluded.vector" if upsert else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {PG_SEARCH_TABLE} (id, vector) SELECT i, to_tsvector('simple', t) "
                f"FROM unnest(%s::integer[], %s::text[]) AS u(i, t){conflict}",
                ([r[0] for r in rows], [r[5] for r in rows]),
            )

    def remove(self, ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {PG_SEARCH_TABLE} WHERE id = ANY(%s)", (list(ids),))

    def bbox_filter(self, west, south, east, north) -> RawSQL | Q:
        box = "min_lon IS NOT NULL AND box(point(min_lon, min_lat), point(max_lon, max_lat)) && box(point(%s, %s), point(%s, %s))"
        params = (west, south, east, north)
        # PostgreSQL guesses 0.5% of the table for any box, so it walks the primary key even for a
        # street's worth of places: count through the GiST index (stopping early) and decide ourselves.
        # Each GiST hit is a heap visit here: probe less far than SQLite's R*Tree, which holds its boxes.
        probe = min(MANY_MATCHES, POSTGRES_BOX_PROBE)
        many = _first_value(
            "SET enable_bitmapscan = off; "
            f"SELECT count(*) FROM (SELECT 1 FROM places_place WHERE {box} LIMIT {probe}) s; "
            "RESET enable_bitmapscan", params) >= probe
        if many:
            return bbox_columns(west, south, east, north)
        return _ids_from_index(f"SELECT id FROM places_place WHERE {box}", params)

    def text_filter(self, tokens: list[str]) -> RawSQL:
        query = " & ".join(f"{t}:*" for t in tokens)
        match = f"SELECT id FROM {PG_SEARCH_TABLE} WHERE vector @@ to_tsquery('simple', %s)"
        # Few matches: the GIN index lists them all. Many: walk the narrow table in id order beside the
        # places (a merge or nested-loop semi-join), which stops when the page and the capped total are full.
        if _estimate(match, (query,)) < PG_TEXT_WALK_ABOVE:
            # `IN (…)`, not `= ANY(ARRAY(…))`: a text search is often OR-ed with the categories its words name, and
            # there an array is searched element by element for every row walked (a hashed subplan is one probe).
            return RawSQL(f'"places_place"."id" IN ({match})', (query,), output_field=BooleanField())
        exists = f'EXISTS (SELECT 1 FROM {PG_SEARCH_TABLE} s WHERE s.id = "places_place"."id" AND s.vector @@ to_tsquery(\'simple\', %s))'
        return RawSQL(exists, (query,), output_field=BooleanField())

    def text_ids(self, tokens):
        match = f"SELECT id FROM {PG_SEARCH_TABLE} WHERE vector @@ to_tsquery('simple', %s)"
        params = (" & ".join(f"{t}:*" for t in tokens),)
        return None if _estimate(match, params) >= MANY_MATCHES else (match, params)

    def among_ids(self, select, params):
        return _ids_from_index(select, params)


def _first_value(statements: str, params: tuple):
    """Run several statements in one round trip (Django's client-side binding cursor) and return the first value of
    the first that returns rows."""
    # Sent as one simple query, they are one implicit transaction: if the count fails, its SET is rolled back too.
    with connection.cursor() as cursor:
        cursor.execute(statements, params)
        while cursor.description is None and cursor.nextset():
            pass
        value = cursor.fetchone()[0]
        while cursor.nextset():
            pass
    return value


def _estimate(select: str, params: tuple) -> float:
    """Return the planner's estimate of the rows a query returns (no rows are read)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {select}", params)
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]["Plan Rows"]


def _ids_from_index(select: str, params: tuple) -> RawSQL:
    """Return `id = ANY(ARRAY(select))`: evaluated once through its index, then looked up by primary key in order."""
    return RawSQL(f'"places_place"."id" = ANY(ARRAY({select}))', params, output_field=BooleanField())


def dialect(vendor: str | None = None) -> IndexDialect:
    """Return the index dialect of the default database (or of `vendor`)."""
    return PostgresIndex() if (vendor or connection.vendor) == "postgresql" else SQLiteIndex()


def query_tokens(text: str) -> list[str]:
    """Return the folded tokens of a search text, safe to put in either dialect's query."""
    return search_tokens(text)[:MAX_QUERY_TOKENS]
