"""The documents and the directory of platforms in the DCAT catalogue, read back with rdflib."""

import pytest
from rdflib import Graph
from rdflib.namespace import DCAT, DCTERMS, RDF

from tests.knowledge.conftest import pdf_bytes, publish

pytestmark = pytest.mark.django_db


def _platform():
    from foodcommons.knowledge.models import Platform

    platform = Platform.objects.create(slug="gogocarto", name="GoGoCarto", url="https://gogocarto.fr", operator="GoGoCarto", licence="AGPL-3.0-only",
                                       api_url="https://gogocarto.fr/api", formats="JSON", update_frequency="continuous", connector="gogocarto",
                                       lists_fr="Cartes collaboratives")
    platform.territories.set(["03000"])
    return platform


@pytest.mark.parametrize(("path", "rdf_format"), [("/api/catalog.ttl", "turtle"), ("/api/catalog.jsonld", "json-ld")])
def test_each_document_is_a_distribution_and_each_platform_an_external_dataset(editor_client, organisation, client, path, rdf_format):
    publish(editor_client, organisation, "diag.pdf", pdf_bytes("Ciney"), published_on="2021-05-06")
    _platform()
    from foodcommons.knowledge.models import Document

    document = Document.objects.get()
    graph = Graph().parse(data=client.get(path).content.decode(), format=rdf_format)
    library = next(
        s for s in graph.subjects(RDF.type, DCAT.Dataset) if str(s).endswith("#knowledge-documents"))
    distributions = list(graph.objects(library, DCAT.distribution))
    assert len(distributions) == 1
    distribution = distributions[0]
    assert str(distribution).endswith(f"/knowledge/documents/{document.public_id}")
    download = str(graph.value(distribution, DCAT.downloadURL))
    assert download.endswith(f"/knowledge/documents/{document.public_id}/files/1")
    assert str(graph.value(distribution, DCAT.mediaType)).endswith("application/pdf")
    assert str(graph.value(distribution, DCTERMS.license)) == "https://spdx.org/licenses/CC-BY-4.0"
    assert str(graph.value(distribution, DCTERMS.issued)) == "2021-05-06"
    catalogue = next(graph.subjects(RDF.type, DCAT.Catalog))
    datasets = set(graph.objects(catalogue, DCAT.dataset))
    assert library in datasets
    gogocarto = next(d for d in datasets if str(d).endswith("#gogocarto"))
    assert str(graph.value(gogocarto, DCAT.landingPage)) == "https://gogocarto.fr"
    assert str(graph.value(gogocarto, DCTERMS.accrualPeriodicity)).endswith("/CONT")
    api = graph.value(gogocarto, DCAT.distribution)
    assert str(graph.value(api, DCAT.accessURL)) == "https://gogocarto.fr/api"
    # The places dataset of opendata is still there, beside them.
    assert any(str(d).endswith("#places") for d in datasets)


def test_the_directory_page_says_which_platforms_foodcommons_imports(client):
    _platform()
    page = client.get("/knowledge/directory/").content.decode()
    assert "GoGoCarto" in page and "gogocarto" in page and "/api/sources" in page
    assert client.get("/api/knowledge/platforms").json()[0]["connector"] == "gogocarto"
