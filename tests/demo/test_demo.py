import pytest

from foodcommons.demo.loader import load_demo
from foodcommons.demo.osm import category_for, place_input
from foodcommons.imports.models import SourceRecord
from foodcommons.places.models import Place

pytestmark = pytest.mark.django_db


def test_osm_tags_map_to_categories():
    assert category_for({"shop": "bakery"}) == "bakery"
    assert category_for({"amenity": "social_facility", "social_facility": "food_bank"}) == "food-bank"
    assert category_for({"shop": "supermarket", "organic": "only"}) == "organic-shop"
    assert category_for({"shop": "car"}) is None


def test_an_osm_building_becomes_a_point_with_its_address_and_valid_contacts():
    ring = [[5.81, 49.68], [5.82, 49.68], [5.82, 49.69], [5.81, 49.69], [5.81, 49.68]]
    tags = {"name": "Fromagerie", "shop": "cheese", "addr:street": "Grand-Rue", "addr:postcode": "6700", "phone": "not a phone", "website": "example.be"}
    place = place_input(tags, {"type": "Polygon", "coordinates": [ring]})
    assert place["geometry"]["type"] == "Point"
    assert place["address"] == {"street": "Grand-Rue", "postcode": "6700"}
    assert place["contacts"] == [{"kind": "website", "value": "https://example.be/"}]


def test_the_demo_loads_real_places_with_sources_and_is_idempotent():
    created = load_demo()
    assert created > 40
    assert load_demo() == 0
    composts = Place.objects.filter(categories__slug="neighbourhood-compost")
    assert composts.filter(commune_id="21015").count() >= 14
    osm = SourceRecord.objects.filter(source__slug="osm-luxembourg")
    assert osm.count() > 30 and all(r.place.licence == "ODbL-1.0" for r in osm.select_related("place"))
    assert set(Place.objects.filter(source_records__source__slug="osm-luxembourg").values_list("commune__parent__parent", flat=True)) == {"80000"}


def test_demo_places_show_their_attribution_in_the_api(client):
    load_demo()
    import json

    page = json.loads(client.get("/api/places", {"source": "osm-luxembourg", "limit": 1}).content)
    assert page["places"][0]["attribution"] == ["© OpenStreetMap contributors, ODbL 1.0"]
    assert page["attribution"] == ["© OpenStreetMap contributors, ODbL 1.0"]


def test_demo_places_say_which_source_gave_each_field_in_the_api_and_on_their_page(client):
    load_demo()
    import json

    place = Place.objects.filter(source_records__source__slug="schaerbeek-composts").first()
    provenance = json.loads(client.get(f"/api/places/{place.public_id}").content)["provenance"]
    assert provenance["name.fr"]["published"]["source"] == "schaerbeek-composts"
    assert provenance["geometry"]["published"]["licence"] == "GPL-3.0-only"
    page = client.get(f"/places/{place.public_id}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Schaerbeek – neighbourhood composts" in page and "GPL-3.0-only" in page
