import json

import pytest
from pyld import jsonld
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from foodcommons.imports.models import Source, SourceRecord
from foodcommons.places import services
from tests.conftest import compost

pytestmark = pytest.mark.django_db

SDO = Namespace("https://schema.org/")
DFC = Namespace("https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_BusinessOntology.owl#")


def graph_of(document: dict) -> Graph:
    return Graph().parse(data=json.dumps(document), format="json-ld")


def test_a_place_is_served_as_schema_org_at_its_jsonld_url(client, make_place):
    place = make_place(opening_hours="Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00")
    response = client.get(f"/api/places/{place.public_id}.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    document = response.json()
    expanded = jsonld.expand(document)
    assert expanded[0]["@type"] == ["https://schema.org/Place"]
    graph = graph_of(document)
    subject = URIRef(document["@id"])
    assert (subject, SDO.name, Literal("Compost de quartier Josaphat", lang="fr")) in graph
    assert (subject, SDO.license, URIRef("https://opendatacommons.org/licenses/odbl/1-0/")) in graph
    address = graph.value(subject, SDO.address)
    assert graph.value(address, SDO.postalCode) == Literal("1030")
    assert float(graph.value(graph.value(subject, SDO.geo), SDO.latitude)) == pytest.approx(50.8624152)
    specs = list(graph.objects(subject, SDO.openingHoursSpecification))
    assert len(specs) == 3
    assert {str(graph.value(s, SDO.opens)) for s in specs} == {"09:00", "14:00", "10:00"}


def test_private_contacts_stay_out_of_jsonld(client, make_place):
    place = make_place()
    document = client.get(f"/api/places/{place.public_id}.jsonld").json()
    assert "telephone" not in document and document["email"] == "mailto:compost@example.org"


def test_content_negotiation_of_the_place_url_gives_jsonld(client, make_place):
    place = make_place()
    response = client.get(f"/api/places/{place.public_id}", HTTP_ACCEPT="application/ld+json")
    assert response["Content-Type"].startswith("application/ld+json")
    assert response.json()["@id"].endswith(f"/api/places/{place.public_id}")
    assert client.get(f"/api/places/{place.public_id}").json()["id"] == place.public_id


def test_a_farm_shop_is_a_store_and_a_dfc_enterprise_with_its_osm_source_as_same_as(client):
    place = services.create_place(data=compost(name={"fr": "Ferme du Chemin"}, categories=["farm-shop"], attributes={})).place
    source = Source.objects.create(slug="osm", name="OSM", licence="ODbL-1.0", attribution="© OpenStreetMap contributors")
    SourceRecord.objects.create(source=source, external_id="node/42", place=place, fetched_at=place.created_at)
    document = client.get(f"/api/places/{place.public_id}.jsonld").json()
    graph = graph_of(document)
    subject = URIRef(document["@id"])
    assert (subject, RDF.type, SDO.Store) in graph and (subject, RDF.type, DFC.Enterprise) in graph
    assert (subject, SDO.sameAs, URIRef("https://www.openstreetmap.org/node/42")) in graph
    assert graph.value(graph.value(subject, DFC.hasAddress), DFC.hasPostalCode) == Literal("1030")
    assert "OpenStreetMap" in document["creditText"]


def test_an_unknown_place_is_a_404_problem(client):
    response = client.get("/api/places/nope.jsonld")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
