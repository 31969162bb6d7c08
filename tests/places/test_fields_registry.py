"""A field added to places.domain.fields reaches every layer: writes, revision state, API JSON, GeoJSON, CSV, JSON-LD,
OpenAPI, the contributor form, provenance and import records, with nothing else written for it.

The throwaway field `nickname` is a text column added for the test only (the model field and the column,
rolled back with the test's transaction) and one `core.fields.text` entry appended to the registry.
"""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import compost

ROOT = Path(__file__).resolve().parents[2]


def nickname_field():
    """Return the registry entry of the throwaway field: a short text, searchable, schema.org alternateName."""
    from foodcommons.core.fields import text

    return text(
        "nickname", max_length=40, label="Nickname", description="What the neighbours call it", jsonld="alternateName",
        searchable=True, rule=lambda value: "no shouting" if value.isupper() else None,
    )


@pytest.fixture
def nickname(db, monkeypatch):
    """Register `nickname` backed by a test-only column of places_place."""
    from django.db import connection, models

    import foodcommons.urls  # noqa: F401 - the API's schemas are built at import: build them before the field exists
    from foodcommons.places.domain import fields
    from foodcommons.places.models import Place

    column = models.CharField(max_length=40, blank=True, default="")
    column.contribute_to_class(Place, "nickname")
    with connection.cursor() as cursor:  # inside the test's transaction: rolled back after it
        cursor.execute("ALTER TABLE places_place ADD COLUMN nickname varchar(40) NOT NULL DEFAULT ''")
    monkeypatch.setattr(fields, "PLACE_FIELDS", fields.PLACE_FIELDS.with_field(nickname_field()))
    yield
    Place._meta.local_fields.remove(column)
    Place._meta._expire_cache()
    delattr(Place, "nickname")


@pytest.fixture
def nicknamed(nickname):
    from foodcommons.places.services import create_place

    return create_place(data=compost(nickname="Le Josaph")).place.public_id


def test_a_write_stores_the_field_and_its_revision_records_it(nicknamed):
    from foodcommons.places.models import Place, PlaceRevision

    place = Place.objects.get(public_id=nicknamed)
    assert place.nickname == "Le Josaph"
    assert PlaceRevision.objects.get(place=place).state["nickname"] == "Le Josaph"


def test_a_patch_changes_the_field_and_clearing_it_empties_it(nicknamed):
    from foodcommons.places.services import update_place

    assert update_place(public_id=nicknamed, patch={"nickname": "Josaph"}, base_version=1).state["nickname"] == "Josaph"
    assert update_place(public_id=nicknamed, patch={"nickname": None}, base_version=2).state["nickname"] == ""


def test_the_field_is_validated_by_its_rule(nickname):
    from foodcommons.core.problems import InvalidInput
    from foodcommons.places.services import create_place

    for value, reason in (("x" * 41, "longer than 40 characters"), ("JOSAPH", "no shouting"), (3, "expected a text")):
        with pytest.raises(InvalidInput) as refused:
            create_place(data=compost(nickname=value))
        assert [(e.field, e.reason) for e in refused.value.errors] == [("nickname", reason)]


def test_the_api_json_geojson_and_csv_carry_the_field(nicknamed, client):
    listed = client.get("/api/places").json()["places"]
    assert [p["nickname"] for p in listed] == ["Le Josaph"]
    feature = client.get("/api/places.geojson").json()["features"][0]
    assert feature["properties"]["nickname"] == "Le Josaph"
    header, row = list(csv.reader(io.StringIO(client.get("/api/places.csv").content.decode())))
    assert header[-1] == "nickname" and row[-1] == "Le Josaph"  # a new column comes after the published ones
    assert header[:3] == ["id", "version", "name_fr"]


def test_search_finds_a_place_by_the_field_when_it_is_searchable(nicknamed, client):
    assert [p["id"] for p in client.get("/api/places", {"q": "josaph"}).json()["places"]] == [nicknamed]


