"""Real OGC API – Features clients (GDAL/OGR's OAPIF driver and OWSLib) read every feature of a live server."""

import re
import shutil
import subprocess

import pytest

from tests.conftest import compost
from tests.opendata.live import Instance

PLACES = 7


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    server = Instance(tmp_path_factory.mktemp("ogc"), "ogc").start()
    token = server.token()
    for i in range(PLACES):
        server.send("POST", "/api/places", token, compost(name={"fr": f"Compost {i}"}))
    yield server
    server.stop()


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="gdal-bin is not installed (scripts/test and .ci/run install it as root)")
def test_gdal_lists_the_collections_and_reads_every_feature(instance):
    listing = subprocess.run(["ogrinfo", "-ro", "-q", f"OAPIF:{instance.url}/ogc/"], capture_output=True, text=True, timeout=60)
    assert listing.returncode == 0, listing.stderr
    assert re.search(r"^1: places", listing.stdout, re.M), listing.stdout
    # A page size below the count makes GDAL follow the next links.
    features = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-oo", "PAGE_SIZE=3", f"OAPIF:{instance.url}/ogc/collections/places"],
        capture_output=True, text=True, timeout=60,
    )
    assert features.returncode == 0, features.stderr
    assert features.stdout.count("OGRFeature(places)") == PLACES
    assert "Feature Count: 7" in features.stdout or "POINT (4.3779782 50.8624152)" in features.stdout


def test_owslib_lists_the_collections_and_reads_every_feature(instance):
    from owslib.ogcapi.features import Features

    service = Features(f"{instance.url}/ogc")
    collection_ids = [c["id"] for c in service.collections()["collections"]]
    assert "places" in collection_ids
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in service.conformance()["conformsTo"]
    items = service.collection_items("places", limit=100)
    assert items["numberMatched"] == len(items["features"]) == PLACES
    assert service.collection_item("places", items["features"][0]["id"])["type"] == "Feature"
    assert "name" in service.collection_queryables("places")["properties"]
