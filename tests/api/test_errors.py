import json

import pytest
from django.test import override_settings

from tests.conftest import compost

pytestmark = pytest.mark.django_db


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    data = json.loads(response.content)
    assert data["status"] == status and data["title"]
    return data


def fields(data: dict) -> list[str]:
    return [e["field"] for e in data.get("errors", [])]


def test_malformed_json_is_a_400_problem(api):
    data = problem(api.post("/api/places", raw="{not json"), 400)
    assert fields(data) == ["body"]


def test_unknown_category_names_the_field(api):
    data = problem(api.post("/api/places", compost(categories=["unicorn-farm"])), 400)
    assert data["errors"] == [{"field": "categories", "reason": "unknown category 'unicorn-farm'"}]


def test_invalid_opening_hours_names_the_field(api):
    assert fields(problem(api.post("/api/places", compost(opening_hours="whenever")), 400)) == ["opening_hours"]


def test_coordinates_out_of_range_are_refused(api):
    data = problem(api.post("/api/places", compost(geometry={"type": "Point", "coordinates": [4.3, 123]})), 400)
    assert fields(data) == ["geometry.coordinates"]


def test_coordinates_outside_belgium_are_accepted_with_a_warning(api):
    response = api.post("/api/places", compost(geometry={"type": "Point", "coordinates": [2.35, 48.85]}))
    assert response.status_code == 201
    assert json.loads(response.content)["warnings"] == [{"field": "geometry", "reason": "the place lies outside Belgium"}]


def test_unknown_fields_are_refused_not_ignored(api):
    assert fields(problem(api.post("/api/places", {**compost(), "colour": "green"}), 400)) == ["colour"]


def test_several_bad_fields_are_all_reported(api):
    data = problem(api.post("/api/places", compost(name={}, contacts=[{"kind": "email", "value": "x"}], attributes={"public_deposits": "maybe"})), 400)
    assert set(fields(data)) == {"name", "contacts[0].value", "attributes.public_deposits"}


@override_settings(FOODCOMMONS_MAX_BODY_BYTES=2000)
def test_an_oversized_body_is_refused_with_413(api):
    problem(api.post("/api/places", compost(description={"fr": "x" * 5000})), 413)


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2000)
def test_a_body_over_djangos_own_limit_is_also_a_413_problem(api):
    problem(api.post("/api/places", compost(description={"fr": "x" * 5000})), 413)


@pytest.mark.parametrize(("params", "field"), [
    ({"bbox": "1,2,3"}, "bbox"),
    ({"bbox": "5,50,4,51"}, "bbox"),
    ({"cursor": "garbage"}, "cursor"),
    ({"limit": "many"}, "limit"),
    ({"limit": "0"}, "limit"),
    ({"near": "4.3"}, "near"),
    ({"territory": "12345"}, "territory"),
    ({"category": "nope"}, "category"),
    ({"status": "sleeping"}, "status"),
])
def test_bad_search_parameters_are_400_problems(client, params, field):
    for path in ("/api/places", "/api/places.geojson", "/api/places.csv"):
        assert field in fields(problem(client.get(path, params), 400))


def test_unknown_place_is_a_404_problem(client):
    assert problem(client.get("/api/places/doesnotexist"), 404)["type"] == "/api/problems/not-found"


def test_patch_without_version_is_refused(api):
    place = json.loads(api.post("/api/places", compost()).content)
    assert "version" in fields(problem(api.patch(f"/api/places/{place['id']}", {"status": "closed"}), 400))


def test_nothing_is_half_written_when_validation_fails(api):
    from foodcommons.places.models import Place, PlaceRevision

    api.post("/api/places", compost(categories=["nope"]))
    assert Place.objects.count() == PlaceRevision.objects.count() == 0
