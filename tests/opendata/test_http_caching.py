import time

import pytest

from foodcommons.places import services

pytestmark = pytest.mark.django_db

READS = ["/api/places", "/api/places.geojson", "/api/places.csv", "/api/changes", "/ogc/collections/places/items"]


@pytest.mark.parametrize("path", READS)
def test_reads_carry_etag_and_last_modified_and_answer_304_when_unchanged(client, make_place, path):
    make_place()
    first = client.get(path)
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


@pytest.mark.parametrize("path", READS)
def test_a_change_of_a_place_makes_the_old_etag_stale(client, make_place, path):
    place = make_place()
    etag = client.get(path)["ETag"]
    services.update_place(public_id=place.public_id, patch={"opening_hours": "Su 09:00-10:00"}, base_version=1)
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_one_place_is_conditional_and_varies_with_accept(client, make_place):
    place = make_place()
    first = client.get(f"/api/places/{place.public_id}")
    assert "Accept" in first["Vary"]
    assert client.get(f"/api/places/{place.public_id}", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    jsonld = client.get(f"/api/places/{place.public_id}", HTTP_ACCEPT="application/ld+json")
    assert jsonld["ETag"] != first["ETag"]


def test_last_modified_moves_with_the_latest_revision(client, make_place):
    place = make_place()
    before = client.get("/api/places")["Last-Modified"]
    time.sleep(1.1)  # HTTP dates have a one-second resolution
    services.update_place(public_id=place.public_id, patch={"opening_hours": "Su 09:00-10:00"}, base_version=1)
    assert client.get("/api/places")["Last-Modified"] != before


@pytest.mark.parametrize("path", ["/api/places", "/api/places.geojson", "/ogc/collections/places/items"])
def test_large_answers_are_gzipped_for_clients_that_accept_it_and_stay_conditional(client, make_place, path):
    import gzip
    import json

    for _ in range(3):
        make_place()
    plain = client.get(path)
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    packed = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert len(packed.content) < len(plain.content) / 3
    assert json.loads(gzip.decompress(packed.content))["licence"] == json.loads(plain.content)["licence"]
    assert packed["ETag"] == "W/" + plain["ETag"].removeprefix("W/") and packed["Last-Modified"] == plain["Last-Modified"]
    assert client.get(path, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"]).status_code == 304
    assert client.get(path, HTTP_IF_NONE_MATCH=packed["ETag"]).status_code == 304


def test_small_answers_are_not_compressed(client):
    response = client.get("/ogc/conformance", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in response and len(response.content) < 1400


def test_the_latest_change_time_is_the_latest_revision_aware_of_its_zone(make_place):
    from django.db.models import Max

    from foodcommons.opendata.changes import latest_change_time
    from foodcommons.places.models import PlaceRevision

    assert latest_change_time() is None
    make_place()
    make_place()
    latest = latest_change_time()
    assert latest == PlaceRevision.objects.aggregate(at=Max("created_at"))["at"]
    assert latest.utcoffset() is not None


def test_an_unchanged_page_of_items_keeps_its_etag_as_its_time_stamp_moves(client, make_place, monkeypatch):
    import datetime as dt

    from foodcommons.opendata import views

    make_place()
    path = "/ogc/collections/places/items?limit=5"
    first = client.get(path)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    monkeypatch.setattr(views.timezone, "now", lambda: later)
    again = client.get(path)
    assert again.json()["timeStamp"] != first.json()["timeStamp"]
    assert again["ETag"] == first["ETag"] and first["ETag"].startswith("W/")
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert {k: v for k, v in again.json().items() if k != "timeStamp"} == {k: v for k, v in first.json().items() if k != "timeStamp"}
