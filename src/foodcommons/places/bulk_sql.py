"""Rows written in one statement (COPY on PostgreSQL, executemany on SQLite) and ids reserved for them: bulk writes of any area."""

import json
from collections.abc import Callable

import orjson
from django.db import connection
from django.db.models import DateTimeField, JSONField


def reserve_ids(model, count: int) -> list[int]:
    """Return `count` new primary keys of `model` for rows written with insert_rows (inside a writing transaction)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
            return [row[0] for row in cursor.fetchall()]
        # The transaction holds SQLite's write lock (IMMEDIATE transactions), so nobody takes these ids meanwhile.
        cursor.execute(
            "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f"COALESCE((SELECT MAX(id) FROM {connection.ops.quote_name(table)}), 0))",
            [table],
        )
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


def _preparer(field) -> Callable | None:
    if isinstance(field, JSONField):
        # What JSONField.get_db_prep_save gives (None is SQL NULL), without its layers: they cost a third of an import's writes.
        # COPY reads the JSON text into jsonb as PostgreSQL reads any literal.
        return _json_text(field.encoder)
    if isinstance(field, DateTimeField):
        # A batch shares one timestamp: adapt it once.
        cache: dict = {}
        return lambda value: cache[value] if value in cache else cache.setdefault(value, field.get_db_prep_save(value, connection))
    return None


def _json_text(encoder) -> Callable:
    """Return a function writing a value as JSON text as json.dumps(value, cls=encoder) reads it back, with orjson
    (several times faster): dates and anything else orjson does not know go through the field's encoder."""
    default = encoder().default if encoder else None
    options = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS

    def text(value):
        if value is None:
            return None
        try:
            return orjson.dumps(value, default=default, option=options).decode()
        except TypeError:  # e.g. an integer beyond 64 bits: the standard encoder words its own errors
            return json.dumps(value, cls=encoder)

    return text


def _prepared(model, columns: list[str], rows: list[tuple]) -> list[tuple]:
    # Only the columns that need preparing (JSON, timestamps) are touched.
    by_column = {f.attname: f for f in model._meta.concrete_fields}
    prepare = {i: p for i, c in enumerate(columns) if (p := _preparer(by_column[c]))}
    if not prepare or not rows:
        return rows
    # Column by column, then back to rows: a generator per row cost more than the JSON encoding itself.
    values = list(zip(*rows, strict=True))
    for i, preparer in prepare.items():
        values[i] = tuple(map(preparer, values[i]))
    return list(zip(*values, strict=True))


def insert_rows(model, rows: list[dict]) -> None:
    """Insert rows of column values in one statement (COPY on PostgreSQL); bulk_create costs ~3 µs per value."""
    if not rows:
        return
    columns = list(rows[0])
    insert_values(model, columns, [tuple(row[c] for c in columns) for row in rows])


def upsert_values(model, columns: list[str], rows: list[tuple], *, key: str) -> None:
    """Insert rows, or update those whose `key` is already there (concurrent writers of one row wait, never fail)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    updates = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in columns if c != key)
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))}) "
           f"ON CONFLICT ({quote(key)}) DO UPDATE SET {updates}")
    # In key order, so that two writers of overlapping rows take their locks in the same order (no deadlock).
    at = columns.index(key)
    with connection.cursor() as cursor:
        cursor.executemany(sql, _prepared(model, columns, sorted(rows, key=lambda row: row[at])))


def insert_values(model, columns: list[str], rows: list[tuple]) -> None:
    """Insert rows given as tuples in the order of `columns` (insert_rows without building a dict per row)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    values = _prepared(model, columns, rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
        else:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", values)
