"""Relation facts are place revisions: declared by the team (published) or suggested, checked by moderators, with
history, revert and the version check; through the services and the API."""

import json

import pytest

from foodcommons.collaboration.models import Suggestion
from foodcommons.core.problems import InvalidInput, VersionConflict
from foodcommons.places.models import Place, PlaceRevision
from foodcommons.places.services import revert_place
from foodcommons.relations import services
from foodcommons.relations.selectors import current_facts
from tests.relations.conftest import fact, make_place

pytestmark = pytest.mark.django_db


def _declare(place, author, **facts):
    return services.declare_facts(public_id=place.public_id, declarations=facts, base_version=Place.objects.get(pk=place.pk).version,
                                  author=author)


def test_the_team_publishes_its_facts_as_a_new_revision_with_its_name_and_date(gasap, editor):
    outcome = _declare(gasap, editor, price_setter=fact("producer", evidence="https://gasap.be/charte"), chain=fact([]))
    assert outcome.result is not None and outcome.result.place.version == 2
    facts = current_facts(Place.objects.get(pk=gasap.pk))
    assert facts["price_setter"]["declared_by"] == {"kind": "team", "name": "GASAP de Saint-Gilles"}
    assert facts["price_setter"]["evidence"] == "https://gasap.be/charte" and "checked" not in facts["price_setter"]
    assert facts["chain"]["count"] == 0
    revision = PlaceRevision.objects.get(place=gasap, version=2)
    assert revision.author == editor and revision.state["attributes"]["relation_price_setter"]["value"] == "producer"


def test_someone_outside_the_team_suggests_and_nothing_is_published(gasap, outsider):
    outcome = _declare(gasap, outsider, commitment=fact("season_prefinancing"))
    assert outcome.result is None and outcome.suggestion.status == Suggestion.Status.PENDING
    patch = outcome.suggestion.payload["attributes"]["relation_commitment"]
    assert patch["declared_by"] == {"kind": "contributor"} and patch["value"] == "season_prefinancing"
    assert current_facts(Place.objects.get(pk=gasap.pk)) == {}


def test_a_declaration_on_a_stale_version_conflicts_and_writes_nothing(gasap, editor):
    _declare(gasap, editor, governance=fact("members"))
    with pytest.raises(VersionConflict):
        services.declare_facts(public_id=gasap.public_id, declarations={"governance": fact("owner")}, base_version=1, author=editor)
    assert current_facts(Place.objects.get(pk=gasap.pk))["governance"]["value"] == "members"


def test_a_revert_brings_back_the_facts_of_an_older_version(gasap, editor, moderator):
    _declare(gasap, editor, price_setter=fact("producer"))
    _declare(gasap, editor, price_setter=fact("negotiated"))
    revert_place(public_id=gasap.public_id, to_version=2, base_version=3, author=moderator)
    place = Place.objects.get(pk=gasap.pk)
    assert place.version == 4 and current_facts(place)["price_setter"]["value"] == "producer"


def test_a_value_outside_the_grid_is_refused_naming_the_attribute(gasap, editor):
    with pytest.raises(InvalidInput) as refused:
        _declare(gasap, editor, price_setter=fact("the farmer"))
    assert refused.value.errors[0].field == "attributes.relation_price_setter"
    assert Place.objects.get(pk=gasap.pk).version == 1


def test_a_place_that_is_no_short_chain_has_no_relation_facts(organisation, editor):
    kitchen = make_place("Cuisine", categories=("shared-kitchen",), organisation=organisation)
    with pytest.raises(InvalidInput):
        _declare(kitchen, editor, price_setter=fact("producer"))


def test_a_moderator_checks_a_fact_and_a_new_value_drops_the_check(gasap, editor, moderator):
    _declare(gasap, editor, commitment=fact("subscription"))
    services.check_fact(public_id=gasap.public_id, criterion="commitment", base_version=2, moderator=moderator)
    assert current_facts(Place.objects.get(pk=gasap.pk))["commitment"]["checked"]["by"] == "GASAP de Saint-Gilles"
    _declare(gasap, editor, commitment=fact("subscription"), governance=fact("members"))  # the same value again: kept as checked
    assert "checked" in current_facts(Place.objects.get(pk=gasap.pk))["commitment"]
    _declare(gasap, editor, commitment=fact("season_prefinancing"))
    assert "checked" not in current_facts(Place.objects.get(pk=gasap.pk))["commitment"]


