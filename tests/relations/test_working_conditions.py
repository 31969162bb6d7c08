"""Working conditions declared by producers: optional attributes of farms, moderated as every change of a place is."""

import pytest

from foodcommons.core.problems import InvalidInput
from foodcommons.places.services import update_place
from tests.relations.conftest import make_place

pytestmark = pytest.mark.django_db


def test_a_farm_declares_who_works_there_and_the_page_says_it(client):
    farm = make_place("Ferme du Chenoy", categories=("farm",), coordinates=[4.6, 50.68])
    update_place(public_id=farm.public_id, base_version=1, patch={"attributes": {
        "workers": ["family", "seasonal"], "earns_a_living": "partly", "training": ["apprentices"],
        "labour_certification": "https://www.fairtrade-belgium.be/"}})
    page = client.get(f"/places/{farm.public_id}", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Het gezin" in page and "Seizoenarbeiders" in page and "Gedeeltelijk" in page and "Leidt leerlingen op" in page


def test_working_conditions_outside_their_choices_are_refused():
    farm = make_place("Ferme", categories=("farm",), coordinates=[4.6, 50.68])
    with pytest.raises(InvalidInput) as refused:
        update_place(public_id=farm.public_id, base_version=1, patch={"attributes": {"workers": ["slaves"], "earns_a_living": "rich"}})
    assert {e.field for e in refused.value.errors} == {"attributes.workers", "attributes.earns_a_living"}


def test_someone_outside_the_farm_suggests_working_conditions_for_moderators(client, outsider):
    from foodcommons.collaboration.services import update_or_suggest

    farm = make_place("Ferme", categories=("farm",), coordinates=[4.6, 50.68])
    outcome = update_or_suggest(public_id=farm.public_id, patch={"attributes": {"workers": ["volunteers"]}}, base_version=1, author=outsider)
    assert outcome.suggestion is not None and outcome.result is None
