"""The grid of relation criteria: its rules for declared facts (pure), its labels in three languages, its SKOS form."""

import json

import pytest
from rdflib import Graph, Namespace
from rdflib.namespace import RDF, SKOS

from foodcommons.relations.domain.grid import BY_KEY, CRITERIA, GRID_VERSION, clean_fact, fact_sentences, skos_scheme
from foodcommons.taxonomy.services import read_seed

DECLARED = {"declared_by": {"kind": "team", "name": "GASAP"}, "declared_at": "2026-12-03"}


def test_every_criterion_and_value_has_a_label_meaning_and_sentence_in_three_languages():
    for criterion in CRITERIA:
        for texts in (criterion.label, criterion.meaning):
            assert set(texts) == {"fr", "nl", "en"} and all(texts.values())
        for value in criterion.values:
            assert set(value.label) == set(value.sentence) == {"fr", "nl", "en"}
            assert all(value.label.values()) and all(value.sentence.values())


def test_the_chain_counts_its_named_intermediaries():
    fact = clean_fact(BY_KEY["chain"], {"value": [{"role": "shop", "name": "La Fourmilière"}], **DECLARED})
    assert fact["count"] == 1 and fact["value"] == [{"role": "shop", "name": "La Fourmilière"}]
    assert clean_fact(BY_KEY["chain"], {"value": [], **DECLARED})["count"] == 0


@pytest.mark.parametrize(("key", "value", "part"), [
    ("chain", [{"role": "shop", "name": ""}], "named"),
    ("chain", [{"role": "broker", "name": "X"}], "role"),
    ("price_setter", "farmer", "expected one of"),
    ("producer_share", 120, "percentage"),
    ("producer_share", True, "percentage"),
    ("direct_contact", ["none", "farm_visits"], "'none'"),
    ("direct_contact", [], "non-empty"),
])
def test_a_value_outside_the_grid_is_refused_with_what_is_expected(key, value, part):
    with pytest.raises(ValueError, match=part):
        clean_fact(BY_KEY[key], {"value": value, **DECLARED})


def test_a_fact_records_who_declared_it_when_its_evidence_and_its_check():
    fact = clean_fact(BY_KEY["commitment"], {"value": "season_prefinancing", **DECLARED, "evidence": "https://gasap.be/charte",
                                             "checked": {"by": "Réseau des GASAP", "at": "2026-12-04"}})
    assert fact == {"value": "season_prefinancing", "grid": GRID_VERSION, "declared_by": {"kind": "team", "name": "GASAP"},
                    "declared_at": "2026-12-03", "evidence": "https://gasap.be/charte",
                    "checked": {"by": "Réseau des GASAP", "at": "2026-12-04"}}


@pytest.mark.parametrize(("extra", "part"), [
    ({"evidence": "javascript:alert(1)"}, "evidence"),
    ({"declared_by": {"kind": "anyone"}}, "declared_by"),
    ({"declared_at": "yesterday"}, "declared_at"),
    ({"checked": {"at": "2026-12-04"}}, "checked"),
    ({"grid": "0"}, "grid"),
])
def test_a_fact_with_bad_provenance_is_refused(extra, part):
    with pytest.raises(ValueError, match=part):
        clean_fact(BY_KEY["governance"], {"value": "members", **DECLARED, **extra})


def test_sentences_say_the_fact_in_the_page_language():
    assert fact_sentences(BY_KEY["price_setter"], "producer", "nl") == ["De producent bepaalt de prijs."]
    assert fact_sentences(BY_KEY["producer_share"], 72.5, "fr") == ["Le producteur reçoit 72,5 % du prix final."]
    chain = fact_sentences(BY_KEY["chain"], [{"role": "shop", "name": "Färm"}], "en")[0]
    assert chain.startswith("1 intermediary: a shop (Färm)")


def test_the_taxonomy_declares_each_criterion_as_a_short_chain_attribute_with_the_grid_labels():
    short_chains = next(c for c in read_seed()["categories"] if c["id"] == "short-chains")
    declared = {a["key"]: a for a in short_chains["attributes"]}
    assert list(declared) == [c.attribute for c in CRITERIA]
    assert all(declared[c.attribute]["labels"] == c.label and declared[c.attribute]["type"] == "relation_fact" for c in CRITERIA)


def test_the_grid_parses_as_a_skos_concept_scheme_with_every_value_under_its_criterion():
    graph = Graph().parse(data=json.dumps(skos_scheme("https://example.org/")), format="json-ld")
    base = Namespace("https://example.org/relations/criteria/")
    scheme = next(graph.subjects(RDF.type, SKOS.ConceptScheme))
    assert set(graph.objects(scheme, SKOS.hasTopConcept)) == {base[c.key] for c in CRITERIA}
    assert (base["price_setter/producer"], SKOS.broader, base["price_setter"]) in graph
    labels = {str(o.language): str(o) for o in graph.objects(base["commitment/season_prefinancing"], SKOS.prefLabel)}
    assert labels == {"fr": "Préfinancement de la saison", "nl": "Voorfinanciering van het seizoen", "en": "Season pre-financing"}
    assert any(o.language == "nl" for o in graph.objects(base["governance"], SKOS.definition))


def test_a_chain_is_compared_by_its_number_of_intermediaries_and_their_names():
    from foodcommons.relations.domain.grid import chain_mark

    assert chain_mark([], "nl") == "0: rechtstreekse verkoop"
    assert chain_mark([{"role": "shop", "name": "Färm"}, {"role": "logistics", "name": "Vélo"}], "fr") == "2: Färm, Vélo"
