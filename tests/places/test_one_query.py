"""One query of places: each filter means the same in the API, the map, the directory, OGC API Features and the Atom feed."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from foodcommons.places.domain.query import FILTERS, Filter, identifiers, parse_place_query, register_filter
from foodcommons.places.services import create_place
from tests.conftest import compost

SCHAERBEEK = "21015"


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    """A compost in Schaerbeek, a food bank in Ixelles that serves Schaerbeek, a garden in Namur (map aggregates kept)."""

    def make(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return create_place(data=compost(**overrides)).place

    places = {
        "compost": make(),
        "serving": make(name={"fr": "Banque alimentaire d'Ixelles"}, categories=["food-bank"], attributes={},
                        geometry={"type": "Point", "coordinates": [4.372, 50.827]}, address={}, areas_served=[SCHAERBEEK]),
        "garden": make(name={"fr": "Jardin à Namur"}, categories=["community-garden"], attributes={}, address={},
                       geometry={"type": "Point", "coordinates": [4.867, 50.465]}),
    }
    assert places["serving"].commune_id != SCHAERBEEK
    return {key: place.public_id for key, place in places.items()}


def api_ids(client, params) -> set[str]:
    response = client.get("/api/places", params)
    assert response.status_code == 200, response.content
    return {p["id"] for p in json.loads(response.content)["places"]}


def map_ids(client, params) -> set[str]:
    # At a street's zoom over the whole country the map lists the places themselves (never the aggregates).
    view = json.loads(client.get("/map/clusters", {"zoom": "16", **params}).content)
    assert view["mode"] == "places", view
    return {p["id"] for p in view["places"]}


def directory_ids(client, params) -> set[str]:
    page = client.get("/directory", params, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    return set(re.findall(r'href="/places/([^"/]+)"', page)) - {"new"}  # an empty page invites adding a place


def ogc_ids(client, params) -> set[str]:
    response = client.get("/ogc/collections/places/items", params)
    assert response.status_code == 200, response.content
    return {f["id"] for f in json.loads(response.content)["features"]}


def atom_names(client, params) -> set[str]:
    root = ET.fromstring(client.get("/api/changes.atom", params).content)
    return {e.findtext("{http://www.w3.org/2005/Atom}title").removeprefix("New: ") for e in root.findall("{http://www.w3.org/2005/Atom}entry")}


@pytest.mark.parametrize(("params", "expected"), [
    ({"territory": SCHAERBEEK}, {"compost", "serving"}),  # in the commune, or serving it
    ({"territory": "04000"}, {"compost", "serving"}),  # a region holds its communes and what serves them
    ({"territory": "92000"}, {"garden"}),
    ({"category": "food-aid"}, {"serving"}),  # subcategories included
    ({"category": "community-garden"}, {"garden"}),
    ({"status": "active"}, {"compost", "serving", "garden"}),
    ({"bbox": "4.3,50.8,4.45,50.9"}, {"compost", "serving"}),
])
def test_a_filter_finds_the_same_places_in_the_api_the_map_the_directory_and_ogc(client, world, params, expected):
    wanted = {world[key] for key in expected}
    assert api_ids(client, params) == wanted
    assert map_ids(client, params) == wanted
    assert ogc_ids(client, params) == wanted
    if "bbox" not in params:  # the directory lists a territory, not a viewport
        assert directory_ids(client, params) == wanted


@pytest.mark.parametrize(("params", "expected"), [
    ({"q": "josaphat"}, {"compost"}),
    ({"attr": "public_deposits:true"}, {"compost"}),
    ({"fresh": "30"}, {"compost", "serving", "garden"}),
    ({"stale": "true"}, set()),
])
def test_filters_of_the_map_and_of_upkeep_mean_the_same_in_the_api(client, world, params, expected):
    wanted = {world[key] for key in expected}
    assert api_ids(client, params) == wanted
    assert map_ids(client, params) == wanted
    assert directory_ids(client, params) == wanted


def test_the_atom_feed_counts_a_place_serving_a_territory_in_it(client, world):
    assert atom_names(client, {"territory": SCHAERBEEK}) == {"Compost de quartier Josaphat", "Banque alimentaire d'Ixelles"}
    assert atom_names(client, {"category": "food-aid"}) == {"Banque alimentaire d'Ixelles"}


def test_the_map_counts_a_territory_like_the_api_in_clusters_too(client, world):
    api_total = json.loads(client.get("/api/places", {"territory": SCHAERBEEK}).content)["total"]
    clusters = json.loads(client.get("/map/clusters", {"zoom": "8", "territory": SCHAERBEEK}).content)
    assert clusters["total"] == api_total == 2


def test_a_bad_filter_is_the_same_invalid_input_everywhere(client, world):
    for response in (
        client.get("/api/places", {"territory": "99999"}),
        client.get("/map/clusters", {"territory": "99999"}),
        client.get("/ogc/collections/places/items", {"territory": "99999"}),
        client.get("/api/changes.atom", {"territory": "99999"}),
    ):
        assert response.status_code == 400
        assert json.loads(response.content)["errors"] == [{"field": "territory", "reason": "unknown territory NIS code '99999'"}]


def test_a_filter_registered_once_is_parsed_and_applied_by_the_map_and_the_directory(client, world):
    from django.db.models import Q

    entry = Filter("postcode", identifiers, lambda codes, query: Q(postcode__in=codes), "Postcode of the address; repeatable", many=True)
    register_filter(entry)
    try:
        assert parse_place_query(postcode=["1030"]).get("postcode") == ("1030",)
        assert map_ids(client, {"postcode": "1030"}) == {world["compost"]}
        assert directory_ids(client, {"postcode": "1030"}) == {world["compost"]}
    finally:
        del FILTERS["postcode"]


def test_the_api_documents_every_registered_filter(client):
    document = json.loads(client.get("/api/openapi.json").content)
    parameters = {p["name"] for p in document["paths"]["/api/places"]["get"]["parameters"]}
    assert set(FILTERS) <= parameters
    assert {"source", "stale", "attr", "fresh", "updated", "territory"} <= set(FILTERS)
