"""Caches valid for every process: a copy is rebuilt when another process gave its data a new version."""

import time

import pytest

from foodcommons.core import versions
from foodcommons.core.models import CacheVersion


def another_process_changes(name: str) -> None:
    """What another process's change leaves in the shared database: only a new version (its own memory is its own)."""
    CacheVersion.objects.update_or_create(name=name, defaults={"value": 12345})


@pytest.fixture
def counted():
    builds = []
    cache = versions.SharedCache("test-data", lambda: builds.append(1) or len(builds))
    versions.start_request()  # what request_started does for us (Django's own receiver would close the connection)
    return cache, builds


@pytest.mark.django_db
def test_a_copy_is_built_once_and_kept_while_the_version_stays(counted):
    cache, builds = counted
    assert cache() == 1 and cache() == 1
    versions.start_request()
    assert cache() == 1 and len(builds) == 1


@pytest.mark.django_db
def test_a_change_by_another_process_is_seen_at_the_next_request(counted):
    cache, _ = counted
    assert cache() == 1
    another_process_changes("test-data")
    assert cache() == 1  # within one request the copy holds still: one read of the versions per request
    versions.start_request()
    assert cache() == 2


@pytest.mark.django_db
def test_outside_requests_the_versions_are_read_again_after_a_few_seconds_between_transactions(counted, monkeypatch):
    cache, _ = counted
    assert cache() == 1
    another_process_changes("test-data")
    later = time.monotonic() + versions.CHECK_SECONDS + 1
    monkeypatch.setattr(versions.time, "monotonic", lambda: later)
    assert cache() == 1  # inside a transaction (the test's own), a long job sees one version throughout
    monkeypatch.setattr(versions, "_in_transaction", lambda: False)  # as a worker between two jobs
    assert cache() == 2


@pytest.mark.django_db
def test_a_change_in_this_process_is_seen_at_once_even_within_the_request(counted):
    cache, _ = counted
    assert cache() == 1
    versions.bump("test-data")
    assert cache() == 2


@pytest.mark.django_db
def test_a_new_category_saved_elsewhere_is_known_at_the_next_request(client):
    from foodcommons.taxonomy.models import Category
    from foodcommons.taxonomy.selectors import category_tree

    assert client.get("/api/places", {"category": "seed-library"}).status_code == 400
    Category.objects.bulk_create([Category(slug="seed-library", label_fr="Grainothèque")])  # no signal, as in another process
    another_process_changes("taxonomy")
    assert client.get("/api/places", {"category": "seed-library"}).status_code == 200
    assert "seed-library" in category_tree().nodes


def test_reading_the_versions_once_per_request_costs_little(django_db_blocker):
    """The hot path: after the one read of a request, a call is a few dictionary lookups."""
    cache = versions.SharedCache("test-cost", dict)
    with django_db_blocker.unblock():
        versions.start_request()
        cache()
    start = time.perf_counter()
    for _ in range(100_000):
        cache()
    assert (time.perf_counter() - start) / 100_000 < 20e-6
