"""The language switch comes back to the same page with its filters and map view."""

from pathlib import Path

import pytest

import foodcommons.web

pytestmark = pytest.mark.django_db


def test_the_switch_of_a_filtered_map_page_names_the_page_with_its_query(client):
    html = client.get("/map?category=csa&open=1&lat=50.86&lon=4.37&z=14", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'name="next" value="/map?category=csa&amp;open=1&amp;lat=50.86&amp;lon=4.37&amp;z=14"' in html


def test_switching_keeps_the_query_string_and_the_hash(client):
    next_url = "/directory/21015?category=neighbourhood-compost&q=jardin#places-title"
    response = client.post("/i18n/setlang/", {"language": "nl", "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url


def test_the_page_script_updates_the_next_field_to_the_current_address(client):
    script = (Path(foodcommons.web.__file__).parent / "static/web/site.js").read_text()
    assert "window.location.search + window.location.hash" in script
