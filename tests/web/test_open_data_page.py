"""The open-data page: full downloads, APIs, catalogue, change feed and licences in plain words."""

import csv
import io
import json

import pytest

from foodcommons.places.bulk import bulk_create_places
from tests.conftest import compost

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    bulk_create_places(inputs=[compost(name={"fr": f"Compost {i}"}) for i in range(60)])


def test_the_page_links_the_full_downloads_the_apis_the_catalogue_and_the_feed(client, many):
    html = client.get("/open-data", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for href in ("/api/dumps/latest", "/open-data/places.geojson", "/open-data/places.csv", "/api/docs", "/ogc/",
                 "/api/changes", "/api/catalog.ttl", "https://opendatacommons.org/licenses/odbl/1-0/"):
        assert f'href="{href}"' in html
    assert "60 places were added here by their contributors: they are under the licence ODbL-1.0." in html
    assert "say where it comes from" in html


@pytest.mark.parametrize(("language", "words"), [("fr", "Données ouvertes"), ("nl", "Open data")])
def test_the_page_speaks_the_visitors_language(client, many, language, words):
    html = client.get("/open-data", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f"<h1>{words}</h1>" in html


def test_the_footer_links_the_full_files_not_a_first_page(client, db):
    html = client.get("/directory", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/open-data"' in html and 'href="/open-data/places.geojson"' in html
    assert 'href="/api/places.geojson"' not in html and 'href="/api/places.csv"' not in html


def test_the_full_geojson_and_csv_hold_every_place(client, many):
    geojson = json.loads(client.get("/open-data/places.geojson").content)
    assert len(geojson["features"]) == 60 and geojson["licence"] == "ODbL-1.0"
    rows = list(csv.reader(io.StringIO(client.get("/open-data/places.csv").content.decode())))
    assert len(rows) == 61
