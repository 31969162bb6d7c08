"""The OpenAPI documents are the truth: what /api/openapi.json and /ogc/api declare is what the platform sends.

schemathesis runs every one of its checks over both documents against a live server; the tests before it hold
the document's shape (problem+json errors, optional tokens, one schema per component name) and the fixes of what
schemathesis found (500s, inputs the document calls invalid but the API took) with plain requests.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from django.test import Client

from tests.conftest import compost
from tests.opendata.live import ROOT, Instance

SCHEMATHESIS = str(ROOT / ".venv" / "bin" / "schemathesis")
CONFIG = Path(__file__).with_name("schemathesis.toml")
HTTP_METHODS = ("get", "put", "post", "delete", "patch")


def operations(document: dict):
    for path, item in document["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method]


@pytest.fixture
def document(client) -> dict:
    return json.loads(client.get("/api/openapi.json").content)


# The document's shape -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_error_response_of_every_operation_is_a_problem_document(document):
    seen = 0
    for name, operation in operations(document):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                seen += 1
                assert response["content"] == {"application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemOut"}}}, (name, status)
        assert "400" in operation["responses"], name  # the edge refuses a NUL character in any request
        assert "Retry-After" in operation["responses"]["503"]["headers"], name  # a lock wait, on any request
    assert seen > 100


@pytest.mark.django_db
def test_reads_open_to_anonymous_clients_declare_the_token_optional_and_writes_require_it(document, client):
    places = document["paths"]["/api/places"]
    assert places["get"]["security"] == [{}, {"TokenAuth": []}]
    assert places["post"]["security"] == [{"TokenAuth": []}]
    assert document["paths"]["/api/places/{place_id}"]["get"]["security"] == [{}, {"TokenAuth": []}]
    assert set(document["components"]["securitySchemes"]) == {"TokenAuth"}
    assert client.get("/api/places").status_code == 200  # what {} promises
    for name, operation in operations(document):
        if {} in operation.get("security", []):
            assert "401" in operation["responses"], name  # a token that is sent must still be valid


def _models(annotation, found: dict) -> None:
    """Collect the pydantic models an annotation names, by class name, following fields and type arguments."""
    import typing

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if found.setdefault(annotation.__name__, set()) >= {annotation}:
            return
        found[annotation.__name__].add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, found)
    for argument in typing.get_args(annotation):
        _models(argument, found)


@pytest.mark.django_db
def test_no_two_schemas_of_the_api_share_a_component_name(document):
    # ninja names a component after its class: a second class of the same name silently replaced the first
    # (the change feed's ChangeOut was described by collaboration's field-by-field ChangeOut).
    from foodcommons.api.api import api

    found: dict[str, set] = {}
    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.response_models.values():
                    _models(model, found)
                for model in operation.models:
                    _models(model, found)
    shared = {name: classes for name, classes in found.items() if len(classes) > 1 and name in document["components"]["schemas"]}
    assert not shared
    assert "FeedChangeOut" in document["components"]["schemas"]


@pytest.mark.django_db
def test_the_change_feed_answers_what_its_schema_describes(api, document):
    place_id = api.post("/api/places", compost()).json()["id"]
    version = api.get(f"/api/places/{place_id}").json()["version"]
    api.patch(f"/api/places/{place_id}", {"version": version, "opening_hours": "Mo 10:00-12:00"})
    api.delete(f"/api/places/{place_id}")
    body = api.get("/api/changes").json()
    assert [c["change"] for c in body["changes"]] == ["created", "updated", "deleted"]
    schema = {**document["paths"]["/api/changes"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
              "components": document["components"]}
    jsonschema.validate(body, schema)


# What schemathesis found -----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", [
    "/api/changes?since=%C2%B2",  # "²": str.isdigit says yes, int() raised
    "/api/changes?since=%D9%A1",  # "١": a digit to Python, not a cursor the feed gave
    "/ogc/collections/places/items?limit=%C2%B2",
    "/ogc/collections/places/items?version=%C2%B2",
    "/ogc/collections/places/items?version=--5",
    "/ogc/collections/places/items?status=opened",  # outside the queryable's enum
    "/ogc/collections/places/items?datetime=0001-01-01T00:00:00%2B05:00",  # before year 1 once in UTC
    "/ogc/collections/places/items?filter=updated%3DTIMESTAMP('0001-01-01T00:00:00%2B05:00')",
])
def test_inputs_the_documents_call_invalid_are_400_problems_not_500s(client, path):
    response = client.get(path)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
@pytest.mark.parametrize("path", [
    "/ogc/collections/places/items?datetime=2020-10-29T09:52:45-16:00",  # PostgreSQL refuses offsets past ±15:59
    "/ogc/collections/places/items?updated=2020-10-29T09:52:45%2B16:30",
    "/ogc/collections/places/items?datetime=0056-10-29T09:52:45-21:23/..",
    "/ogc/collections/places/items?filter=updated%3DDATE('0001-01-01')",
    "/ogc/collections/places/items?filter=updated%20BETWEEN%20DATE('2020-01-01')%20AND%20TIMESTAMP('9999-12-31T23:00:00%2B05:00')",
])
def test_date_times_far_from_utc_are_read_in_utc(client, make_place, path):
    make_place()
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_a_date_filter_still_finds_the_places_changed_in_it(client, make_place):
    make_place()
    found = client.get("/ogc/collections/places/items", {"filter": "updated > DATE('2000-01-01') AND updated < TIMESTAMP('2999-01-01T00:00:00+05:00')"})
    assert found.json()["numberMatched"] == 1
    assert client.get("/ogc/collections/places/items", {"filter": "updated < DATE('2000-01-01')"}).json()["numberMatched"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "body", "field"), [
    ("get", "/api/places/ab%00c", None, "path"),
    ("get", "/api/places?q=a%00", None, "q"),
    ("get", "/api/imports/runs?x=1&source=a%00b", None, "source"),
    ("get", "/ogc/collections/places/items?filter=name%3D'a%00'", None, "filter"),
    ("post", "/api/places", {"name": {"fr": "Compost\u0000"}, "categories": ["neighbourhood-compost"]}, "name.fr"),
    ("post", "/api/places", {"name": {"fr": "Compost"}, "contacts": [{"kind": "email", "value": "a\u0000@example.org"}]}, "contacts[0].value"),
    ("post", "/api/tokens", {"name": "\u0000"}, "name"),
])
def test_a_nul_character_anywhere_is_a_400_naming_the_field(api, method, path, body, field):
    # PostgreSQL cannot hold one: these were 500s there.
    response = api.get(path) if method == "get" else api.post(path, body)
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == [{"field": field, "reason": "contains a NUL character (U+0000), which no text may hold"}]


@pytest.mark.django_db
def test_an_escaped_backslash_before_u0000_is_text_not_a_nul(api):
    response = api.post("/api/tokens", raw='{"name": "C:\\\\u0000"}')
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "C:\\u0000"


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "body"), [
    ("/api/tokens", {"name": "t", "can_write": 0}),
    ("/api/tokens", {"name": "t", "can_write": "true"}),
    ("/api/tokens", {"name": 5}),
])
def test_a_json_value_of_another_type_than_documented_is_refused(api, path, body):
    response = api.post(path, body)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_a_version_sent_as_a_string_is_refused(api):
    place_id = api.post("/api/places", compost()).json()["id"]
    response = api.patch(f"/api/places/{place_id}", {"version": "1", "opening_hours": "Mo 10:00-12:00"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "version"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", ["/ogc", "/ogc/", "/ogc/api", "/ogc/collections", "/ogc/collections/places/items"])
def test_an_undeclared_method_on_the_ogc_api_is_a_405_problem_with_allow(method, path):
    # With CSRF checks on, as a real server: the CSRF failure page used to answer first.
    response = getattr(Client(enforce_csrf_checks=True), method)(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "/api/problems/method-not-allowed"


@pytest.mark.django_db
def test_the_ogc_document_declares_its_errors_as_problems(client):
    document = client.get("/ogc/api").json()
    for name, operation in operations(document):
        assert operation["responses"]["400"]["content"] == {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}, name
    assert "404" not in document["paths"]["/conformance"]["get"]["responses"]  # no path parameter, nothing to miss
    assert "404" in document["paths"]["/collections/{collectionId}"]["get"]["responses"]


# schemathesis, every check on, against a live server -------------------------------------------------------------


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A live instance with two places (one deleted), a token of its own for a second user, and the run's config."""
    folder = tmp_path_factory.mktemp("openapi-truth")
    server = Instance(folder, "truth").start()
    token, other = server.token(), server.command("token", "create", "bob").stdout.strip().split()[-1]
    kept = server.send("POST", "/api/places", token, compost())["id"]
    deleted = server.send("POST", "/api/places", token, compost(name={"fr": "Compost fermé"}))["id"]
    server.send("DELETE", f"/api/places/{deleted}", token, {})
    config = folder / "schemathesis.toml"
    shutil.copy(CONFIG, config)
    (folder / "places.dict").write_text(f'"{kept}"\n"{deleted}"\n')
    yield server, config, {"FC_TOKEN": token, "FC_OTHER_TOKEN": other}
    server.stop()


