"""Provenance visible: GET /api/places/{id} and the place page say where each value comes from, on a real OpenStreetMap sample."""

import json
from pathlib import Path

import pytest

from foodcommons.imports.models import Source
from foodcommons.imports.services import publishing, runs
from foodcommons.places import services as places
from foodcommons.places.models import Place

pytestmark = pytest.mark.django_db
TINTIGNY = Path(__file__).resolve().parents[3] / "shared" / "data" / "osm-wallonie-luxembourg-pois" / "Tintigny.geojson"
BAKERY = "node/1954430990"  # Boulangerie Destrée-Gribaumont, Tintigny (© OpenStreetMap contributors, ODbL)
BAKERS_CSV = ("id;name;type;lat;lon;opening_hours;email\n"
              "b-7;Boulangerie Destrée;bakery;49.6822237;5.5174192;Tu-Sa 07:00-18:00;pain@example.org\n")


@pytest.fixture
def bakery():
    """The bakery from OpenStreetMap (priority 1), then from a bakers' list that merges into it and adds opening hours."""
    osm = Source.objects.create(slug="osm-luxembourg", name="OpenStreetMap", licence="ODbL-1.0", attribution="© OpenStreetMap contributors", priority=1)
    bakers = Source.objects.create(slug="bakers", name="Bakers network", licence="CC-BY-4.0", attribution="© Bakers network")
    runs.import_file(data=TINTIGNY.read_bytes(), source=osm, file_format="osm")
    run = runs.import_file(data=BAKERS_CSV.encode(), source=bakers, file_format="csv")
    assert run.counts["merged"] == 1, run.decisions
    return Place.objects.get(source_records__source=osm, source_records__external_id=BAKERY)


def detail(client, place) -> dict:
    return json.loads(client.get(f"/api/places/{place.public_id}").content)


def test_the_place_api_says_which_source_gave_each_published_value_with_licence_attribution_and_identifier(client, bakery):
    body = detail(client, bakery)
    name = body["provenance"]["name.fr"]
    assert body["name"]["fr"] == "Boulangerie Destrée-Gribaumont"
    assert name["published"] == {"origin": "source", "source": "osm-luxembourg", "source_name": "OpenStreetMap", "licence": "ODbL-1.0",
                                 "attribution": "© OpenStreetMap contributors", "external_id": BAKERY,
                                 "observed_at": name["published"]["observed_at"]}
    assert name["published"]["observed_at"].startswith("20")
    assert [(o["source"], o["external_id"], o["value"]) for o in name["others"]] == [("bakers", "b-7", "Boulangerie Destrée")]
    hours = body["provenance"]["opening_hours"]
    assert hours["published"]["source"] == "bakers" and body["opening_hours"] == "Tu-Sa 07:00-18:00" and hours["others"] == []
    assert {(s["source"], s["external_id"]) for s in body["sources"]} == {("osm-luxembourg", BAKERY), ("bakers", "b-7")}


def test_a_person_s_edit_is_the_origin_of_the_value_it_published_and_the_source_s_value_stays_listed(client, bakery):
    places.update_place(public_id=bakery.public_id, patch={"opening_hours": "Tu-Su 07:00-13:00"}, base_version=bakery.version, comment="new hours")
    bakery.refresh_from_db()
    publishing.publish(place=bakery, comment="records the edit as a claim of people")
    hours = detail(client, bakery)["provenance"]["opening_hours"]
    assert hours["published"]["origin"] == "edit" and hours["published"]["source"] is None and hours["published"]["licence"] == bakery.licence
    assert [(o["source"], o["value"]) for o in hours["others"]] == [("bakers", "Tu-Sa 07:00-18:00")]


def test_a_place_no_import_touched_has_an_empty_provenance(client):
    from tests.conftest import compost

    place = places.create_place(data=compost()).place
    assert detail(client, place)["provenance"] == {}


def test_the_openapi_schema_documents_the_provenance_of_a_place(client):
    schema = json.loads(client.get("/api/openapi.json").content)
    detail_schema = schema["components"]["schemas"]["PlaceDetailOut"]
    assert "provenance" in detail_schema["properties"] and "FieldProvenanceOut" in schema["components"]["schemas"]
    origin = schema["components"]["schemas"]["FieldOriginOut"]["properties"]["origin"]
    assert set(origin["enum"]) == {"source", "edit"}


@pytest.mark.parametrize(("language", "heading", "hours_label"), [("en", "Sources", "Opening hours"), ("fr", "Sources", "Heures d"),
                                                             ("nl", "Bronnen", "Openingsuren")])
def test_the_place_page_lists_the_sources_and_where_each_value_comes_from(client, bakery, language, heading, hours_label):
    page = client.get(f"/places/{bakery.public_id}", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    section = page[page.index('class="sources"'):]
    assert f'<h2 id="sources-title">{heading}</h2>' in section
    assert "OpenStreetMap" in section and "ODbL-1.0" in section and "© OpenStreetMap contributors" in section
    assert "CC-BY-4.0" in section and "© Bakers network" in section
    hours = section[section.index('data-field="opening_hours"'):]
    hours = hours[:hours.index("</tr>")]
    assert hours_label in hours and "Bakers network" in hours
    name = section[section.index('data-field="name.fr"'):]
    name = name[:name.index("</tr>")]
    assert "OpenStreetMap" in name.split("</td>")[0] and "Bakers network" in name.split("</td>")[1]
