"""The place listing is encoded without django-ninja's response validation: hold it to its documented schema."""

import json

import pytest

from foodcommons.places.schemas import PlaceListOut
from tests.conftest import compost

pytestmark = pytest.mark.django_db


def _documented(body: dict) -> dict:
    """Return what django-ninja would have answered for `body` after validating it."""
    return json.loads(PlaceListOut.model_validate(body).model_dump_json())


@pytest.fixture
def varied_places(api, make_place):
    api.post("/api/places", compost())
    api.post("/api/places", compost(name={"nl": "Buurtmoestuin"}, categories=["community-garden"], contacts=[]))
    area = {"type": "Polygon", "coordinates": [[[4.37, 50.86], [4.38, 50.86], [4.38, 50.87], [4.37, 50.86]]]}
    api.post("/api/places", compost(geometry=area, address={}, opening_hours="", attributes={}))
    api.post("/api/places", compost(geometry=None, areas_served=["21015"], address={}))


@pytest.mark.parametrize(
    "params",
    [{}, {"near": "4.37,50.86"}, {"q": "compost"}, {"limit": 1}, {"bbox": "4.3,50.8,4.5,50.9"}],
    ids=["plain", "near", "text", "paged", "bbox"],
)
def test_the_listing_is_exactly_what_its_schema_documents(client, varied_places, params):
    response = client.get("/api/places", params)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["count"] >= 1
    assert body == _documented(body)


def test_the_listing_of_a_writer_keeps_private_contacts_and_its_schema(api, varied_places):
    body = json.loads(api.get("/api/places").content)
    assert any(c.get("private") for p in body["places"] for c in p["contacts"])
    assert body == _documented(body)


def test_the_listing_hides_private_contacts_from_the_public(client, varied_places):
    body = json.loads(client.get("/api/places").content)
    assert not any(c.get("private") for p in body["places"] for c in p["contacts"])


def test_near_gives_distances_and_other_listings_give_null(client, varied_places):
    near = json.loads(client.get("/api/places", {"near": "4.3779782,50.8624152"}).content)
    assert near["places"][0]["distance_m"] == 0.0
    plain = json.loads(client.get("/api/places").content)
    assert {p["distance_m"] for p in plain["places"]} == {None}
