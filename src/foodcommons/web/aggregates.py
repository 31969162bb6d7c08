"""Keeping the map aggregates in step with places: incremental on every change, or rebuilt whole."""

from collections import defaultdict
from typing import NamedTuple

import numpy as np
from django.db import connection, transaction
from django.db.models import Q

from foodcommons.core.sql import array_text
from foodcommons.places.bulk_sql import insert_values
from foodcommons.places.models import Place, PlaceCategory
from foodcommons.taxonomy.selectors import category_tree
from foodcommons.web.domain.grid import MAX_LAT, aggregate_levels
from foodcommons.web.models import MapCell, MapPoint

UNCATEGORISED = "other"
BATCH = 5000
# Exact cell keys per lookup query: small enough for SQLite's expression depth limit.
KEYS_PER_QUERY = 200


def published_places():
    """Return the places the public map shows: not deleted, not closed, with a location."""
    return Place.objects.filter(deleted_at__isnull=True, lon__isnull=False, lat__isnull=False).exclude(status=Place.Status.CLOSED)


def _groups_of(place_ids: list[int]) -> dict[int, str]:
    """Return the top-level category of the first category of each place."""
    tree = category_tree()
    by_id = {node.id: slug for slug, node in tree.nodes.items()}
    groups: dict[int, str] = {}
    for place_id, category_id in PlaceCategory.objects.filter(place_id__in=place_ids).order_by("pk").values_list("place_id", "category_id"):
        if place_id not in groups and category_id in by_id:
            slug = by_id[category_id]
            groups[place_id] = ([slug, *tree.ancestors(slug)])[-1]
    return groups


def _group_of(tree, slugs) -> str:
    """Return the top-level category of the first known category (as _groups_of reads it)."""
    slug = next((s for s in slugs if s in tree.nodes), None)
    return ([slug, *tree.ancestors(slug)])[-1] if slug else UNCATEGORISED


def _points(place_ids: list[int]) -> list[MapPoint]:
    rows = list(published_places().filter(pk__in=place_ids).values_list("pk", "lon", "lat"))
    groups = _groups_of([r[0] for r in rows])
    return [MapPoint(place_id=pk, lon=lon, lat=lat, group=groups.get(pk, UNCATEGORISED)) for pk, lon, lat in rows]


def cells_of(lon: float, lat: float, levels: range) -> list[tuple[int, int]]:
    """Return grid.cell_of(lon, lat, level) for each level, projecting the point once."""
    x, y = cells_of_many(np.array([lon], dtype=float), np.array([lat], dtype=float), levels)
    return [(int(cx[0]), int(cy[0])) for cx, cy in zip(x, y, strict=True)]


