"""Imports large enough for the bulk path: written set-wise, announced once per run, the map kept exact."""

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from foodcommons.imports.models import FieldClaim, RunChange, Source, SourceRecord
from foodcommons.imports.services import runs
from foodcommons.places.models import Place, PlaceRevision
from foodcommons.places.signals import places_changed
from foodcommons.web.aggregates import rebuild_all
from foodcommons.web.models import MapCell, MapPoint

pytestmark = pytest.mark.django_db

HEADER = "id;name;type;lat;lon;email\n"
KINDS = ["potager", "gasap", "compost", "ferme"]


def many(count: int, *, town: str = "r", lon: float = 4.30) -> bytes:
    """A file of `count` actors unlike each other spread over a town (more than the bulk path's threshold)."""
    rows = [
        f"{town}{i};{hashlib.sha1(f'{town}{i}'.encode()).hexdigest()[:12]};{KINDS[i % 4]};{50.80 + (i % 40) * 0.003:.5f};"
        f"{lon + (i // 40) * 0.004:.5f};{town}{i}@example.org\n"
        for i in range(count)
    ]
    return (HEADER + "".join(rows)).encode()


def source() -> Source:
    return Source.objects.create(slug="network", name="network", licence="CC0-1.0", attribution="© network")


def cells() -> list[tuple]:
    return sorted(MapCell.objects.values_list("level", "x", "y", "group", "count"))


def map_equals_a_recount() -> bool:
    kept = cells()
    rebuild_all()
    return kept == cells()


@pytest.fixture
def announcements():
    heard: list[dict] = []

    def listen(sender, **kwargs):
        heard.append(kwargs)

    places_changed.connect(listen)
    yield heard
    places_changed.disconnect(listen)


def test_a_large_import_is_announced_once_with_what_it_created_and_the_map_equals_a_recount(announcements, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.import_file(data=many(120), source=source(), file_format="csv")
    assert run.counts["created"] == 120
    assert len(announcements) == 1
    (heard,) = announcements
    assert sorted(heard["place_ids"]) == sorted(Place.objects.values_list("pk", flat=True))
    assert {p.id for p in heard["created"]} == set(heard["place_ids"])
    assert MapPoint.objects.count() == 120 and map_equals_a_recount()


def test_a_large_import_writes_one_record_revision_and_change_per_place_and_its_claims_then_nothing_again():
    src = source()
    run = runs.import_file(data=many(80), source=src, file_format="csv")
    assert (SourceRecord.objects.count(), PlaceRevision.objects.count(), RunChange.objects.filter(run=run, created=True).count()) == (80, 80, 80)
    assert set(FieldClaim.objects.filter(run=run).values_list("field", flat=True)) == {"name.fr", "categories", "geometry", "contacts"}
    assert FieldClaim.objects.filter(run=run).count() == 4 * 80
    again = runs.import_file(data=many(80), source=src, file_format="csv")
    assert again.counts["unchanged"] == 80 and PlaceRevision.objects.count() == 80 and FieldClaim.objects.count() == 4 * 80


def test_the_queries_of_a_large_import_do_not_grow_with_its_records(django_capture_on_commit_callbacks):
    def queries(count: int, town: str, lon: float) -> int:
        src = Source.objects.create(slug=town, name=town, licence="CC0-1.0", attribution=town)
        with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks(execute=True):
            runs.import_file(data=many(count, town=town, lon=lon), source=src, file_format="csv")
        return len(captured)

    queries(60, "warm", 3.0)  # fills the per-process caches of taxonomy and territories
    assert queries(120, "first", 4.30) == queries(480, "second", 5.50)


def test_a_dry_run_of_a_large_import_announces_nothing_and_leaves_the_map_alone(announcements, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = runs.import_file(data=many(60), source=source(), file_format="csv", dry_run=True)
    assert run.counts["created"] == 60 and callbacks == [] and announcements == []
    assert not Place.objects.exists() and not MapPoint.objects.exists() and not MapCell.objects.exists()


def test_reverting_a_large_import_takes_its_places_off_the_map(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.import_file(data=many(60), source=source(), file_format="csv")
    with django_capture_on_commit_callbacks(execute=True):
        runs.revert_run(run_id=run.pk)
    assert not MapPoint.objects.exists() and not MapCell.objects.exists()


def listed_again(data: bytes, *, prefix: str, changed: int = 0) -> bytes:
    """The same actors as another network lists them: its own identifiers, the first `changed` with another e-mail."""
    header, *rows = data.decode().splitlines()
    again = []
    for i, row in enumerate(rows):
        cells = row.split(";")
        cells[0] = f"{prefix}{i}"
        if i < changed:
            cells[-1] = f"new{i}@example.org"
        again.append(";".join(cells))
    return ("\n".join([header, *again]) + "\n").encode()


def test_a_second_source_matching_many_existing_places_merges_them_set_wise(django_capture_on_commit_callbacks):
    def queries(count: int, town: str, lon: float, changed: int = 0) -> tuple[int, object]:
        first = many(count, town=town, lon=lon)
        runs.import_file(data=first, source=Source.objects.create(slug=town, name=town, licence="CC0-1.0", attribution=town), file_format="csv")
        second = Source.objects.create(slug=f"{town}-2", name=f"{town} 2", licence="CC0-1.0", attribution=town)
        with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks(execute=True):
            run = runs.import_file(data=listed_again(first, prefix="m", changed=changed), source=second, file_format="csv")
        return len(captured), run

    queries(60, "warm", 3.0)
    few, run = queries(60, "first", 4.30)
    many_, _ = queries(240, "second", 5.50)
    assert run.counts["merged"] == 60 and run.counts["created"] == 0
    assert few == many_  # nothing written record by record: no place changed its published values
    revisions = PlaceRevision.objects.count()
    _, changed_run = queries(60, "third", 6.0, changed=5)
    # The newer source's e-mail wins (the conflict policy): only those five places get a revision, each from one write.
    assert changed_run.counts["merged"] == 60 and PlaceRevision.objects.count() == revisions + 60 + 5
    third = Place.objects.filter(source_records__source__slug="third-2").distinct()
    assert sorted(c["value"] for p in third for c in p.contacts if c["value"].startswith("new")) == [f"new{i}@example.org" for i in range(5)]
    runs.revert_run(run_id=changed_run.pk)
    assert not [c for p in Place.objects.all() for c in p.contacts if c["value"].startswith("new")]
    assert not SourceRecord.objects.filter(source__slug="third-2").exists()


def test_reverting_a_run_that_joined_two_of_its_records_to_one_place_gives_the_place_back():
    known = runs.import_file(data=many(5), source=source(), file_format="csv")
    header, *rows = many(5).decode().splitlines()
    twice = ("\n".join([header, *rows, rows[0].replace("r0;", "r0-again;", 1).replace("@example.org", "@example.net")]) + "\n").encode()
    place = Place.objects.get(public_id=known.decisions[0]["place"])
    run = runs.import_file(data=listed_again(twice, prefix="m"), source=Source.objects.create(slug="m", name="m", licence="CC0-1.0"), file_format="csv")
    assert run.counts["merged"] == 6 and RunChange.objects.filter(run=run, place=place).count() == 2
    runs.revert_run(run_id=run.pk)
    place.refresh_from_db()
    assert [c["value"] for c in place.contacts] == ["r0@example.org"]
