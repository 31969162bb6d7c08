import re

import pytest
from django.utils import translation

from foodcommons.places.services import delete_place


def test_the_map_page_has_filters_a_legend_and_the_map_library(client, db):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="map"' in html and 'role="search"' in html and "leaflet/leaflet.js" in html
    assert "Food aid" in html and 'name="category"' in html and 'name="open"' in html


def test_the_map_page_speaks_french_by_default_and_dutch_when_asked(client, db):
    assert 'lang="fr"' in client.get("/map").content.decode()
    dutch = client.get("/map", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'lang="nl"' in dutch and "Voedselhulp" in dutch and "Zoeken" in dutch


def test_the_language_switch_sets_the_language_and_returns_to_the_page(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/map?category=csa"})
    assert response.status_code == 302 and response["Location"] == "/map?category=csa"
    assert 'lang="en"' in client.get("/map").content.decode()


def test_the_embed_page_may_be_framed_and_keeps_its_preset_filters(client, db):
    response = client.get("/embed", {"category": "csa", "territory": "04000"})
    assert "X-Frame-Options" not in response
    html = response.content.decode()
    assert '<option value="csa" selected>' in html and '<option value="04000" selected>' in html
    assert client.get("/map").get("X-Frame-Options") == "DENY"


def test_the_widget_page_offers_a_snippet_and_a_preview(client, db):
    html = client.get("/widget").content.decode()
    assert 'id="snippet"' in html and "&lt;iframe" in html and 'id="preview"' in html


def test_the_place_page_shows_what_a_visitor_needs(client, make_place):
    place = make_place(description={"fr": "Un compost partagé.", "en": "A shared compost."})
    html = client.get(f"/places/{place.public_id}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for expected in ["Compost de quartier Josaphat", "A shared compost.", "Rue Kessels 12", "Saturday: 10:00 to 12:00",
                     "compost@example.org", "ODbL-1.0", f"/places/{place.public_id}/edit", f"/places/{place.public_id}/report",
                     f"/places/{place.public_id}/history", "Neighbourhood compost"]:
        assert expected in html
    assert "244 75 11" not in html  # a private contact stays private


def test_the_place_page_falls_back_to_another_language(client, make_place):
    place = make_place()
    html = client.get(f"/places/{place.public_id}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Compost de quartier Josaphat</h1>" in html


def test_an_unknown_place_is_404_and_a_deleted_one_410(client, make_place):
    assert client.get("/places/nope").status_code == 404
    place = make_place()
    delete_place(public_id=place.public_id, base_version=1)
    assert client.get(f"/places/{place.public_id}").status_code == 410


def test_the_directory_lists_places_of_a_territory_page_by_page_without_javascript(client, make_place):
    for i in range(53):
        make_place(name={"fr": f"Compost {i:02d}"})
    first = client.get("/directory/04000", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "53 places" in first and "Compost 00" in first and "Compost 50" not in first and 'rel="next"' in first
    second = client.get("/directory/04000", {"page": 2}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Compost 50" in second and 'rel="prev"' in second


def test_the_directory_filters_by_category_and_links_down_the_territories(client, make_place):
    make_place()
    assert "0 places" in client.get("/directory/04000", {"category": "food-aid"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    top = client.get("/directory").content.decode()
    assert 'href="/directory/04000"' in top
    assert client.get("/directory/99999").status_code == 404
    assert client.get("/directory/04000", {"category": "nope"}).status_code == 400


@pytest.mark.parametrize(("language", "word"), [("fr", "Carte"), ("nl", "Kaart"), ("en", "Map")])
def test_every_page_names_the_map_in_each_language(client, db, language, word):
    with translation.override(language):
        html = client.get("/directory", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f">{word}</a>" in html


def test_a_map_preset_on_a_territory_opens_on_its_bounds(client, db):
    html = client.get("/embed", {"territory": "21004"}).content.decode()
    bounds = re.search(r'data-bounds="\[\[([\d.]+), ([\d.]+)\], \[([\d.]+), ([\d.]+)\]\]"', html)
    south, west, north, east = map(float, bounds.groups())
    assert 50.7 < south < north < 50.95 and 4.2 < west < east < 4.5
    assert '<option value="21004" selected>Bruxelles</option>' in html


def test_the_territory_filter_lists_regions_and_provinces(client, db):
    html = client.get("/map", {"territory": "20001"}, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert '<option value="20001" selected>— Provincie Vlaams-Brabant</option>' in html


@pytest.mark.parametrize(("language", "account"), [("fr", "Mon compte"), ("nl", "Mijn account"), ("en", "My account")])
def test_signed_in_people_find_their_account_and_only_the_tools_they_may_use_in_the_menu(client, django_user_model, language, account):
    from foodcommons.collaboration.models import Membership, Organisation

    assert 'href="/accounts/login"' in client.get("/directory").content.decode()
    ann = django_user_model.objects.create_user("ann")
    client.force_login(ann)
    with translation.override(language):
        html = client.get("/directory", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f">{account}</a>" in html
    assert 'href="/imports/"' not in html and 'href="/moderation/"' not in html  # a plain user would meet a 403 and an empty queue
    network = Organisation.objects.create(slug="network", name="Network")
    Membership.objects.create(organisation=network, user=ann, role="editor")
    html = client.get("/directory", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert 'href="/imports/"' in html and 'href="/moderation/"' not in html
    Membership.objects.filter(user=ann).update(role="moderator")
    html = client.get("/directory", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert 'href="/imports/"' in html and 'href="/moderation/"' in html


@pytest.mark.django_db
def test_pages_answer_head_requests_as_uptime_monitors_send_them(client, make_place):
    place = make_place()
    for path in ("/", "/directory", f"/places/{place.public_id}", "/map/boundaries.geojson"):
        response = client.head(path)
        assert response.status_code == 200 and response.content == b"", path
