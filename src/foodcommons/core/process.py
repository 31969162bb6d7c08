"""Preparing a long-running server process for steady response times."""

import gc
import logging

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

    get_resolver().url_patterns  # imports every view, the API and its schemas
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
