"""The active offers as numpy columns, kept in memory by each process and checked against the database on every read.

Ranking a need or a territory's coverage looks at tens of thousands of offers; reading them from the database for each
request was most of the time. Each process keeps them as columns instead, tagged with the token of `OffersVersion`,
which a database trigger changes in the same transaction as any write to the offers. Each read first asks for that
token (one primary-key row): the same, the columns are current; different (another process, another connection, a
bulk write, a rolled-back transaction), they are read again. Many stateless processes thus stay correct.
"""

import json
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db import connection

from foodcommons.supply.domain.screening import OfferColumns
from foodcommons.supply.domain.units import WEEKS_PER_MONTH
from foodcommons.supply.models import Offer, OffersVersion

COLUMNS = ("pk", "public_id", "product", "volume_unit", "place_id", "month_mask", "volume", "volume_period", "lon", "lat",
           "delivery_radius_km", "delivery_communes", "minimum_order", "organic", "organic_expires", "intermediaries")
NOT_ORGANIC = -1  # organic_until of an offer without a certificate: before any day


@dataclass(frozen=True)
class ActiveOffers:
    """The active offers, one entry per offer in each column; `rows_of` and `serving` index them by product and commune."""

    token: int | None
    pk: np.ndarray
    public_ids: list[str]
    products: np.ndarray  # str
    units: np.ndarray  # str
    place_ids: np.ndarray
    month_mask: np.ndarray
    volume: np.ndarray
    weekly: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    radius_km: np.ndarray  # NaN when the offer delivers by commune only
    minimum_order: np.ndarray  # NaN when none
    organic_until: np.ndarray  # the certificate's expiry as a day number, NOT_ORGANIC when none
    intermediaries: np.ndarray
    by_product: dict[str, np.ndarray]
    by_commune: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.public_ids)

    def rows_of(self, products) -> np.ndarray:
        """Return the rows of the offers of these products, in row order."""
        parts = [self.by_product[p] for p in products if p in self.by_product]
        return np.sort(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)

    def serving(self, commune: str) -> np.ndarray:
        """Return the rows of the offers that deliver to this commune (NIS code) by name."""
        return self.by_commune.get(commune, np.empty(0, dtype=np.int64)) if commune else np.empty(0, dtype=np.int64)

    def volume_per_month(self, rows: np.ndarray) -> np.ndarray:
        """Return the monthly volumes of these rows."""
        return np.where(self.weekly[rows], self.volume[rows] * WEEKS_PER_MONTH, self.volume[rows])

    def screening_columns(self, rows: np.ndarray, unit: str, commune: str) -> OfferColumns:
        """Return the columns `screening.upper_bounds` takes, for these rows and a need in `unit` delivered in `commune`."""
        return OfferColumns(month_mask=self.month_mask[rows], volume=self.volume[rows], weekly=self.weekly[rows], same_unit=self.units[rows] == unit,
                            lon=self.lon[rows], lat=self.lat[rows], radius_km=self.radius_km[rows],
                            serves_commune=np.isin(rows, self.serving(commune)), minimum_order=self.minimum_order[rows],
                            organic_until=self.organic_until[rows], intermediaries=self.intermediaries[rows])


_lock = threading.Lock()
_current: ActiveOffers | None = None


def version_token() -> int | None:
    """Return the offers' version token (None when its row is missing, as after a flush: then nothing is kept)."""
    return OffersVersion.objects.filter(pk=1).values_list("token", flat=True).first()


def active_offers() -> ActiveOffers:
    """Return the active offers' columns: this process's copy when the version token has not changed, else read again."""
    global _current
    token = version_token()  # before the rows: a write between the two makes the next read see a new token, never the reverse
    found = _current
    if found is not None and token is not None and found.token == token:
        return found
    with _lock:
        _current = read_active_offers(token)
        return _current


def forget() -> None:
    """Drop this process's copy (the next read takes the offers from the database)."""
    global _current
    _current = None


def _number(value, default=np.nan):
    return default if value is None else value


def _day(organic, expires) -> int:
    if not organic or not expires:
        return NOT_ORGANIC
    return (expires if isinstance(expires, date) else date.fromisoformat(str(expires))).toordinal()


def _communes(value) -> list[str]:
    # PostgreSQL's driver gives the JSON list, SQLite's its text.
    if isinstance(value, str):
        return json.loads(value) if value not in ("", "[]") else []
    return list(value or ())


def read_active_offers(token: int | None) -> ActiveOffers:
    """Read the active offers from the database as columns (one query, plain cursor rows)."""
    sql, params = Offer.objects.filter(active=True).order_by("pk").values_list(*COLUMNS).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(COLUMNS)
    (pk, public_id, product, unit, place, mask, volume, period, lon, lat, radius, communes, minimum, organic, expires, intermediaries) = columns
    by_product: dict[str, list[int]] = defaultdict(list)
    for row, name in enumerate(product):
        by_product[name].append(row)
    by_commune: dict[str, list[int]] = defaultdict(list)
    for row, listed in enumerate(communes):
        for commune in _communes(listed):
            by_commune[str(commune)].append(row)
    return ActiveOffers(
        token=token, pk=np.array(pk, dtype=np.int64), public_ids=list(public_id), products=np.array(product, dtype=str),
        units=np.array(unit, dtype=str), place_ids=np.array(place, dtype=np.int64), month_mask=np.array(mask, dtype=np.int64),
        volume=np.array(volume, dtype=np.float64), weekly=np.array([p == "week" for p in period], dtype=bool),
        lon=np.array(lon, dtype=np.float64), lat=np.array(lat, dtype=np.float64),
        radius_km=np.array([_number(r) for r in radius], dtype=np.float64), minimum_order=np.array([_number(m) for m in minimum], dtype=np.float64),
        organic_until=np.array([_day(o, e) for o, e in zip(organic, expires, strict=True)], dtype=np.int64),
        intermediaries=np.array(intermediaries, dtype=np.float64),
        by_product={p: np.array(r, dtype=np.int64) for p, r in by_product.items()},
        by_commune={c: np.array(r, dtype=np.int64) for c, r in by_commune.items()},
    )
