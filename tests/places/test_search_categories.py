"""Text search finds places by the names and synonyms of their categories, in FR, NL and EN."""

import pytest

from foodcommons.places import services
from foodcommons.places.domain.query import parse_place_query
from foodcommons.places.selectors import search_places
from foodcommons.taxonomy.domain.names import find_category_names, phrases_of
from tests.conftest import compost

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(db):
    made = {}
    for key, data in {
        "compost": compost(name={"fr": "Le tas du parc"}),
        "grocery": compost(name={"fr": "Le Bon Panier"}, categories=["social-grocery"], attributes={},
                           address={"postcode": "1000", "locality": "Bruxelles"}),
        "gasap": compost(name={"fr": "Les paniers des Marolles"}, categories=["csa"], attributes={}),
        "garden": compost(name={"fr": "Le coin vert", "nl": "De groene hoek"}, categories=["community-garden"], attributes={}),
        "bakery": compost(name={"fr": "Au bon pain"}, categories=["bakery"], attributes={}),
    }.items():
        made[key] = services.create_place(data=data).place
    return made


def found(text: str) -> set[str]:
    return {p.name_fr for p in search_places(parse_place_query(q=text)).places}


@pytest.mark.parametrize("text", ["aide alimentaire", "Aide Alimentaire", "voedselhulp", "food aid", "épicerie sociale", "sociale kruidenier"])
def test_a_food_aid_name_in_any_language_finds_the_places_of_its_subcategories(places, text):
    assert found(text) == {"Le Bon Panier"}


@pytest.mark.parametrize("text", ["GASAP", "gasap", "CSA", "gemeenschapslandbouw", "community-supported agriculture"])
def test_gasap_and_its_synonyms_find_the_csa(places, text):
    assert found(text) == {"Les paniers des Marolles"}


@pytest.mark.parametrize("text", ["moestuin", "moestuinen", "potager collectif", "samentuin", "community garden"])
def test_garden_words_find_the_community_garden(places, text):
    assert found(text) == {"Le coin vert"}


def test_a_category_name_with_other_words_keeps_those_words_as_text(places):
    assert found("aide alimentaire bruxelles") == {"Le Bon Panier"}
    assert found("aide alimentaire arlon") == set()


def test_words_in_names_are_still_found_beside_category_names(places):
    assert found("compost") == {"Le tas du parc"}
    assert found("paniers") == {"Les paniers des Marolles"}  # also the name of the box-scheme category, which has none
    assert "Au bon pain" in found("bon")


def test_a_short_common_word_names_no_category(places):
    assert find_category_names(["de"], {("de", "tuin"): frozenset({"x"})}) == ([], ["de"])


def test_names_split_into_their_parts():
    phrases = phrases_of(["GASAP / agriculture soutenue par la communauté", "Groupe d'achat (GAC, GAA)"])
    assert ("gasap",) in phrases and ("gac",) in phrases and ("agriculture", "soutenue", "par", "la", "communaute") in phrases


def test_a_search_by_category_name_counts_and_pages_like_any_other(places):
    page = search_places(parse_place_query(q="voedselhulp", limit=1))
    assert page.total == 1 and len(page.places) == 1


@pytest.mark.parametrize("text", ["aide alimentaire", "paniers", "gasap marolles", "bon", "compost", "potager collectif coin", "aide alimentaire bruxelles"])
def test_words_or_their_categories_as_one_id_list_give_the_page_a_viewport_search_gives(places, text):
    # Without a box the two sides are listed and joined (filters._words_or_categories_listed); a box around every
    # place keeps the OR of two conditions: the pages, counts and cursors must be the same.
    for limit in (1, 2, 50):
        listed = search_places(parse_place_query(q=text, limit=limit))
        in_belgium = search_places(parse_place_query(q=text, limit=limit, bbox="2.5,49.45,6.45,51.55"))
        assert (listed.ids, listed.total, listed.next_cursor) == (in_belgium.ids, in_belgium.total, in_belgium.next_cursor)
    assert search_places(parse_place_query(q=text)).ids, "each text finds a place"
