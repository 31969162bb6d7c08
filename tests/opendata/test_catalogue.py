import json

import pytest
from pyld import jsonld
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from foodcommons.imports.models import Source

pytestmark = pytest.mark.django_db


def test_the_turtle_catalogue_describes_the_places_dataset_and_its_distributions(client):
    Source.objects.create(slug="osm", name="OpenStreetMap", licence="ODbL-1.0", attribution="© OpenStreetMap contributors", url="https://www.openstreetmap.org")
    response = client.get("/api/catalog.ttl")
    assert response["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.content.decode(), format="turtle")
    catalogue = next(graph.subjects(RDF.type, DCAT.Catalog))
    # The catalogue also lists other datasets (the knowledge library's documents, the directory's platforms): the places one.
    dataset = URIRef("http://testserver/api/catalog#places")
    assert (catalogue, DCAT.dataset, dataset) in graph and (dataset, RDF.type, DCAT.Dataset) in graph
    downloads = {str(graph.value(d, DCAT.downloadURL)) for d in graph.objects(dataset, DCAT.distribution) if graph.value(d, DCAT.downloadURL)}
    assert downloads == {"http://testserver/api/dumps/latest"}
    access = {str(graph.value(d, DCAT.accessURL)) for d in graph.objects(dataset, DCAT.distribution)}
    assert "http://testserver/ogc/" in access and "http://testserver/api/changes" in access
    licences = {graph.value(d, DCTERMS.license) for d in graph.objects(dataset, DCAT.distribution)}
    assert licences == {URIRef("https://opendatacommons.org/licenses/odbl/1-0/")}
    assert "© OpenStreetMap contributors" in str(graph.value(dataset, DCTERMS.rights))


def test_the_jsonld_catalogue_holds_the_same_graph(client):
    turtle = Graph().parse(data=client.get("/api/catalog.ttl").content.decode(), format="turtle")
    document = client.get("/api/catalog.jsonld").json()
    assert jsonld.expand(document)
    graph = Graph().parse(data=json.dumps(document), format="json-ld")
    assert len(graph) == len(turtle)
    assert next(graph.subjects(RDF.type, DCAT.Catalog)) == URIRef("http://testserver/api/catalog")


def test_the_jsonld_catalogue_is_one_object_with_a_context(client):
    document = client.get("/api/catalog.jsonld").json()
    assert isinstance(document, dict) and "@context" in document
