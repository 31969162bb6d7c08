import io

import pytest
from django.db import connection

from foodcommons.core.problems import InvalidInput
from foodcommons.places import services
from foodcommons.places.domain.query import parse_place_query
from foodcommons.places.selectors import search_places
from tests.conftest import compost

pytestmark = pytest.mark.django_db


def names(page) -> list[str]:
    return [p.display_name("fr") for p in page.places]


def search(**params):
    return search_places(parse_place_query(**params))


@pytest.fixture
def places(db):
    """A few places across Brussels and Wallonia."""
    made = {}
    for key, data in {
        "compost": compost(),
        "grocery": compost(name={"fr": "Épicerie sociale du Nord"}, categories=["social-grocery"], attributes={"referral_required": True},
                           geometry={"type": "Point", "coordinates": [4.3517, 50.8466]}),
        "gasap": compost(name={"fr": "GASAP des Marolles", "nl": "GASAP Marollen"}, categories=["csa"], attributes={},
                         geometry={"type": "Point", "coordinates": [4.3480, 50.8370]}),
        "arlon": compost(name={"fr": "Boulangerie d'Arlon"}, categories=["bakery"], attributes={}, address={"locality": "Arlon"},
                         geometry={"type": "Point", "coordinates": [5.8167, 49.6833]}),
        "closed": compost(name={"fr": "Marché fermé"}, categories=["market"], attributes={}, status="closed",
                          geometry={"type": "Point", "coordinates": [4.86, 50.46]}),
    }.items():
        made[key] = services.create_place(data=data).place
    return made


def test_bbox_returns_only_places_inside(places):
    page = search(bbox="4.30,50.80,4.40,50.90")
    assert set(names(page)) == {"Compost de quartier Josaphat", "Épicerie sociale du Nord", "GASAP des Marolles"}
    assert page.total == 3


def test_text_search_ignores_accents_and_case(places):
    assert names(search(q="epicerie")) == ["Épicerie sociale du Nord"]
    assert names(search(q="MAROLLEN")) == ["GASAP des Marolles"]
    assert names(search(q="arlon boul")) == ["Boulangerie d'Arlon"]


def test_text_search_finds_words_of_the_address(places):
    assert "Compost de quartier Josaphat" in names(search(q="kessels"))


def test_category_filter_includes_subcategories(places):
    assert sorted(names(search(category=["short-chains"]))) == ["Boulangerie d'Arlon", "GASAP des Marolles", "Marché fermé"]
    assert names(search(category=["food-aid"])) == ["Épicerie sociale du Nord"]


def test_unknown_category_is_an_error(places):
    with pytest.raises(InvalidInput):
        search(category=["unicorns"])


def test_territory_filter_works_at_every_level(places):
    assert names(search(territory="21015")) == ["Compost de quartier Josaphat"]
    assert len(search(territory="04000").places) == 3
    assert names(search(territory="80000")) == ["Boulangerie d'Arlon"]
    assert sorted(names(search(territory="03000"))) == ["Boulangerie d'Arlon", "Marché fermé"]


def test_territory_filter_includes_places_serving_the_area(places):
    services.create_place(data=compost(name={"fr": "Paniers du Luxembourg"}, categories=["box-scheme"], attributes={},
                                       geometry=None, areas_served=["80000"]))
    assert "Paniers du Luxembourg" in names(search(territory="81001"))


def test_status_filter(places):
    assert names(search(status=["closed"])) == ["Marché fermé"]


def test_near_sorts_by_distance_and_gives_metres(places):
    page = search(near="4.3480,50.8370", limit=3)
    assert names(page)[0] == "GASAP des Marolles"
    distances = [page.distances[p.pk] for p in page.places]
    assert distances == sorted(distances) and distances[0] < 1
    assert page.total == 5


def test_near_pages_continue_without_gaps_or_repeats(places):
    seen, cursor = [], None
    while True:
        page = search(near="4.3480,50.8370", limit=2, cursor=cursor)
        seen += names(page)
        cursor = page.next_cursor
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 5
    assert seen[-1] == "Boulangerie d'Arlon"


def test_cursor_pages_are_stable_while_places_are_added(places):
    first = search(limit=2)
    services.create_place(data=compost(name={"fr": "Nouveau"}))
    second = search(limit=10, cursor=first.next_cursor)
    assert set(names(first)).isdisjoint(names(second))
    assert len(names(first)) + len(names(second)) == 6


def test_deleted_places_are_not_found(places):
    services.delete_place(public_id=places["gasap"].public_id)
    assert "GASAP des Marolles" not in names(search(q="gasap"))
    assert "GASAP des Marolles" not in names(search(bbox="4.30,50.80,4.40,50.90"))


def _plan(sql_params) -> str:
    sql, params = sql_params
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row) for row in cursor.fetchall())


def _query_sql(**params):
    from foodcommons.places.selectors import matching_places

    return matching_places(parse_place_query(**params)).values("pk").query.sql_with_params()


def test_bbox_queries_use_the_spatial_index(places):
    plan = _plan(_query_sql(bbox="4.3,50.8,4.4,50.9"))
    assert ("place_bbox_gist" in plan) if connection.vendor == "postgresql" else ("places_place_rtree VIRTUAL TABLE INDEX" in plan)


def test_text_queries_use_the_full_text_index(places):
    plan = _plan(_query_sql(q="compost"))
    assert ("place_search_vector_gin" in plan) if connection.vendor == "postgresql" else ("places_place_fts VIRTUAL TABLE INDEX" in plan)


def test_territory_queries_use_the_commune_index(places):
    plan = _plan(_query_sql(territory="21015"))
    assert "commune_id" in plan and "index" in plan.lower()
    assert "Seq Scan" not in plan and "SCAN places_place\n" not in plan


@pytest.fixture
def dense_matches(monkeypatch):
    """Make every text search take the path of words found in a large share of places."""
    from foodcommons.places import search_index

    monkeypatch.setattr(search_index, "PG_TEXT_WALK_ABOVE", 0)
    monkeypatch.setattr(search_index, "MANY_MATCHES", 1)


def test_text_search_of_a_word_in_many_places_finds_the_same_places(places, dense_matches):
    assert names(search(q="epicerie")) == ["Épicerie sociale du Nord"]
    assert sorted(names(search(q="gasap marol"))) == ["GASAP des Marolles"]
    assert names(search(q="epicerie", bbox="5.0,49.0,6.0,50.0")) == []


def test_text_search_of_a_common_word_pages_and_skips_deleted_places(places, dense_matches):
    services.delete_place(public_id=places["gasap"].public_id)
    found, cursor = [], None
    for _ in range(5):
        page = search_places(parse_place_query(q="schaerbeek", limit=1, cursor=cursor))
        found += names(page)
        if not (cursor := page.next_cursor):
            break
    assert sorted(found) == ["Compost de quartier Josaphat", "Marché fermé", "Épicerie sociale du Nord"]


def test_a_restored_place_is_found_by_text_again(places):
    services.delete_place(public_id=places["arlon"].public_id)
    assert names(search(q="arlon")) == []
    services.restore_place(public_id=places["arlon"].public_id)
    assert names(search(q="arlon")) == ["Boulangerie d'Arlon"]


def test_reindex_rebuilds_the_text_index(places):
    from django.core.management import call_command

    from foodcommons.places import search_index

    table = search_index.PG_SEARCH_TABLE if connection.vendor == "postgresql" else "places_place_fts"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
    assert names(search(q="arlon")) == []
    call_command("reindex", stdout=io.StringIO())
    assert names(search(q="arlon")) == ["Boulangerie d'Arlon"]
