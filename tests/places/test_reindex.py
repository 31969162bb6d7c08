import io

import pytest
from django.core.management import call_command
from django.db import connection

from foodcommons.places.domain.query import parse_place_query
from foodcommons.places.selectors import search_places

pytestmark = pytest.mark.django_db


def test_reindex_makes_places_findable_again_after_their_index_rows_are_lost(make_place):
    make_place()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM places_place_fts")
            cursor.execute("DELETE FROM places_place_rtree")
        assert search_places(parse_place_query(q="josaphat")).total == 0
    call_command("reindex", stdout=io.StringIO())
    assert search_places(parse_place_query(q="josaphat")).total == 1
    assert search_places(parse_place_query(bbox="4.3,50.8,4.4,50.9")).total == 1
