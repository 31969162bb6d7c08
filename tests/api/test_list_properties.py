"""`GET /api/places?properties=`: a client asks for some keys of each place (as OGC API - Features' `properties`)."""

import json

import pytest

from tests.conftest import compost

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_places(api):
    for name in ("Compost A", "Compost B", "Compost C"):
        assert api.post("/api/places", compost(name={"fr": name})).status_code == 201


def _get(client, params: dict) -> dict:
    response = client.get("/api/places", params)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def test_each_place_holds_its_id_and_the_keys_named_with_their_whole_values(client, three_places):
    whole = _get(client, {})
    some = _get(client, {"properties": "name, geometry,categories"})
    assert [list(p) for p in some["places"]] == [["id", "name", "geometry", "categories"]] * 3
    assert some["places"] == [{k: p[k] for k in ("id", "name", "geometry", "categories")} for p in whole["places"]]


def test_the_page_says_the_same_licence_attribution_and_count_with_fewer_keys(client, three_places):
    whole, some = _get(client, {"limit": 2}), _get(client, {"limit": 2, "properties": "name"})
    for key in ("total", "total_exact", "count", "next_cursor", "licence", "licences", "attribution"):
        assert some[key] == whole[key], key


def test_the_next_page_keeps_the_keys_asked(client, three_places):
    first = _get(client, {"limit": 2, "properties": "status"})
    second = json.loads(client.get(first["next"]).content)
    assert [list(p) for p in second["places"]] == [["id", "status"]]


def test_an_empty_list_gives_the_ids_only(client, three_places):
    assert [list(p) for p in _get(client, {"properties": ""})["places"]] == [["id"]] * 3


def test_a_writer_gets_the_keys_named_of_places_built_afresh(api, three_places):
    body = json.loads(api.get("/api/places", {"properties": "contacts,url"}).content)
    assert [list(p) for p in body["places"]] == [["id", "contacts", "url"]] * 3


def test_a_key_no_place_has_is_refused_by_name(client, three_places):
    response = client.get("/api/places", {"properties": "name,nom,geom"})
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["errors"] == [
        {"field": "properties", "reason": "unknown property 'nom'"}, {"field": "properties", "reason": "unknown property 'geom'"}]


def test_the_openapi_document_says_properties_selects_keys_of_place_out(client):
    document = json.loads(client.get("/api/openapi.json").content)
    [parameter] = [p for p in document["paths"]["/api/places"]["get"]["parameters"] if p["name"] == "properties"]
    assert "PlaceOut" in parameter["description"] and parameter["required"] is False
    assert "PlaceOut" in document["components"]["schemas"]


def test_a_place_changed_since_it_was_last_cut_shows_its_new_values(client, api, three_places):
    before = _get(client, {"properties": "name,version"})["places"][0]
    changed = api.patch(f"/api/places/{before['id']}", {"version": before["version"], "name": {"fr": "Compost renommé"}})
    assert changed.status_code == 200, changed.content
    after = _get(client, {"properties": "name,version"})["places"][0]
    assert after == {"id": before["id"], "name": {"fr": "Compost renommé"}, "version": before["version"] + 1}


def test_places_cut_once_are_served_again_without_reading_their_bodies(client, three_places):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from foodcommons.places import public_json
    from foodcommons.places.models import Place

    assert public_json.refresh_public_json(Place.objects.values_list("pk", flat=True)) == 3
    public_json._CUT.clear()
    with CaptureQueriesContext(connection) as first:
        cold = _get(client, {"properties": "name,categories,geometry"})
    with CaptureQueriesContext(connection) as second:
        warm = _get(client, {"properties": "name,categories,geometry"})
    assert warm == cold and len(warm["places"]) == 3
    assert len(second.captured_queries) == len(first.captured_queries) - 1
    assert not any("j.body" in q["sql"] or "placeareaserved" in q["sql"] for q in second.captured_queries)


def test_keys_added_after_the_stored_body_are_cut_from_the_whole_place(client, three_places):
    whole = _get(client, {})
    some = _get(client, {"properties": "url,name,distance_m"})
    assert some["places"] == [{k: p[k] for k in ("id", "url", "name", "distance_m")} for p in whole["places"]]
