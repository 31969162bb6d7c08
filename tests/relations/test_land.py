"""Farmland under threat: uploads in each format through a library (GDAL by pyogrio), surfaces computed, stages with
dates, per-commune totals; a bad file says why and writes nothing."""

import io
import json
import zipfile

import numpy as np
import pyogrio.raw
import pytest
import shapely

from foodcommons.places.models import Place

pytestmark = pytest.mark.django_db
# A field of about 1 ha in Anderlecht (Neerpede) and one in Gembloux, as WGS 84 polygons.
NEERPEDE = shapely.Polygon([(4.2700, 50.8250), (4.2714, 50.8250), (4.2714, 50.8259), (4.2700, 50.8259)])
GEMBLOUX = shapely.Polygon([(4.6900, 50.5600), (4.6928, 50.5600), (4.6928, 50.5618), (4.6900, 50.5618)])


def _write(tmp_path, driver: str, name: str, crs: str = "EPSG:4326", polygons=(NEERPEDE, GEMBLOUX)) -> bytes:
    path = tmp_path / name
    geometries = list(polygons)
    if crs != "EPSG:4326":
        from pyproj import Transformer

        transformer = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        geometries = [shapely.transform(g, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))) for g in geometries]
    names = np.array(["Champ de Neerpede", "Champ de Gembloux"], dtype=object)[:len(geometries)]
    pyogrio.raw.write(str(path), np.array([shapely.to_wkb(g) for g in geometries], dtype=object), [names],
                      fields=["name"], geometry_type="Polygon", crs=crs, driver=driver)
    return path


def _upload(client, token, filename: str, content: bytes, **form):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {"file": SimpleUploadedFile(filename, content), "threat": "urbanisation", **form}
    return client.post("/api/land/uploads", data, HTTP_AUTHORIZATION=f"Bearer {token}")


def _files(tmp_path) -> dict[str, tuple[str, bytes]]:
    geojson = _write(tmp_path, "GeoJSON", "fields.geojson")
    kml = _write(tmp_path, "KML", "fields.kml")
    gpkg = _write(tmp_path, "GPKG", "fields.gpkg", crs="EPSG:31370")  # Belgian Lambert 72, as Belgian GIS exports
    _write(tmp_path, "ESRI Shapefile", "fields.shp", crs="EPSG:3812")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        for part in tmp_path.glob("fields.*"):
            if part.suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                z.write(part, f"champs/{part.name}")
    return {"geojson": ("fields.geojson", geojson.read_bytes()), "kml": ("fields.kml", kml.read_bytes()),
            "gpkg": ("fields.gpkg", gpkg.read_bytes()), "shapefile": ("champs.zip", archive.getvalue())}


@pytest.mark.parametrize("kind", ["geojson", "kml", "gpkg", "shapefile"])
def test_an_upload_in_each_format_becomes_fields_with_their_surface_and_commune(client, staff_token, tmp_path, kind):
    filename, content = _files(tmp_path)[kind]
    answer = _upload(client, staff_token, filename, content, stage="public_inquiry", stage_from="2026-11-02")
    assert answer.status_code == 201, answer.content
    fields = {p.name_fr: p for p in Place.objects.filter(public_id__in=answer.json()["published"])}
    assert set(fields) == {"Champ de Neerpede", "Champ de Gembloux"}
    neerpede = fields["Champ de Neerpede"]
    assert neerpede.commune_id == "21001" and neerpede.geometry_type == "Polygon"
    assert neerpede.attributes["surface_ha"] == pytest.approx(1.0, abs=0.15)
    assert neerpede.attributes["land_stages"] == [{"stage": "public_inquiry", "from": "2026-11-02"}]
    assert shapely.geometry.shape(neerpede.geometry()).symmetric_difference(NEERPEDE).area < NEERPEDE.area / 1000  # reprojected back


@pytest.mark.parametrize(("filename", "content", "part"), [
    ("fields.geojson", b"this is not json", "cannot be read"),
    ("fields.kml", b"<kml><Document></Document></kml>", "no polygon"),
    ("fields.zip", b"PK not really", "cannot be opened"),
    ("fields.docx", b"...", "unknown file type"),
    ("fields.geojson", json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [4.3, 50.8]}}]}).encode(), "no polygon"),
    ("fields.geojson", b"", "empty"),
])
def test_a_bad_file_says_why_and_writes_nothing(client, staff_token, filename, content, part):
    before = Place.objects.count()
    answer = _upload(client, staff_token, filename, content)
    assert answer.status_code == 400 and part in answer.content.decode()
    assert Place.objects.count() == before


def test_a_zip_without_a_shapefile_is_refused(client, staff_token):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.txt", "nothing here")
    answer = _upload(client, staff_token, "fields.zip", archive.getvalue())
    assert answer.status_code == 400 and "no shapefile" in answer.content.decode()


def test_a_bad_stage_refuses_the_whole_file(client, staff_token, tmp_path):
    filename, content = _files(tmp_path)["geojson"]
    before = Place.objects.count()
    answer = _upload(client, staff_token, filename, content, stage="bulldozed", stage_from="2026-11-02")
    assert answer.status_code == 400 and "land_stages" in answer.content.decode()
    assert Place.objects.count() == before


def test_the_per_commune_totals_add_the_surfaces_up(client, staff_token, tmp_path):
    filename, content = _files(tmp_path)["geojson"]
    _upload(client, staff_token, filename, content)
    totals = {row["commune"]: row for row in client.get("/api/land/communes").json()}
    assert totals["21001"]["count"] == 1 and totals["21001"]["surface_ha"] == pytest.approx(1.0, abs=0.15)
    assert totals["92142"]["count"] == 1


def test_the_land_page_lists_the_fields_with_their_stage_and_the_totals_in_dutch(client, staff_token, tmp_path):
    filename, content = _files(tmp_path)["kml"]
    _upload(client, staff_token, filename, content, stage="permit_requested", stage_from="2026-10-01")
    page = client.get("/land/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Anderlecht" in page and "Champ de Neerpede" in page and "vergunning aangevraagd (2026-10-01)" in page
    assert "Log in to" not in page and "Meld u aan om bedreigde velden te melden" in page


def test_a_signed_in_volunteer_uploads_a_file_on_the_page_and_a_bad_one_writes_nothing(client, staff, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff)
    filename, content = _files(tmp_path)["geojson"]
    done = client.post("/land/", {"file": SimpleUploadedFile(filename, content), "threat": "fencing"}, HTTP_ACCEPT_LANGUAGE="en")
    assert done.status_code == 200 and "2 field(s) published" in done.content.decode()
    before = Place.objects.count()
    bad = client.post("/land/", {"file": SimpleUploadedFile("x.geojson", b"{"), "threat": "fencing"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and "Nothing was written" in bad.content.decode() and Place.objects.count() == before


def test_a_field_page_says_its_stages_in_words(client, staff_token, tmp_path):
    filename, content = _files(tmp_path)["geojson"]
    published = _upload(client, staff_token, filename, content, stage="public_inquiry", stage_from="2026-11-02").json()["published"]
    page = client.get(f"/places/{published[0]}", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Étapes du projet : enquête publique (2026-11-02)" in page.replace("\\u00a0", " ").replace("\xa0", " ") and "{&#x27;" not in page