def _schemathesis(live, location: str, max_examples: int) -> subprocess.CompletedProcess:
    server, config, tokens = live
    return subprocess.run(
        [
            SCHEMATHESIS, "--config-file", str(config), "run", f"{server.url}{location}",
            "--checks", "all", "--phases", "examples,coverage,fuzzing,stateful",
            "--max-examples", str(max_examples), "--seed", "1", "--workers", "1", "--request-timeout", "30",
        ],
        capture_output=True, text=True, timeout=600, env={**os.environ, **tokens},
    )


@pytest.mark.skipif(not Path(SCHEMATHESIS).exists(), reason="schemathesis is not installed (test extra)")
def test_schemathesis_with_every_check_finds_nothing_over_the_api_document(live):
    result = _schemathesis(live, "/api/openapi.json", max_examples=15)
    assert result.returncode == 0, result.stdout[-8000:]
    assert int(re.search(r"Tested: (\d+)", result.stdout)[1]) >= 45  # the whole document was read (~50 operations)


@pytest.mark.skipif(not Path(SCHEMATHESIS).exists(), reason="schemathesis is not installed (test extra)")
def test_schemathesis_with_every_check_finds_nothing_over_the_ogc_document(live):
    result = _schemathesis(live, "/ogc/api", max_examples=60)
    assert result.returncode == 0, result.stdout[-8000:]
    assert int(re.search(r"Tested: (\d+)", result.stdout)[1]) == 7
