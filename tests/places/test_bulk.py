import pytest

from foodcommons.places import services
from foodcommons.places.bulk import bulk_create_places
from foodcommons.places.domain.query import parse_place_query
from foodcommons.places.models import Place, PlaceAreaServed, PlaceCategory, PlaceRevision
from foodcommons.places.selectors import search_places
from foodcommons.places.signals import places_changed
from tests.conftest import compost

pytestmark = pytest.mark.django_db

VOLATILE = {"id", "created_at", "updated_at"}


def _stable(state: dict) -> dict:
    return {k: v for k, v in state.items() if k not in VOLATILE}


def _revision(place: Place) -> dict:
    rev = PlaceRevision.objects.get(place=place)
    return {"version": rev.version, "action": rev.action, "comment": rev.comment, "author": rev.author_id, "state": _stable(rev.state)}


def _found_ids(**params) -> set[int]:
    return {p.pk for p in search_places(parse_place_query(limit=1000, **params)).places}


def test_a_bulk_created_place_equals_a_service_created_one(staff):
    served = compost(name={"fr": "Paniers de Schaerbeek"}, categories=["box-scheme"], attributes={}, areas_served=["21015", "21004"])
    for data in (compost(), served):
        single = services.create_place(data=data, author=staff, comment="same").place
        result = bulk_create_places(inputs=[data], author=staff, comment="same")
        assert result.created == 1 and result.errors == []
        bulk = Place.objects.exclude(pk=single.pk).get(name_fr=single.name_fr)
        assert _revision(bulk) == _revision(single)
        assert bulk.commune_id == single.commune_id == "21015"
        assert (bulk.min_lon, bulk.min_lat, bulk.max_lon, bulk.max_lat) == (single.min_lon, single.min_lat, single.max_lon, single.max_lat)
        assert bulk.search_text == single.search_text
        assert sorted(PlaceCategory.objects.filter(place=bulk).values_list("category_id", flat=True)) == sorted(
            PlaceCategory.objects.filter(place=single).values_list("category_id", flat=True)
        )
        assert sorted(PlaceAreaServed.objects.filter(place=bulk).values_list("territory_id", flat=True)) == sorted(
            PlaceAreaServed.objects.filter(place=single).values_list("territory_id", flat=True)
        )
    both = set(Place.objects.filter(name_fr="Compost de quartier Josaphat").values_list("pk", flat=True))
    assert len(both) == 2
    assert both <= _found_ids(q="josaphat kessels")
    assert both <= _found_ids(bbox="4.37,50.86,4.38,50.87")
    assert both <= _found_ids(territory="21015")
    assert both <= _found_ids(near="4.3779,50.8624", category=["neighbourhood-compost"])


def test_bad_rows_are_reported_with_their_row_and_field_and_do_not_stop_the_others():
    inputs = [
        compost(name={"fr": "Premier"}),
        compost(categories=["unicorns"]),
        compost(name={"fr": "Troisième"}),
        compost(geometry={"type": "Point", "coordinates": [400, 50]}, opening_hours="whenever"),
        "not an object",
        compost(name={"fr": "Sixième"}),
    ]
    result = bulk_create_places(inputs=inputs, batch_size=2)
    assert result.created == 3
    assert [(e.row, sorted({f.field.split(".")[0].split("[")[0] for f in e.errors})) for e in result.errors] == [
        (2, ["categories"]),
        (4, ["geometry", "opening_hours"]),
        (5, ["body"]),
    ]
    assert sorted(Place.objects.values_list("name_fr", flat=True)) == ["Premier", "Sixième", "Troisième"]
    assert PlaceRevision.objects.count() == 3


def test_a_place_without_a_point_takes_the_commune_of_its_address():
    data = compost(geometry=None, address={"commune": "25072", "locality": "Ottignies"})
    data_far = compost(geometry={"type": "Point", "coordinates": [5.8167, 49.6833]}, address={"commune": "25072"})
    bulk_create_places(inputs=[data, data_far])
    assert sorted(Place.objects.values_list("commune_id", flat=True)) == ["25072", "81001"]


def test_each_batch_announces_its_places_once_after_commit(django_capture_on_commit_callbacks):
    sent: list[list[int]] = []

    def listen(sender, place_ids, **kwargs):
        sent.append(place_ids)

    places_changed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            bulk_create_places(inputs=[compost(name={"fr": f"P{i}"}) for i in range(5)], batch_size=2)
    finally:
        places_changed.disconnect(listen)
    assert [len(ids) for ids in sent] == [2, 2, 1]
    assert sorted(i for ids in sent for i in ids) == sorted(Place.objects.values_list("pk", flat=True))