def test_an_editor_may_not_check_facts(gasap, editor):
    from foodcommons.collaboration.services import Forbidden

    _declare(gasap, editor, commitment=fact("subscription"))
    with pytest.raises(Forbidden):
        services.check_fact(public_id=gasap.public_id, criterion="commitment", base_version=2, moderator=editor)


def test_withdrawing_a_fact_removes_it(gasap, editor):
    _declare(gasap, editor, governance=fact("members"))
    _declare(gasap, editor, governance=None)
    assert "governance" not in current_facts(Place.objects.get(pk=gasap.pk))


def _token(user):
    from foodcommons.accounts.tokens import create_token

    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user=user)}"}


def test_the_api_declares_reads_and_checks_facts(client, gasap, editor, moderator):
    body = {"version": 1, "facts": {"price_setter": {"value": "producer"}, "chain": {"value": [{"role": "shop", "name": "Färm"}]}}}
    answer = client.patch(f"/api/places/{gasap.public_id}/relations", json.dumps(body), content_type="application/json", **_token(editor))
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"status": "published", "version": 2, "suggestion": None}
    read = client.get(f"/api/places/{gasap.public_id}/relations").json()
    assert read["facts"]["chain"]["count"] == 1 and read["facts"]["governance"] is None
    stale = client.patch(f"/api/places/{gasap.public_id}/relations", json.dumps(body), content_type="application/json", **_token(editor))
    assert stale.status_code == 409
    checked = client.post(f"/api/places/{gasap.public_id}/relations/price_setter/check", json.dumps({"version": 2}),
                          content_type="application/json", **_token(moderator))
    assert checked.status_code == 200 and checked.json()["facts"]["price_setter"]["checked"]["at"]


def test_an_anonymous_declaration_through_the_api_is_a_suggestion_confirmed_by_email(client, gasap, mailoutbox):
    body = {"version": 1, "facts": {"governance": {"value": "members"}}, "email": "eater@example.org"}
    answer = client.patch(f"/api/places/{gasap.public_id}/relations", json.dumps(body), content_type="application/json")
    assert answer.status_code == 202 and answer.json()["status"] == "suggested"
    assert mailoutbox and mailoutbox[0].to == ["eater@example.org"]


def test_the_api_has_no_relation_profile_for_a_place_that_is_no_short_chain(client, organisation):
    kitchen = make_place("Cuisine", categories=("shared-kitchen",))
    assert client.get(f"/api/places/{kitchen.public_id}/relations").status_code == 404


def test_the_place_json_ld_carries_declared_facts_as_concepts_of_the_grid(client, gasap, editor):
    from rdflib import Graph, Literal, URIRef

    _declare(gasap, editor, price_setter=fact("producer", evidence="https://gasap.be/charte"), chain=fact([{"role": "shop", "name": "Färm"}]))
    answer = client.get(f"/api/places/{gasap.public_id}.jsonld")
    graph = Graph().parse(data=answer.content.decode(), format="json-ld")
    terms = "http://testserver/relations/terms#"
    price = next(graph.objects(URIRef(f"http://testserver/api/places/{gasap.public_id}"), URIRef(terms + "price_setter")))
    assert (price, URIRef(terms + "value"), URIRef("http://testserver/relations/criteria/price_setter/producer")) in graph
    assert (price, URIRef(terms + "evidence"), URIRef("https://gasap.be/charte")) in graph
    chain = next(graph.objects(URIRef(f"http://testserver/api/places/{gasap.public_id}"), URIRef(terms + "chain")))
    assert (chain, URIRef(terms + "intermediaries"), Literal(1)) in graph


def test_the_history_says_a_declared_fact_in_words_not_as_raw_keys(client, gasap, editor):
    _declare(gasap, editor, price_setter=fact("producer"), chain=fact([{"role": "shop", "name": "Färm"}]))
    import re

    page = client.get(f"/places/{gasap.public_id}/history", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    text = re.sub(r"<[^>]+>", " ", page)
    assert "De producent bepaalt de prijs. (GASAP de Saint-Gilles, " in text and "Wie de prijs bepaalt" in text
    assert "1 tussenschakel(s): een winkel (Färm)." in text
    assert "declared_by" not in text and "relation_chain" not in text and "{&#x27;" not in text