def test_json_ld_maps_the_field_to_its_term(nicknamed, client):
    document = json.loads(client.get(f"/api/places/{nicknamed}", HTTP_ACCEPT="application/ld+json").content)
    assert document["alternateName"] == "Le Josaph"


def test_the_contributor_form_edits_the_field(nicknamed):
    from foodcommons.collaboration.forms import PlaceForm, initial_from_state, place_data, public_fields
    from foodcommons.places.models import Place
    from foodcommons.places.services import current_state, update_place

    state = current_state(Place.objects.get(public_id=nicknamed))
    initial = initial_from_state(state)
    assert initial["nickname"] == "Le Josaph" and "nickname" in public_fields()
    form = PlaceForm({**{k: v for k, v in initial.items() if v is not None}, "nickname": "Josaph"})
    assert str(form["nickname"]).startswith("<input") and form.fields["nickname"].label == "Nickname"
    assert form.is_valid(), form.errors
    patch = place_data(form.cleaned_data, state)
    assert patch["nickname"] == "Josaph" and "name" not in patch
    assert update_place(public_id=nicknamed, patch=patch, base_version=state["version"]).state["nickname"] == "Josaph"


def test_provenance_tracks_the_field(nicknamed):
    from foodcommons.imports.domain.provenance import claimed_values, current_values, patch_for, tracked_fields
    from foodcommons.places.domain.validation import clean_place
    from foodcommons.places.models import Place
    from foodcommons.places.services import current_state, default_lookups

    assert tracked_fields()[-1] == "nickname"
    assert claimed_values(clean_place(compost(nickname="Josaph"), default_lookups()))["nickname"] == "Josaph"
    state = current_state(Place.objects.get(public_id=nicknamed))
    assert current_values(state)["nickname"] == "Le Josaph"
    assert patch_for("nickname", None, state) == {"nickname": ""}


def test_an_imported_record_gives_the_field(nickname):
    from foodcommons.imports.connectors.base import ImportedRecord

    record = ImportedRecord(external_id="7", row=1, name="Compost", categories=["neighbourhood-compost"], extra={"nickname": "Le Josaph"})
    assert record.place_input()["nickname"] == "Le Josaph"
    assert "nickname" not in ImportedRecord(external_id="8", row=2, name="Compost").place_input()


# The OpenAPI document is built when the API is imported: a fresh process that registers the field first builds it.
OPENAPI_WITH_NICKNAME = """
import json
from foodcommons.places.domain import fields
from tests.places.test_fields_registry import nickname_field
fields.PLACE_FIELDS = fields.PLACE_FIELDS.with_field(nickname_field())
import django
django.setup()
from foodcommons.api.api import api
print(json.dumps(api.get_openapi_schema()["components"]["schemas"]))
"""


@pytest.mark.django_db
def test_the_openapi_document_describes_the_field_and_nothing_else_changes(client):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "foodcommons.settings", "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    output = subprocess.run([sys.executable, "-c", OPENAPI_WITH_NICKNAME], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    extended = json.loads(output.stdout)
    current = json.loads(client.get("/api/openapi.json").content)["components"]["schemas"]
    for name in ("PlaceFields", "PlaceCreateIn", "PlacePatchIn"):
        assert extended[name]["properties"]["nickname"] == {
            "anyOf": [{"type": "string"}, {"type": "null"}], "description": "What the neighbours call it", "title": "Nickname",
        }, name
    for name in ("PlaceOut", "PlaceDetailOut", "PlaceWriteOut"):
        assert extended[name]["properties"]["nickname"] == {"title": "Nickname", "type": "string"}, name
        assert "nickname" in extended[name]["required"], name
    without = {name: _without_nickname(schema) for name, schema in extended.items()}
    assert without == current


def _without_nickname(schema: dict) -> dict:
    if "properties" not in schema:
        return schema
    schema = {**schema, "properties": {k: v for k, v in schema["properties"].items() if k != "nickname"}}
    if "required" in schema:
        schema["required"] = [k for k in schema["required"] if k != "nickname"]
    return schema
