"""The demo states relation facts only where its source does: OpenStreetMap's farm shops sell their own produce."""

import pytest

from foodcommons.demo.farmshops import place_input
from foodcommons.places.domain.validation import clean_place
from foodcommons.places.services import default_lookups

FARM = {"@id": "node/1", "name": "Ferme du Chenoy", "shop": "farm", "farmshops:category": "farm", "be:region": "Région Wallonne",
        "be:commune_fr": "Ottignies"}
MARKET = {"@id": "node/2", "name": "Marché de Jette", "amenity": "marketplace", "farmshops:category": "marketplace",
          "be:region": "Région de Bruxelles-Capitale"}


@pytest.mark.django_db
def test_a_farm_shop_of_openstreetmap_has_a_direct_chain_stated_by_its_source():
    clean = clean_place(place_input(FARM, 4.6, 50.68), default_lookups())
    chain = clean.attributes["relation_chain"]
    assert chain["value"] == [] and chain["count"] == 0 and chain["declared_by"] == {"kind": "source", "name": "OpenStreetMap"}
    assert set(clean.attributes) == {"relation_chain"}  # nothing else is claimed


def test_a_market_states_no_relation_fact():
    assert "relation_chain" not in (place_input(MARKET, 4.32, 50.88) or {}).get("attributes", {})