def test_progress_receives_the_row_numbers_and_places_of_each_batch():
    seen: list[tuple[int, str]] = []
    inputs = [compost(name={"fr": "A"}), compost(name=None), compost(name={"fr": "C"})]
    bulk_create_places(inputs=inputs, batch_size=10, progress=lambda done: seen.extend((row, p.name_fr) for row, p in done))
    assert seen == [(1, "A"), (3, "C")]
    assert all(Place.objects.filter(name_fr=name).exists() for _, name in seen)


def test_places_created_one_by_one_after_a_bulk_load_get_new_ids_and_identifiers():
    bulk_create_places(inputs=[compost(name={"fr": f"B{i}"}) for i in range(3)])
    single = services.create_place(data=compost(name={"fr": "After"})).place
    assert single.pk > max(Place.objects.exclude(pk=single.pk).values_list("pk", flat=True))
    public_ids = list(Place.objects.values_list("public_id", flat=True))
    assert len(set(public_ids)) == 4 and all(len(i) == 12 for i in public_ids)


def _spread(count: int) -> list[dict]:
    """Places on a small grid over Brussels, every third one in Dutch with another street."""
    inputs = []
    for i in range(count):
        lon, lat = 4.30 + (i % 6) * 0.02, 50.82 + (i // 6) * 0.01
        name = {"nl": f"Buurtcompost {i}"} if i % 3 == 0 else {"fr": f"Compost de quartier {i}"}
        inputs.append(compost(name=name, geometry={"type": "Point", "coordinates": [lon, lat]}))
    return inputs


def _all_ids(**params) -> list[int]:
    ids, cursor = [], None
    while True:
        page = search_places(parse_place_query(limit=7, cursor=cursor, **params))
        ids += [p.pk for p in page.places]
        if not (cursor := page.next_cursor):
            return ids


def test_searches_matching_much_of_the_table_find_the_same_places_as_through_the_indexes(monkeypatch):
    from foodcommons.places import search_index

    bulk_create_places(inputs=_spread(30))
    cases = [
        {"bbox": "4.29,50.81,4.35,50.86"},
        {"q": "buurtcompost"},
        {"q": "compost de"},
        {"q": "kessels 12"},
        {"bbox": "4.29,50.81,4.45,50.9", "q": "quartier"},
    ]
    through_indexes = [_all_ids(**case) for case in cases]
    monkeypatch.setattr(search_index, "MANY_MATCHES", 3)
    assert [_all_ids(**case) for case in cases] == through_indexes
    # "buurtcompost" names the category too (Dutch label): every compost, French names included.
    assert [len(ids) for ids in through_indexes] == [15, 30, 20, 1, 20]


def test_totals_are_exact_up_to_the_cap_and_say_so_past_it(monkeypatch):
    from foodcommons.places import selectors

    bulk_create_places(inputs=_spread(12))
    monkeypatch.setattr(selectors, "TOTAL_CAP", 10)
    everything = search_places(parse_place_query(limit=5))
    assert (everything.total, everything.total_exact, len(everything.places)) == (10, False, 5)
    few = search_places(parse_place_query(q="quartier"))
    assert (few.total, few.total_exact) == (8, True)
    near = search_places(parse_place_query(near="4.30,50.82", limit=3))
    assert (near.total, near.total_exact) == (10, False)


def test_near_widens_its_rings_until_the_page_is_full_nearest_first():
    offsets = [0.0005, 0.004, 0.03, 0.2, 1.0]
    inputs = [compost(name={"fr": f"À {d}"}, geometry={"type": "Point", "coordinates": [4.35, 50.5 + d]}) for d in reversed(offsets)]
    bulk_create_places(inputs=inputs)
    names, cursor = [], None
    while True:
        page = search_places(parse_place_query(near="4.35,50.5", limit=2, cursor=cursor))
        names += [p.name_fr for p in page.places]
        if not (cursor := page.next_cursor):
            break
    assert names == [f"À {d}" for d in offsets]


def test_a_bulk_load_widens_the_sqlite_cache_and_checkpoints_only_while_it_runs(db):
    from django.db import connection

    from foodcommons.places.bulk import BULK_CACHE_KIB, BULK_CHECKPOINT_PAGES, large_page_cache

    if connection.vendor != "sqlite":
        pytest.skip("SQLite pragmas")

    def pragmas():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            cache = cursor.fetchone()[0]
            cursor.execute("PRAGMA wal_autocheckpoint")
            return cache, cursor.fetchone()[0]

    before = pragmas()
    with large_page_cache():
        assert pragmas() == (-BULK_CACHE_KIB, BULK_CHECKPOINT_PAGES) != before
    assert pragmas() == before
