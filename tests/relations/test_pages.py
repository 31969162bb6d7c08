"""The pages of relations: the published grid, the profile on a short chain's page, the team's form, the comparison."""

import pytest

from foodcommons.places.models import Place
from foodcommons.relations import services
from foodcommons.relations.selectors import current_facts
from tests.relations.conftest import fact, make_place

pytestmark = pytest.mark.django_db


def test_the_grid_page_gives_each_criterion_its_meaning_in_the_page_language(client):
    dutch = client.get("/relations/criteria", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Wie de prijs bepaalt" in dutch and "Voorfinanciering van het seizoen" in dutch and "Qui fixe le prix" not in dutch
    french = client.get("/relations/criteria", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Préfinancement de la saison" in french


def test_the_grid_is_served_as_json_ld(client):
    answer = client.get("/relations/criteria.jsonld")
    assert answer["Content-Type"].startswith("application/ld+json") and answer.json()["@graph"][0]["@type"] == "skos:ConceptScheme"


def test_a_short_chain_page_says_what_is_not_declared_yet_and_invites_its_team(client, gasap):
    page = client.get(f"/places/{gasap.public_id}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="relations"' in page and page.count("Not declared yet.") == 8
    assert "this says nothing good or bad about the place" in page and f"/places/{gasap.public_id}/relations" in page


def test_a_place_that_is_no_short_chain_has_no_relation_section(client):
    kitchen = make_place("Cuisine", categories=("shared-kitchen",))
    assert 'id="relations"' not in client.get(f"/places/{kitchen.public_id}").content.decode()


def test_declared_facts_show_as_sentences_with_who_declared_them(client, gasap, editor):
    services.declare_facts(public_id=gasap.public_id, base_version=1, author=editor,
                           declarations={"price_setter": fact("producer"), "chain": fact([])})
    page = client.get(f"/places/{gasap.public_id}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The producer sets the price." in page and "Direct sale: no intermediary" in page
    assert "Declared by the place's team" in page and page.count("Not declared yet.") == 6
    assert "relation_price_setter" not in page  # not shown again as a raw attribute


def _form(version, **values):
    data = {"version": version, "comment": ""}
    data.update(values)
    return data


def test_the_team_declares_its_facts_with_the_form_and_they_are_published(client, gasap, editor):
    client.force_login(editor)
    assert "Publish these facts" in client.get(f"/places/{gasap.public_id}/relations", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    answer = client.post(f"/places/{gasap.public_id}/relations", _form(1, price_setter="producer", commitment="season_prefinancing",
                         direct_contact=["farm_visits", "volunteering"], chain="intermediaries", chain_role_0="logistics",
                         chain_name_0="Vélo-livreurs", evidence_commitment="https://gasap.be/charte"))
    assert answer.status_code == 302, answer.content.decode()[:2000]
    facts = current_facts(Place.objects.get(pk=gasap.pk))
    assert facts["chain"]["value"] == [{"role": "logistics", "name": "Vélo-livreurs"}]
    assert facts["direct_contact"]["value"] == ["farm_visits", "volunteering"]
    assert facts["commitment"]["evidence"] == "https://gasap.be/charte" and "governance" not in facts


def test_an_intermediary_without_a_name_is_refused_on_the_form(client, gasap, editor):
    client.force_login(editor)
    answer = client.post(f"/places/{gasap.public_id}/relations", _form(1, chain="intermediaries", chain_role_0="shop"), HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 400 and "Give both the role and the name" in answer.content.decode()


def test_a_stale_form_says_someone_changed_the_place(client, gasap, editor):
    client.force_login(editor)
    client.post(f"/places/{gasap.public_id}/relations", _form(1, governance="members"))
    answer = client.post(f"/places/{gasap.public_id}/relations", _form(1, governance="owner"), HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 409 and "Someone changed this place" in answer.content.decode()


def test_a_visitor_suggests_facts_with_an_email_address(client, gasap, mailoutbox):
    answer = client.post(f"/places/{gasap.public_id}/relations", _form(1, governance="members", email="eater@example.org"), HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 200 and "Your suggestion goes to the moderators" in answer.content.decode()
    assert current_facts(Place.objects.get(pk=gasap.pk)) == {} and mailoutbox


def test_the_comparison_lays_brussels_short_chains_side_by_side_without_a_score(client, gasap, editor, organisation):
    make_place("Marché des Tanneurs", categories=("market",), coordinates=[4.3465, 50.8375])
    make_place("Ferme en Wallonie", categories=("farm-shop",), coordinates=[4.8671, 50.4669])
    services.declare_facts(public_id=gasap.public_id, base_version=1, author=editor,
                           declarations={"price_setter": fact("producer"), "chain": fact([])})
    page = client.get("/relations/compare", {"territory": "04000", "criteria": ["chain", "price_setter"]}, HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200 and "GASAP du Parvis" in text and "Marché des Tanneurs" in text and "Ferme en Wallonie" not in text
    assert text.index("GASAP du Parvis") < text.index("Marché des Tanneurs")  # what is known first, by name
    assert "The producer" in text and text.count("not declared yet") == 2 and "score" in text


def test_the_comparison_of_an_unknown_territory_says_what_to_do(client):
    page = client.get("/relations/compare", {"territory": "99999"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 404 and "Choose one in the list above" in page.content.decode()