def cells_of_many(lons: np.ndarray, lats: np.ndarray, levels: range) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Return, per level, the cell columns and rows of many points (grid.cell_of, computed on arrays)."""
    lats = np.clip(lats, -MAX_LAT, MAX_LAT)
    x = (lons + 180.0) / 360.0
    s = np.sin(np.radians(lats))
    y = 0.5 - np.log((1 + s) / (1 - s)) / (4 * np.pi)
    columns, rows = [], []
    for level in levels:
        n = 1 << level
        columns.append(np.clip(np.floor(x * n), 0, n - 1).astype(np.int64))
        rows.append(np.clip(np.floor(y * n), 0, n - 1).astype(np.int64))
    return columns, rows


def _deltas(points: list, sign: int, into: dict) -> None:
    # On arrays: projecting and binning every point at 14 levels one by one was a fifth of a bulk load.
    if not points:
        return
    levels = aggregate_levels()
    lons = np.fromiter((p.lon for p in points), dtype=float, count=len(points))
    lats = np.fromiter((p.lat for p in points), dtype=float, count=len(points))
    names: dict[str, int] = {}
    groups = np.fromiter((names.setdefault(p.group, len(names)) for p in points), dtype=np.int64, count=len(points))
    by_code = list(names)
    columns, rows = cells_of_many(lons, lats, levels)
    for level, cx, cy in zip(levels, columns, rows, strict=True):
        keys = (cx << level | cy) * len(by_code) + groups
        unique, which = np.unique(keys, return_inverse=True)
        counts = np.bincount(which)
        sums_lon, sums_lat = np.bincount(which, weights=lons), np.bincount(which, weights=lats)
        for key, count, sum_lon, sum_lat in zip(unique.tolist(), counts.tolist(), sums_lon.tolist(), sums_lat.tolist(), strict=True):
            cell, group = divmod(key, len(by_code))
            delta = into[(level, cell >> level, cell & ((1 << level) - 1), by_code[group])]
            delta[0] += sign * count
            delta[1] += sign * sum_lon
            delta[2] += sign * sum_lat


_UPSERT = (
    'INSERT INTO web_mapcell (level, x, y, "group", count, sum_lon, sum_lat) VALUES (%s, %s, %s, %s, %s, %s, %s) '
    'ON CONFLICT (level, x, y, "group") DO UPDATE SET count = web_mapcell.count + excluded.count, '
    "sum_lon = web_mapcell.sum_lon + excluded.sum_lon, sum_lat = web_mapcell.sum_lat + excluded.sum_lat"
)


# The same upsert from arrays: one statement per chunk on PostgreSQL, where one execution per row cost ~80 µs.
_UPSERT_ARRAYS = (
    'INSERT INTO web_mapcell (level, x, y, "group", count, sum_lon, sum_lat) '
    "SELECT * FROM unnest(%s::smallint[], %s::integer[], %s::integer[], %s::varchar[], %s::integer[], %s::float8[], %s::float8[]) "
    'ORDER BY 1, 2, 3, 4 ON CONFLICT (level, x, y, "group") DO UPDATE SET count = web_mapcell.count + excluded.count, '
    "sum_lon = web_mapcell.sum_lon + excluded.sum_lon, sum_lat = web_mapcell.sum_lat + excluded.sum_lat"
)


def _apply(deltas: dict) -> None:
    # An additive upsert, in a fixed key order: two writers adding to the same new cell both count,
    # and neither fails on the unique constraint nor deadlocks the other.
    rows = sorted(
        (level, x, y, group, count, sum_lon, sum_lat)
        for (level, x, y, group), (count, sum_lon, sum_lat) in deltas.items()
        if count or abs(sum_lon) > 1e-9 or abs(sum_lat) > 1e-9
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            if connection.vendor == "postgresql":
                cursor.execute(_UPSERT_ARRAYS, [array_text(column) for column in zip(*chunk, strict=True)])
            else:
                cursor.executemany(_UPSERT, chunk)
    by_level: dict[int, list[tuple]] = defaultdict(list)
    for level, x, y, group, count, *_ in rows:
        if count < 0:
            by_level[level].append((x, y, group))
    for level, keys in by_level.items():
        _drop_empty(level, keys)


def _drop_empty(level: int, keys: list[tuple]) -> None:
    for start in range(0, len(keys), KEYS_PER_QUERY):
        condition = Q()
        for x, y, group in keys[start : start + KEYS_PER_QUERY]:
            condition |= Q(x=x, y=y, group=group)
        MapCell.objects.filter(condition, level=level, count__lte=0).delete()


def refresh_places(*, place_ids: list[int]) -> None:
    """Move the contributions of these places from what was counted to what they are now."""
    place_ids = list(place_ids)
    with transaction.atomic():
        old = list(MapPoint.objects.select_for_update().filter(place_id__in=place_ids))
        new = _points(place_ids)
        deltas: dict = defaultdict(lambda: [0, 0.0, 0.0])
        _deltas(old, -1, deltas)
        _deltas(new, +1, deltas)
        _apply(deltas)
        MapPoint.objects.filter(place_id__in=place_ids).delete()
        MapPoint.objects.bulk_create(new, batch_size=BATCH)


def rebuild_all(*, progress=lambda done: None) -> int:
    """Recount every published place into empty aggregates; return how many were counted."""
    with transaction.atomic():
        MapCell.objects.all().delete()
        MapPoint.objects.all().delete()
        cells: dict = defaultdict(lambda: [0, 0.0, 0.0])
        done, last = 0, 0
        while True:
            ids = list(published_places().filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH])
            if not ids:
                break
            points = _points(ids)
            MapPoint.objects.bulk_create(points, batch_size=BATCH)
            _deltas(points, +1, cells)
            done, last = done + len(points), ids[-1]
            progress(done)
        MapCell.objects.bulk_create(
            (MapCell(level=k[0], x=k[1], y=k[2], group=k[3], count=v[0], sum_lon=v[1], sum_lat=v[2]) for k, v in cells.items()),
            batch_size=BATCH,
        )
    return done


def count_new_places(*, places: list) -> None:
    """Count places just created (places.bulk.NewPlace: id, lon, lat, status, categories) from what the writer knew, reading nothing back."""
    tree = category_tree()
    # Plain values, not MapPoint models: building a model per place cost as much as binning them all.
    points = [
        _Point(p.id, p.lon, p.lat, _group_of(tree, p.categories))
        for p in places
        if p.lon is not None and p.lat is not None and p.status != Place.Status.CLOSED
    ]
    deltas: dict = defaultdict(lambda: [0, 0.0, 0.0])
    _deltas(points, +1, deltas)
    with transaction.atomic():
        _apply(deltas)
        insert_values(MapPoint, ["place_id", "lon", "lat", "group"], points)


class _Point(NamedTuple):
    """What the aggregates count of a place (a MapPoint's columns, in their order)."""

    place_id: int
    lon: float
    lat: float
    group: str


def on_places_changed(sender, place_ids, created=None, **kwargs) -> None:
    """Receiver of `places_changed`: count created places from what the bulk writer sent, else refresh from the database."""
    if created is not None:
        count_new_places(places=created)
    else:
        refresh_places(place_ids=place_ids)
