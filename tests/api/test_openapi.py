import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def openapi(client) -> dict:
    return json.loads(client.get("/api/openapi.json").content)


def test_the_openapi_document_is_version_3(openapi):
    assert openapi["openapi"].startswith("3.")
    assert openapi["info"]["title"] == "foodcommons API"


def test_every_api_route_is_in_the_openapi_document(openapi):
    from foodcommons.api.api import api

    documented = set(openapi["paths"])
    for prefix, router in api._routers:
        for path in router.path_operations:
            full = ("/api/" + (prefix + path).strip("/")).replace("//", "/").replace("/.", ".")
            normalised = full.replace("<", "{").replace(">", "}")
            assert any(d.rstrip("/") == normalised.rstrip("/") for d in documented), normalised


def test_search_parameters_are_documented(openapi):
    parameters = {p["name"] for p in openapi["paths"]["/api/places"]["get"]["parameters"]}
    assert {"bbox", "q", "category", "territory", "status", "near", "limit", "cursor"} <= parameters


def test_the_interactive_docs_are_served_without_a_cdn(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert "cdn." not in response.content.decode()
