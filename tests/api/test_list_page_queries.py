"""What a page of `GET /api/places?bbox=` costs the database: a fixed number of queries, whatever the page holds."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from foodcommons.places import public_json, search_index
from foodcommons.places.models import Place
from tests.conftest import compost

pytestmark = pytest.mark.django_db
BOX = "4.30,50.80,4.40,50.90"


def _places(api, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        point = {"type": "Point", "coordinates": [4.35 + n / 1000, 50.85]}
        assert api.post("/api/places", compost(name={"fr": f"Compost {n}"}, geometry=point)).status_code == 201
    public_json.refresh_public_json(Place.objects.values_list("pk", flat=True))  # as after each commit


def _queries_of_a_page(client, params: dict) -> tuple[list[dict], dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/places", params)
    assert response.status_code == 200, response.content
    return queries.captured_queries, json.loads(response.content)


def test_a_box_page_takes_as_many_queries_for_twelve_places_as_for_three(client, api):
    _places(api, 3)
    few, page = _queries_of_a_page(client, {"bbox": BOX})
    assert page["count"] == 3
    _places(api, 9, start=3)
    queries, page = _queries_of_a_page(client, {"bbox": BOX})
    assert page["count"] == 12 and len(queries) == len(few)
    assert not any("placeareaserved" in q["sql"] for q in queries), "a place was built afresh, not read from its body"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's probe of a box is PostgreSQL's")
def test_the_probe_of_a_box_is_one_round_trip_and_leaves_bitmap_scans_as_they_were(client, api):
    _places(api, 3)
    with CaptureQueriesContext(connection) as queries:
        search_index.dialect().bbox_filter(4.30, 50.80, 4.40, 50.90)
    assert len(queries.captured_queries) == 1
    assert "SET enable_bitmapscan" in queries.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_bitmapscan")
        assert cursor.fetchone()[0] == "on"
    assert [p["name"]["fr"] for p in json.loads(client.get("/api/places", {"bbox": BOX}).content)["places"]] == [
        "Compost 0", "Compost 1", "Compost 2"]
