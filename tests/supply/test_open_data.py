"""Open data of local supply: offers as DFC JSON-LD (expanded by PyLD, parsed by rdflib), CSV and JSON; tenders as OCDS
release packages validated against the published OCDS 1.1 schema; no price, budget or answer in any public output."""

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core import mail

from tests.supply.conftest import SCHOOL, make_demand, make_offer

pytestmark = pytest.mark.django_db
PRIVATE_PRICE, PRIVATE_ANSWER_PRICE, PRIVATE_BUDGET, PRIVATE_MESSAGE = "1.85", "1.66", "3000", "Wij leveren graag"
# The published OCDS 1.1.5 schemas (release package and release), kept unchanged beside this file: see ocds/SOURCE.txt.
SCHEMA_DIR = Path(__file__).resolve().parent / "ocds"


@pytest.fixture
def world(farm, grower, school):
    from foodcommons.supply.services import create_tender, express_interest

    offer = make_offer(farm, grower, price=float(PRIVATE_PRICE), organic=True, organic_certifier="Certisys",
                       organic_expires=datetime(2099, 1, 1).date(), afsca_number="0123.456.789", minimum_order=10)
    demand = make_demand(school, budget=int(PRIVATE_BUDGET))
    express_interest(offer_id=offer.public_id, demand_id=demand.public_id, message=PRIVATE_MESSAGE, price=float(PRIVATE_ANSWER_PRICE), author=grower)
    lot = {"title": "Légumes de saison", "cpv": "03221000-6", "product": "vegetable", "quantity": 4000, "unit": "kg", "months": [9, 10, 11],
           "lon": SCHOOL[0], "lat": SCHOOL[1], "starts_on": datetime(2099, 9, 1).date(), "ends_on": datetime(2099, 11, 30).date(),
           "award_criteria": [{"name": "Prix", "type": "price", "weight": 40}, {"name": "Circuit court", "type": "quality", "weight": 60}]}
    tender = create_tender(data={"organisation": school[0], "title": "Marché 2099", "procedure": "open", "notice_url": "https://www.publicprocurement.be/",
                                 "deadline": datetime(2099, 1, 15, 12, tzinfo=UTC), "lots": [lot]}, author=school[1])
    return offer, demand, tender


def test_offers_as_dfc_json_ld_expand_and_parse(client, world):
    from pyld import jsonld
    from rdflib import Graph, Namespace, URIRef
    from rdflib.namespace import RDF

    response = client.get("/api/supply/offers.jsonld")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/ld+json")
    document = json.loads(response.content)
    expanded = jsonld.expand(document)
    graph = Graph().parse(data=json.dumps(expanded), format="json-ld")
    b = Namespace("https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_BusinessOntology.owl#")
    pt = Namespace("https://github.com/datafoodconsortium/taxonomies/releases/latest/download/productTypes.rdf#")
    [product] = graph.subjects(RDF.type, b.SuppliedProduct)
    assert (product, b.hasType, pt.carrot) in graph
    [item] = graph.subjects(RDF.type, b.CatalogItem)
    [offer] = graph.subjects(RDF.type, b.Offer)
    assert (item, b.references, product) in graph and (item, b.offeredThrough, offer) in graph and (offer, b.offers, item) in graph
    [enterprise] = graph.subjects(RDF.type, b.Enterprise)
    assert (enterprise, b.supplies, product) in graph and (enterprise, b.manages, item) in graph
    assert (product, b.hasCertification, URIRef("https://github.com/datafoodconsortium/taxonomies/releases/latest/download/facets.rdf#Organic-EU")) in graph
    assert not list(graph.objects(offer, b.hasPrice))


def _ocds_schemas() -> tuple[dict, dict]:
    return tuple(json.loads((SCHEMA_DIR / name).read_text()) for name in ("release-package-schema.json", "release-schema.json"))


def test_tenders_are_an_ocds_release_package_with_lots(client, world):
    package = client.get("/api/supply/tenders.ocds.json").json()
    [release] = package["releases"]
    tender = release["tender"]
    assert release["ocid"].startswith("ocds-") and release["tag"] == ["tender"] and tender["procurementMethod"] == "open"
    [lot] = tender["lots"]
    [item] = tender["items"]
    assert (lot["id"], item["relatedLot"], item["classification"], item["quantity"]) == ("LOT-0001", "LOT-0001", {"scheme": "CPV", "id": "03221000-6"}, 4000)
    assert "Prix (price): 40%" in lot["awardCriteriaDetails"] and lot["contractPeriod"]["startDate"] == "2099-09-01"
    assert tender["documents"][0]["url"] == "https://www.publicprocurement.be/"


def test_the_ocds_package_validates_against_the_published_1_1_schema(client, world):
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    package_schema, release_schema = _ocds_schemas()
    registry = Registry().with_resource(release_schema["id"], Resource.from_contents(release_schema, default_specification=DRAFT4))
    validator = jsonschema.Draft4Validator(package_schema, registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    package = client.get("/api/supply/tenders.ocds.json").json()
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(package)]
    assert errors == []
    package["releases"][0]["tender"]["procurementMethod"] = "auction"
    assert list(validator.iter_errors(package))  # the schema really is applied


def test_offers_as_json_and_csv(client, world):
    offer = world[0]
    [row] = client.get("/api/supply/offers").json()
    assert row["id"] == offer.public_id and row["afsca_registered"] is True and row["months"] == offer.months
    rows = list(csv.DictReader(io.StringIO(client.get("/api/supply/offers.csv").content.decode())))
    assert [r["product"] for r in rows] == ["carrot"] and rows[0]["product_label_fr"] == "carotte"


def test_the_ranking_api_gives_each_criterion_and_weights_change_it(client, world):
    offer, demand, _tender = world
    [line] = client.get(f"/api/supply/demands/{demand.public_id}/ranking").json()
    [match] = line["offers"]
    assert match["offer"] == offer.public_id
    assert match["score"] == pytest.approx(sum(c["points"] for c in match["criteria"]))
    [heavier] = client.get(f"/api/supply/demands/{demand.public_id}/ranking", {"product": "10"}).json()
    assert heavier["offers"][0]["score"] > match["score"]


def test_only_the_buyer_reads_the_answers(api, client, world, grower, school):
    from foodcommons.accounts.tokens import create_token

    _offer, demand, _tender = world
    url = f"/api/supply/demands/{demand.public_id}/interests"
    assert client.get(url).status_code == 401
    grower_token = create_token(user=grower)
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {grower_token}").status_code == 403
    buyer = client.get(url, HTTP_AUTHORIZATION=f"Bearer {create_token(user=school[1])}")
    assert buyer.status_code == 200 and buyer.json()[0]["message"] == PRIVATE_MESSAGE and buyer.json()[0]["price"] == 1.66


def test_no_price_budget_or_answer_in_any_public_output(client, world):
    _offer, demand, _tender = world
    mail.outbox.clear()
    public = ["/api/supply/offers", "/api/supply/offers.jsonld", "/api/supply/offers.csv", "/api/supply/tenders.ocds.json",
              f"/api/supply/demands/{demand.public_id}/ranking", "/supply/", f"/supply/demands/{demand.public_id}", "/api/openapi.json"]
    for url in public:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in (PRIVATE_MESSAGE, "1.66", "1,66", "1.85", "1,85", "3000", "0123456789"):
            assert secret not in body, (url, secret)
    import zipfile

    from foodcommons.opendata.dumps import build_dump

    dump = build_dump(base_url="http://testserver")
    with zipfile.ZipFile(dump.path) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8", "replace")
            assert PRIVATE_MESSAGE not in text and "1.85" not in text, name
