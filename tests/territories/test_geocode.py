"""The embedded geocoder: postcodes, communes (FR/NL), localities and Brussels streets to an approximate point; the service path."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from foodcommons.territories import geocode
from foodcommons.territories.domain.geocode import Commune, Gazetteer, Locality, Street, point_problem

pytestmark = pytest.mark.django_db


def first(text, language="fr"):
    found = geocode.search(text, language)
    assert found, f"nothing for {text!r}"
    return found[0]


def test_a_postcode_gives_its_locality_and_commune_in_the_page_language():
    fr, nl = first("1030"), first("1030", "nl")
    assert (fr.precision, fr.postcode, fr.commune, fr.approximate) == ("postcode", "1030", "21015", True)
    assert fr.label == "1030 Schaerbeek" and nl.label == "1030 Schaarbeek"
    assert (fr.locality, nl.locality) == ("Schaerbeek", "Schaarbeek")  # what the form's locality field gets
    assert abs(fr.lon - 4.377) < 0.02 and abs(fr.lat - 50.867) < 0.02


@pytest.mark.parametrize("name", ["Schaerbeek", "schaarbeek", "SCHAERBEEK"])
def test_a_commune_is_found_by_its_french_or_dutch_name(name):
    found = first(name)
    assert found.commune == "21015" and found.approximate


def test_a_commune_with_accents_and_hyphens_is_found_without_them():
    assert first("Saint Gilles").commune == "21013"
    assert first("liege").commune == "62063"


def test_a_locality_within_a_commune_is_found_with_its_commune():
    found = first("Heinsch")
    assert found.precision == "locality" and found.postcode == "6700" and found.commune == "81001"
    assert "Arlon" in found.label


def test_a_brussels_street_with_its_postcode_starts_at_the_postcode_in_both_languages():
    fr = first("Rue Josse Impens 12, 1030 Schaerbeek")
    nl = first("Josse Impensstraat 12, 1030 Schaarbeek", "nl")
    assert fr.precision == nl.precision == "street"
    assert fr.street == nl.street == {"fr": "Rue Josse Impens", "nl": "Josse Impensstraat"}
    assert fr.postcode == "1030" and fr.label.startswith("Rue Josse Impens, 1030") and nl.label.startswith("Josse Impensstraat, 1030")


def test_a_street_being_typed_is_completed_and_starts_in_brussels():
    found = geocode.search("josse imp")
    assert found and found[0].street["fr"] == "Rue Josse Impens"
    assert found[0].approximate and abs(found[0].lon - 4.35) < 0.01


def test_unknown_words_find_nothing():
    assert geocode.search("xqzt") == [] and geocode.search("") == [] and geocode.search("0000") == []


def test_the_gazetteer_is_built_from_what_the_process_keeps_without_reading_boundaries_again(django_assert_max_num_queries):
    from foodcommons.territories import selectors

    selectors.commune_index(), selectors.info("21015")
    geocode.gazetteer.cache_clear()
    with django_assert_max_num_queries(1):  # at most the versions of the shared caches
        built = geocode.gazetteer()
    assert len(built.communes) == 581 and len(built.by_postcode) > 1100 and len(built.streets) > 6000


def test_the_pure_gazetteer_answers_from_its_own_lists():
    g = Gazetteer([Locality("1030", "Schaarbeek", 4.37, 50.86, True, "21015")], [Commune("21015", {"fr": "Schaerbeek", "nl": "Schaarbeek"}, 4.38, 50.86)],
                  [Street({"fr": "Rue Royale", "nl": "Koningsstraat"})])
    assert g.search("Koningsstraat 1030", "nl")[0].label == "Koningsstraat, 1030 Schaarbeek"
    assert g.search("rue royale, schaerbeek")[0].lon == 4.38


@pytest.mark.parametrize(("lon", "lat", "problem"), [(4.37, 50.86, None), (50.86, 4.37, "swapped"), (2.35, 48.85, "outside"), (0, 0, "outside")])
def test_a_point_outside_belgium_or_swapped_is_named(lon, lat, problem):
    assert point_problem(lon, lat) == problem


def test_without_a_configured_service_nothing_reaches_out(settings, monkeypatch):
    settings.FOODCOMMONS_GEOCODER_URL = ""
    monkeypatch.setattr(geocode.outbound, "fetch", lambda *a, **k: pytest.fail("reached out"))
    assert first("Rue Josse Impens 12, 1030").precision == "street"


class _Nominatim(BaseHTTPRequestHandler):
    asked: list[str] = []

    def do_GET(self):
        type(self).asked.append(self.path)
        body = json.dumps([{"lon": "4.3791", "lat": "50.8642", "display_name": "12, Rue Josse Impens, Schaerbeek", "address": {"postcode": "1030"}}])
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def nominatim(settings):
    server = HTTPServer(("127.0.0.1", 0), _Nominatim)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.FOODCOMMONS_GEOCODER_URL = f"http://127.0.0.1:{server.server_port}"
    settings.FOODCOMMONS_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    _Nominatim.asked = []
    yield _Nominatim
    server.shutdown()


def test_a_configured_service_gives_the_exact_address_first(nominatim):
    found = geocode.search("Rue Josse Impens 12, 1030 Schaerbeek")
    assert (found[0].precision, found[0].approximate, found[0].commune, found[0].postcode) == ("address", False, "21015", "1030")
    assert found[1].precision == "street" and "countrycodes=be" in nominatim.asked[0]


def test_a_postcode_alone_is_not_sent_to_the_service(nominatim):
    assert first("1030").precision == "postcode" and nominatim.asked == []


def test_a_service_that_fails_leaves_the_embedded_answer(settings):
    settings.FOODCOMMONS_GEOCODER_URL = "http://127.0.0.1:9"
    settings.FOODCOMMONS_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    assert first("Rue Josse Impens 12, 1030").precision == "street"
