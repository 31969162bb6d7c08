"""Preparing a long-running server process for steady response times."""

import gc
import logging
import os
from dataclasses import asdict, dataclass

from django.db import DatabaseError, connections

log = logging.getLogger(__name__)


def settle_server_process() -> None:
    """Load the caches every request reads, then exempt all objects alive so far from garbage collection.

    A full collection walks every tracked object. After start-up most of them (modules, the taxonomy
    and territory tables, the commune shapes) live as long as the process, and walking them made
    about one request in twenty 60 ms slower (measured at 1M places; see docs/performance.md).
    """
    from django.urls import get_resolver

    from foodcommons.taxonomy.selectors import category_tree
    from foodcommons.territories.selectors import ancestors_of, commune_index

    _ = get_resolver().url_patterns  # imports every view, the API and its schemas
    try:
        category_tree()
        ancestors_of("04000")
        commune_index()
    except DatabaseError as error:  # not migrated yet: the caches fill on first use instead
        log.warning("caches not warmed: %s", error)
    finally:
        connections.close_all()  # a server that forks workers must not share this connection
    gc.collect()
    gc.freeze()


@dataclass(frozen=True)
class ServerSize:
    """How many requests a waitress server works on and how many connections it holds."""

    threads: int  # requests worked on at once
    connection_limit: int  # open connections (idle keep-alive ones included) before it stops accepting
    backlog: int  # connections the kernel queues before accept
    channel_timeout: int  # seconds an idle connection stays open

    def waitress_options(self) -> dict:
        """Return these figures as waitress.serve keyword arguments."""
        # poll(), not select(): select() cannot watch more than 1024 sockets.
        return {**asdict(self), "asyncore_use_poll": True}


def usable_cpus() -> int:
    """Return the CPUs this process may run on (its affinity mask, else the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def server_size(env=os.environ, *, cpus: int | None = None) -> ServerSize:
    """Return the default size of `foodcommons serve` for this machine; FOODCOMMONS_SERVE_* variables override each figure.

    Threads follow the CPUs (four per CPU, 8 to 32: a request waits on the database part of its time).
    Every keep-alive client holds a connection even between its requests, and waitress stops accepting
    past `connection_limit` (100 by default): 200 readers left the others in the backlog until they timed out.
    """
    cpus = cpus or usable_cpus()

    def figure(name: str, default: int) -> int:
        return int(env.get(f"FOODCOMMONS_SERVE_{name}") or default)

    return ServerSize(
        threads=figure("THREADS", min(32, max(8, 4 * cpus))),
        connection_limit=figure("CONNECTIONS", 1000),
        backlog=figure("BACKLOG", 2048),
        channel_timeout=figure("CHANNEL_TIMEOUT", 120),
    )


def allow_open_files(connections_wanted: int, *, spare: int = 256) -> int:
    """Raise the open-file limit towards what `connections_wanted` sockets need; return how many connections fit."""
    try:
        import resource
    except ImportError:  # Windows: no such limit to raise
        return connections_wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections_wanted + spare
    if soft != resource.RLIM_INFINITY and soft < wanted:
        raised = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
            soft = raised
        except (ValueError, OSError):
            pass
    return connections_wanted if soft == resource.RLIM_INFINITY else max(1, min(connections_wanted, soft - spare))
