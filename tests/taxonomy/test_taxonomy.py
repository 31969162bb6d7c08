import json

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from foodcommons.taxonomy.models import AttributeDefinition, Category
from foodcommons.taxonomy.selectors import attribute_specs_for, category_tree, expand_categories
from foodcommons.taxonomy.services import seed_taxonomy

pytestmark = pytest.mark.django_db


def test_the_seed_covers_the_areas_of_the_food_commons():
    top = set(Category.objects.filter(parent__isnull=True).values_list("slug", flat=True))
    assert {"production", "short-chains", "processing", "food-aid", "gardens", "compost-recovery", "land", "support"} <= top
    for slug in ["csa", "buying-group", "food-coop", "farm-shop", "market", "box-scheme", "legumerie", "shared-kitchen",
                 "food-bank", "social-grocery", "social-restaurant", "community-garden", "neighbourhood-compost", "farmland-under-threat"]:
        assert Category.objects.filter(slug=slug).exists(), slug


def test_every_category_has_a_label_in_french_dutch_and_english():
    assert not Category.objects.filter(label_nl="").exists()
    assert not Category.objects.filter(label_en="").exists()


def test_seeding_twice_changes_nothing():
    before = Category.objects.count(), AttributeDefinition.objects.count()
    seed_taxonomy()
    assert (Category.objects.count(), AttributeDefinition.objects.count()) == before


def test_subcategories_are_included_when_expanding_a_category():
    tree = category_tree()
    ids = expand_categories(["short-chains"])
    assert tree.nodes["bakery"].id in ids and tree.nodes["csa"].id in ids
    assert tree.nodes["food-bank"].id not in ids


def test_food_aid_attributes_are_inherited_by_social_groceries():
    specs = attribute_specs_for(["social-grocery"])
    assert {"audience", "referral_required", "price", "documents_required"} <= set(specs)


def test_an_attribute_added_by_an_administrator_is_data_not_a_migration():
    AttributeDefinition.objects.create(category=Category.objects.get(slug="market"), key="covered", type="boolean", label_fr="Couvert")
    assert "covered" in attribute_specs_for(["market"])


def test_the_skos_export_parses_as_rdf_with_broader_links(client):
    response = client.get("/api/categories.jsonld")
    assert response["Content-Type"] == "application/ld+json"
    graph = Graph().parse(data=response.content.decode(), format="json-ld")
    base = "http://testserver/api/categories/"
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) == Category.objects.count()
    assert (URIRef(base + "bakery"), SKOS.broader, URIRef(base + "local-shop")) in graph
    labels = {str(o.language): str(o) for o in graph.objects(URIRef(base + "food-bank"), SKOS.prefLabel)}
    assert labels == {"fr": "Banque alimentaire", "nl": "Voedselbank", "en": "Food bank"}


def test_the_categories_endpoint_lists_attributes_with_labels(client):
    data = json.loads(client.get("/api/categories").content)
    compost = next(c for c in data if c["id"] == "neighbourhood-compost")
    assert compost["parent"] == "compost-recovery"
    assert {a["key"] for a in compost["attributes"]} >= {"public_deposits", "deposit_hours"}
    assert compost["color"].startswith("#")
