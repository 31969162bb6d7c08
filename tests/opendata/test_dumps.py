import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from frictionless import Package, validate

from foodcommons.imports.models import Source, SourceRecord
from foodcommons.places import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def unzip(content: bytes, into) -> dict:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(into)
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_latest_dump_is_a_valid_frictionless_data_package(client, make_place, tmp_path):
    place = make_place()
    source = Source.objects.create(slug="osm", name="OpenStreetMap", licence="ODbL-1.0", attribution="© OpenStreetMap contributors", url="https://www.openstreetmap.org")
    SourceRecord.objects.create(source=source, external_id="node/1", place=place, fetched_at=place.created_at)
    deleted = make_place(name={"fr": "Supprimé"})
    services.delete_place(public_id=deleted.public_id)
    response = client.get("/api/dumps/latest")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    files = unzip(b"".join(response.streaming_content), tmp_path / "unzipped")
    assert set(files) == {"datapackage.json", "places.csv", "places.geojson", "categories.csv", "territories.csv"}
    report = validate(str(tmp_path / "unzipped" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    cli = subprocess.run(
        [str(Path(__file__).parents[2] / ".venv" / "bin" / "frictionless"), "validate", "datapackage.json"],
        cwd=tmp_path / "unzipped",
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 0, cli.stdout
    package = Package(str(tmp_path / "unzipped" / "datapackage.json"))
    rows = package.get_resource("places").read_rows()
    assert [r["id"] for r in rows] == [place.public_id]
    assert rows[0]["version"] == 1 and float(rows[0]["lat"]) == pytest.approx(50.8624152)
    assert "02 244" not in files["places.csv"].decode(), "private contacts stay out"
    descriptor = json.loads(files["datapackage.json"])
    assert descriptor["licenses"][0]["name"] == "ODbL-1.0"
    assert any("© OpenStreetMap contributors" in s["title"] for s in descriptor["sources"])
    geojson = json.loads(files["places.geojson"])
    assert [f["id"] for f in geojson["features"]] == [place.public_id] and geojson["licence"] == "ODbL-1.0"
    assert len(package.get_resource("territories").read_rows()) > 500


def test_the_dump_is_served_with_an_etag_and_answers_304_when_unchanged(client, make_place):
    make_place()
    first = client.get("/api/dumps/latest")
    etag = first["ETag"]
    assert etag and first["Last-Modified"]
    again = client.get("/api/dumps/latest", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag


def test_a_staff_rebuild_makes_a_new_latest_dump_with_the_new_places(api, client, make_place):
    make_place()
    old = client.get("/api/dumps").json()
    make_place(name={"fr": "Nouveau compost"})
    rebuilt = api.post("/api/dumps")
    assert rebuilt.status_code == 201
    assert rebuilt.json()["etag"] != old["etag"]
    assert int(rebuilt.json()["changes_cursor"]) > int(old["changes_cursor"])
    content = b"".join(client.get("/api/dumps/latest").streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"Nouveau compost" in archive.read("places.csv")


def test_a_rebuild_needs_a_staff_token(client):
    assert client.post("/api/dumps").status_code == 401


def test_the_dump_command_builds_and_keeps_only_the_last_three(data_dir, make_place):
    make_place()
    for _ in range(4):
        call_command("dump", base_url="https://commons.example", stdout=io.StringIO())
    zips = sorted((data_dir / "dumps").glob("*.zip"))
    assert len(zips) == 3
    with zipfile.ZipFile(zips[-1]) as archive:
        assert json.loads(archive.read("datapackage.json"))["homepage"] == "https://commons.example"
