"""Bounded, explained input: each case of the outside audit, through the real API.

Every bad input is a problem document (400 with the field and the reason); none is a 500.
"""

import json

import pytest

from foodcommons.collaboration.models import Suggestion
from foodcommons.places.models import Place
from tests.conftest import compost

pytestmark = pytest.mark.django_db
HUGE = 2**70


def problem(response, status: int = 400) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"] == "application/problem+json"
    return json.loads(response.content)


def fields(document: dict) -> dict[str, str]:
    return {e["field"]: e["reason"] for e in document.get("errors", [])}


# --- versions -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("version", [-5, 0, 2**31, HUGE])
def test_a_suggestion_naming_a_negative_zero_or_huge_version_is_a_field_error(api, make_place, version):
    place = make_place()
    document = problem(api.post("/api/suggestions", {"kind": "delete", "place": place.public_id, "version": version}))
    assert "version" in fields(document)
    assert Suggestion.objects.count() == 0


@pytest.mark.parametrize("version", [-5, 0, HUGE])
def test_patch_revert_and_accept_with_an_out_of_range_version_are_field_errors(api, make_place, version):
    place = make_place()
    assert "version" in fields(problem(api.patch(f"/api/places/{place.public_id}", {"version": version, "opening_hours": "Mo 10:00-12:00"})))
    assert {"version", "to_version"} <= set(fields(problem(api.post(f"/api/places/{place.public_id}/revert", {"version": version, "to_version": version}))))
    assert "version" in fields(problem(api.post("/api/suggestions/unknown/accept", {"version": version})))
    place.refresh_from_db()
    assert place.version == 1


def test_a_suggestion_of_the_web_forms_with_a_bad_version_is_refused_by_the_service(make_place):
    from foodcommons.collaboration import services as collaboration
    from foodcommons.core.problems import InvalidInput

    place = make_place()
    with pytest.raises(InvalidInput) as refused:
        collaboration.suggest_only(kind="delete", public_id=place.public_id, data={}, base_version=-5, email="a@example.org")
    assert refused.value.errors[0].field == "version"
    assert Suggestion.objects.count() == 0


# --- geometries of the JSON API ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("geometry, reason", [
    ({"type": "Point", "coordinates": [[4.37, 50.86]]}, "nested deeper than a Point allows"),
    ({"type": "Polygon", "coordinates": [[[4.37, 50.86], [4.38, 50.86], [4.38, 50.87], [4.37, 50.87]]]}, "ring 1 is not closed"),
    ({"type": "Polygon", "coordinates": [[[4.37, 50.86], [4.38, 50.86], [4.37, 50.86]]]}, "a ring needs at least 4"),
    ({"type": "Polygon", "coordinates": [[[4, 50], [5, 51], [5, 50], [4, 51], [4, 50]]]}, "Self-intersection"),
    ({"type": "Polygon", "coordinates": [[4.37, 50.86], [4.38, 50.87]]}, "nested less deeply than a Polygon requires"),
    ({"type": "Point", "coordinates": [181, 50]}, "longitude 181 is out of range"),
    ({"type": "Point", "coordinates": [4, -91]}, "latitude -91 is out of range"),
    ({"type": "Point", "coordinates": [1e400, 50]}, "not a finite number"),
])
def test_a_bad_geometry_is_refused_with_its_reason(api, geometry, reason):
    document = problem(api.post("/api/places", compost(geometry=geometry)))
    assert any(name.startswith("geometry") and reason in text for name, text in fields(document).items()), document
    assert Place.objects.count() == 0


def test_nan_coordinates_are_refused_not_stored_as_zero_zero(api):
    body = json.dumps(compost(geometry={"type": "Point", "coordinates": [float("nan"), float("nan")]}))
    assert "NaN" in body
    document = problem(api.post("/api/places", raw=body))
    assert "not a finite number" in fields(document)["geometry.coordinates"]
    assert Place.objects.count() == 0


def test_a_geometry_of_another_type_or_nested_absurdly_deep_is_refused(api):
    assert "geometry.type" in fields(problem(api.post("/api/places", compost(geometry={"type": "LineString", "coordinates": [[4, 50], [5, 51]]}))))
    deep = '{"type": "Point", "coordinates": ' + "[" * 5000 + "]" * 5000 + "}"
    raw = json.dumps(compost(geometry=None)).replace('"geometry": null', f'"geometry": {deep}')
    problem(api.post("/api/places", raw=raw))
    assert Place.objects.count() == 0


def test_an_address_field_longer_than_its_column_is_a_field_error(api):
    document = problem(api.post("/api/places", compost(address={"house_number": "1" * 31, "locality": "x" * 201})))
    assert {"address.house_number", "address.locality"} <= set(fields(document))
