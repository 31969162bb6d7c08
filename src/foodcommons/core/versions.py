"""In-memory copies of small shared data, valid for every process: each is checked against a version in the database.

A change bumps the version of its data (`bump`) in its own transaction. A process reads all versions at most once per
request it serves (one SELECT on a table of a few rows, for every cache at once) and, outside requests (commands,
tasks), at most once every CHECK_SECONDS between transactions; it rebuilds a copy only when its version moved. A version is a random value,
not a counter, so that a change rolled back can never leave a copy whose version a later change would reuse.
"""

import random
import threading
import time
from collections.abc import Callable

from django.core.signals import request_started
from django.db import connection

CHECK_SECONDS = 2.0
_local = threading.local()


def bump(name: str) -> None:
    """Give the data `name` a new version: every process rebuilds its copy on its next check."""
    from foodcommons.core.models import CacheVersion

    value = random.getrandbits(62)
    if not CacheVersion.objects.filter(name=name).update(value=value):
        CacheVersion.objects.get_or_create(name=name, defaults={"value": value})
    forget_versions_read()  # this thread must see its own change at once, even within the request that made it


def _read_versions() -> dict[str, int]:
    from foodcommons.core.models import CacheVersion

    # A plain cursor: the ORM's query building would cost more than this SELECT of a few rows on every request.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, value FROM {CacheVersion._meta.db_table}")
        return dict(cursor.fetchall())


def _versions() -> dict[str, int]:
    """Return the versions this thread read in the current request (or in the last CHECK_SECONDS), reading them if not."""
    now = time.monotonic()
    request = getattr(_local, "request", None)
    seen = getattr(_local, "seen", None)
    # Within a transaction the copies hold still (an import run sees one taxonomy from start to end): by time,
    # the versions are read again only between transactions.
    stale = now - seen[1] > CHECK_SECONDS and not _in_transaction() if seen else True
    if stale or seen[0] is not request:
        seen = (request, now, _read_versions())
        _local.seen = seen
    return seen[2]


def _in_transaction() -> bool:
    return connection.in_atomic_block


def start_request(**_) -> None:
    """Mark the start of a request in this thread (on request_started): its first use reads the versions again."""
    _local.request = object()  # a token: the versions read under another one are read again


def forget_versions_read() -> None:
    """Make this thread read the versions again at its next use (after it bumped one itself)."""
    _local.seen = None


request_started.connect(start_request, dispatch_uid="foodcommons-cache-versions")


class SharedCache:
    """A value built from the database and kept in memory until the version of its data changes in any process."""

    def __init__(self, name: str, build: Callable[[], object]):
        self.name, self.build = name, build
        self._lock = threading.Lock()
        self._copy: tuple[int | None, object] | None = None

    def __call__(self):
        """Return the copy, rebuilt first when its version is not the current one."""
        current = _versions().get(self.name)
        copy = self._copy
        if copy is not None and copy[0] == current:
            return copy[1]
        with self._lock:
            if self._copy is not None and self._copy[0] == current:
                return self._copy[1]
            value = self.build()  # built after the version was read: a change in between only causes one more rebuild
            self._copy = (current, value)
            return value

    @property
    def is_built(self) -> bool:
        """Tell whether this process holds a copy (warm), whatever its version."""
        return self._copy is not None

    def cache_clear(self) -> None:
        """Drop this process's copy (the next call rebuilds it)."""
        self._copy = None


def shared_cache(name: str) -> Callable[[Callable[[], object]], SharedCache]:
    """Decorate a function without arguments whose result every process keeps until the version `name` changes."""
    return lambda build: SharedCache(name, build)
