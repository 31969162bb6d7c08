"""Bounded, explained input: each case of the outside audit, through the real API, the CLI and the web upload.

Every bad input is a problem document (400 with the field and the reason) or a per-row error of the run report; none
is a 500, and an import that fails leaves nothing behind: no source, no run half written, no place.
"""

import functools
import importlib
import io
import json
import resource
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from foodcommons.collaboration.models import Suggestion
from foodcommons.imports.models import ImportRun, Source, SourceRecord
from foodcommons.imports.services import runs, sources
from foodcommons.places.models import Place, PlaceRevision
from tests.conftest import SCHAERBEEK_POINT, compost

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
HUGE = 2**70
CSV = ("id;name;type;street;number;postcode;city;lat;lon\n"
       "1;GASAP Josaphat;gasap;Rue Josaphat;12;1030;Schaerbeek;50.8624;4.3780\n"
       "2;GASAP du Chant des Cailles;gasap;Avenue de la Houlette;3;1170;Watermael-Boitsfort;50.8060;4.4240\n")


def problem(response, status: int = 400) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"] == "application/problem+json"
    return json.loads(response.content)


def report(response) -> dict:
    """Return the run report of an import that was read (its bad rows are in `errors`)."""
    assert response.status_code == 200, (response.status_code, response.content[:500])
    return json.loads(response.content)


def fields(document: dict) -> dict[str, str]:
    return {e["field"]: e["reason"] for e in document.get("errors", [])}


def rows_written() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Source, ImportRun, SourceRecord, Place, PlaceRevision)}


def post_import(api, data: bytes, **params):
    query = "&".join(f"{k}={v}" for k, v in {"source": "audit", **params}.items())
    return api.client.post(f"/api/imports?{query}", data, content_type="application/octet-stream", HTTP_AUTHORIZATION=f"Bearer {api.token}")


def feature(geometry, number: int = 1, name: str = "Compost") -> dict:
    return {"type": "Feature", "id": f"f{number}", "geometry": geometry,
            "properties": {"name": f"{name} {number}", "type": "compost"}}


def collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


GOOD_POINT = {"type": "Point", "coordinates": SCHAERBEEK_POINT}


# --- versions -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("version", [-5, 0, 2**31, HUGE])
def test_a_suggestion_naming_a_negative_zero_or_huge_version_is_a_field_error(api, make_place, version):
    place = make_place()
    document = problem(api.post("/api/suggestions", {"kind": "delete", "place": place.public_id, "version": version}))
    assert "version" in fields(document)
    assert Suggestion.objects.count() == 0


@pytest.mark.parametrize("version", [-5, 0, HUGE])
def test_patch_revert_and_accept_with_an_out_of_range_version_are_field_errors(api, make_place, version):
    place = make_place()
    assert "version" in fields(problem(api.patch(f"/api/places/{place.public_id}", {"version": version, "opening_hours": "Mo 10:00-12:00"})))
    assert {"version", "to_version"} <= set(fields(problem(api.post(f"/api/places/{place.public_id}/revert", {"version": version, "to_version": version}))))
    assert "version" in fields(problem(api.post("/api/suggestions/unknown/accept", {"version": version})))
    place.refresh_from_db()
    assert place.version == 1


def test_a_suggestion_of_the_web_forms_with_a_bad_version_is_refused_by_the_service(make_place):
    from foodcommons.collaboration import services as collaboration
    from foodcommons.core.problems import InvalidInput

    place = make_place()
    with pytest.raises(InvalidInput) as refused:
        collaboration.suggest_only(kind="delete", public_id=place.public_id, data={}, base_version=-5, email="a@example.org")
    assert refused.value.errors[0].field == "version"
    assert Suggestion.objects.count() == 0


# --- geometries of the JSON API ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("geometry", "reason"), [
    ({"type": "Point", "coordinates": [[4.37, 50.86]]}, "nested deeper than a Point allows"),
    ({"type": "Polygon", "coordinates": [[[4.37, 50.86], [4.38, 50.86], [4.38, 50.87], [4.37, 50.87]]]}, "ring 1 is not closed"),
    ({"type": "Polygon", "coordinates": [[[4.37, 50.86], [4.38, 50.86], [4.37, 50.86]]]}, "a ring needs at least 4"),
    ({"type": "Polygon", "coordinates": [[[4, 50], [5, 51], [5, 50], [4, 51], [4, 50]]]}, "Self-intersection"),
    ({"type": "Polygon", "coordinates": [[4.37, 50.86], [4.38, 50.87]]}, "nested less deeply than a Polygon requires"),
    ({"type": "Point", "coordinates": [181, 50]}, "longitude 181 is out of range"),
    ({"type": "Point", "coordinates": [4, -91]}, "latitude -91 is out of range"),
    ({"type": "Point", "coordinates": [1e400, 50]}, "not a finite number"),
])
def test_a_bad_geometry_is_refused_with_its_reason(api, geometry, reason):
    document = problem(api.post("/api/places", compost(geometry=geometry)))
    assert any(name.startswith("geometry") and reason in text for name, text in fields(document).items()), document
    assert Place.objects.count() == 0


def test_nan_coordinates_are_refused_not_stored_as_zero_zero(api):
    body = json.dumps(compost(geometry={"type": "Point", "coordinates": [float("nan"), float("nan")]}))
    assert "NaN" in body
    document = problem(api.post("/api/places", raw=body))
    assert "not a finite number" in fields(document)["geometry.coordinates"]
    assert Place.objects.count() == 0


def test_a_geometry_of_another_type_or_nested_absurdly_deep_is_refused(api):
    assert "geometry.type" in fields(problem(api.post("/api/places", compost(geometry={"type": "LineString", "coordinates": [[4, 50], [5, 51]]}))))
    deep = '{"type": "Point", "coordinates": ' + "[" * 5000 + "]" * 5000 + "}"
    raw = json.dumps(compost(geometry=None)).replace('"geometry": null', f'"geometry": {deep}')
    problem(api.post("/api/places", raw=raw))
    assert Place.objects.count() == 0


def test_an_address_field_longer_than_its_column_is_a_field_error(api):
    document = problem(api.post("/api/places", compost(address={"house_number": "1" * 31, "locality": "x" * 201})))
    assert {"address.house_number", "address.locality"} <= set(fields(document))


# --- malformed imports through the API --------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "fmt", "reason"), [
    (b'{"type": "FeatureCollection", "features": {"a": 1}}', "", "'features' member is an object"),
    (b'{"type": "FeatureCollection", "features": "none"}', "geojson", "'features' member is a text"),
    (b"[" * 100_000, "geojson", "nested too deeply"),
    ('{"type": "FeatureCollection", "features": [], "name": "Caf\xe9"}'.encode("latin-1"), "geojson", "not UTF-8 text (byte 0xE9"),
    (bytes(range(256)) * 40, "", "not a text file"),
    (b"PK\x03\x04" + bytes(500), "", "not a readable XLSX or ODS file"),
    (b'{"elements": {"a": 1}}', "osm", "'elements' member is an object"),
    (b'{"visible": 3}', "openfairdb", "expected an OpenFairDB search result"),
])
def test_a_malformed_file_is_one_clear_line_and_registers_nothing(api, data, fmt, reason):
    before = rows_written()
    document = problem(post_import(api, data, **({"format": fmt} if fmt else {})))
    assert reason in fields(document)["file"] and "\n" not in document["detail"]
    assert rows_written() == before


def test_random_bytes_give_a_readable_message(api):
    import random

    generator = random.Random(7)
    for size in (1_000, 50_000):
        document = problem(post_import(api, generator.randbytes(size)))
        assert fields(document)["file"].isprintable() and len(document["detail"]) < 300, document
    assert Source.objects.count() == 0


def test_a_failed_import_of_a_known_source_keeps_only_its_failed_run(api):
    report(post_import(api, CSV.encode(), format="csv"))
    before = rows_written()
    problem(post_import(api, b'{"type": "FeatureCollection", "features": 7}', format="geojson"))
    after = rows_written()
    assert after == {**before, "ImportRun": before["ImportRun"] + 1}
    assert ImportRun.objects.order_by("-pk").first().status == "failed"


def test_bad_import_parameters_are_field_errors(api):
    assert "source" in fields(problem(post_import(api, CSV.encode(), source="x" * 65)))
    assert "licence" in fields(problem(post_import(api, CSV.encode(), licence="free for all!")))
    assert "format" in fields(problem(post_import(api, CSV.encode(), format="x" * 50)))
    assert Source.objects.count() == 0


# --- bad records are reported by row, the good ones are imported ------------------------------------------------------

def test_nan_and_out_of_range_coordinates_in_a_geojson_import_refuse_their_row_only(api):
    data = collection(feature(GOOD_POINT, 1), feature({"type": "Point", "coordinates": [float("nan"), float("nan")]}, 2),
                      feature({"type": "Point", "coordinates": [4.37, 95]}, 3), feature({"type": "Point", "coordinates": [[4.37, 50.86]]}, 4))
    run = report(post_import(api, data, format="geojson", licence="CC0-1.0"))
    assert run["counts"]["created"] == 1 and run["counts"]["errors"] == 3
    reasons = {e["row"]: e["reason"] for e in run["errors"]}
    assert "not a finite number" in reasons[2] and "latitude 95 is out of range" in reasons[3] and "nested deeper" in reasons[4]
    assert not Place.objects.filter(lon=0, lat=0).exists()


def test_an_unclosed_polygon_in_an_import_is_a_row_error_not_a_point(api):
    open_ring = {"type": "Polygon", "coordinates": [[[4.37, 50.86], [4.38, 50.86], [4.38, 50.87], [4.37, 50.87]]]}
    closed = {"type": "Polygon", "coordinates": [[[4.37, 50.86], [4.38, 50.86], [4.38, 50.87], [4.37, 50.87], [4.37, 50.86]]]}
    run = report(post_import(api, collection(feature(open_ring, 1), feature(closed, 2)), format="geojson"))
    assert run["counts"]["created"] == 1
    assert run["errors"] == [{"row": 1, "field": "geometry.coordinates",
                              "reason": "ring 1 is not closed: its last position [4.37, 50.87] must repeat its first [4.37, 50.86]"}]


def test_features_that_are_not_objects_are_row_errors(api):
    data = json.dumps({"type": "FeatureCollection", "features": [feature(GOOD_POINT, 1), 42, {"type": "Feature", "properties": [1]}]}).encode()
    run = report(post_import(api, data, format="geojson"))
    assert run["counts"]["created"] == 1
    assert [(e["row"], e["field"]) for e in run["errors"]] == [(2, "feature"), (3, "properties")]


def test_a_five_megabyte_cell_refuses_its_row_and_keeps_the_others(api):
    data = (CSV + f"3;{'x' * (5 * MB)};gasap;Rue;1;1000;Bruxelles;50.84;4.35\n4;Potager du Parc;potager;Rue du Parc;1;1000;Bruxelles;50.845;4.365\n").encode()
    from django.test import override_settings

    with override_settings(FOODCOMMONS_MAX_BODY_BYTES=10 * MB, DATA_UPLOAD_MAX_MEMORY_SIZE=10 * MB):
        run = report(post_import(api, data, format="csv"))
    assert run["counts"]["created"] == 3
    assert run["errors"] == [{"row": 4, "field": "name", "reason": "the cell holds more than 100,000 characters; the row is not read"}]


def test_a_spreadsheet_cell_over_the_limit_refuses_its_row_only(api):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["id", "name", "type", "lat", "lon"])
    sheet.append([1, "GASAP Josaphat", "gasap", 50.8624, 4.378])
    sheet.append([2, "y" * 150_000, "gasap", 50.806, 4.424])
    buffer = io.BytesIO()
    workbook.save(buffer)
    run = report(post_import(api, buffer.getvalue()))
    assert run["counts"]["created"] == 1 and [e["row"] for e in run["errors"]] == [3]


def test_an_identifier_longer_than_the_column_is_a_row_error(api):
    data = (CSV + f"{'9' * 201};Potager du Parc;potager;Rue du Parc;1;1000;Bruxelles;50.845;4.365\n").encode()
    run = report(post_import(api, data, format="csv"))
    assert run["counts"]["created"] == 2 and run["errors"][0]["row"] == 4 and "longer than 200" in run["errors"][0]["reason"]


# --- size limits ------------------------------------------------------------------------------------------------------

def test_an_api_body_over_the_import_limit_is_refused_before_it_is_read(api, settings):
    settings.FOODCOMMONS_IMPORT_MAX_BYTES = 100
    document = problem(post_import(api, CSV.encode()))
    assert fields(document)["body"] == f"the file has {len(CSV):,} bytes; imports are limited to 100 bytes (FOODCOMMONS_IMPORT_MAX_BYTES)"
    assert Source.objects.count() == 0


def test_the_cli_refuses_a_file_over_the_limit_without_reading_it(tmp_path, settings, monkeypatch):
    command = importlib.import_module("foodcommons.imports.management.commands.import")

    def must_not_read(location):
        raise AssertionError("the file was read")

    monkeypatch.setattr(command, "read_location", must_not_read)
    settings.FOODCOMMONS_IMPORT_MAX_BYTES = MB
    path = tmp_path / "big.csv"
    path.write_bytes(CSV.encode() * (2 * MB // len(CSV) + 1))
    with pytest.raises(CommandError, match=r"the file has 2\.0 MB; imports are limited to 1\.0 MB \(FOODCOMMONS_IMPORT_MAX_BYTES\)"):
        call_command("import", str(path), "--source", "big", "--licence", "CC0-1.0")
    assert Source.objects.count() == 0


def test_a_failed_cli_import_registers_no_source_and_a_good_one_does(tmp_path):
    broken = tmp_path / "broken.geojson"
    broken.write_bytes(b'{"type": "FeatureCollection", "features": {"a": 1}}')
    with pytest.raises(CommandError, match="'features' member is an object"):
        call_command("import", str(broken), "--licence", "CC0-1.0")
    assert rows_written() == dict.fromkeys(rows_written(), 0)
    good = tmp_path / "gasaps.csv"
    good.write_text(CSV)
    call_command("import", str(good), "--licence", "CC0-1.0", stdout=io.StringIO(), stderr=io.StringIO())
    assert Source.objects.get().slug == "gasaps" and Place.objects.count() == 2


def test_a_dry_run_of_a_new_source_registers_it_with_its_report_and_writes_no_place():
    run = runs.import_file(data=CSV.encode(), source=sources.source_to_import(slug="tried", licence="CC0-1.0"), file_format="csv", dry_run=True)
    assert run.status == "dry_run" and Source.objects.get().slug == "tried" and Place.objects.count() == 0


def test_a_web_upload_of_a_zip_bomb_is_a_form_error_and_registers_nothing(client, django_user_model, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(django_user_model.objects.create_user("staffer", is_staff=True))
    upload = io.BytesIO(claimed_bomb())
    upload.name = "bomb.xlsx"
    response = client.post("/imports/", {"file": upload, "new_name": "Bomb", "new_licence": "CC0-1.0", "dry_run": "on"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "unpacks to 2,048 MB" in response.content.decode()
    assert Source.objects.count() == 0


# --- zip bombs: refused from the archive's directory, in bounded memory -----------------------------------------------

SHEET_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                           '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
                           'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                           '<Override PartName="/xl/worksheets/sheet1.xml" '
                           'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                       '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                                  'Target="worksheets/sheet1.xml"/></Relationships>',
}


def deflated(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


@functools.cache
def deflated_zeros(size: int, chunk: int = 16 * MB) -> tuple[bytes, int]:
    """Return the raw deflate stream and CRC of `size` zero bytes, built without deflating them all.

    After a full flush the compressor starts afresh, so every further chunk of zeros compresses to the same bytes.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(bytes(chunk)) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(bytes(chunk)) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc, zeros = 0, bytes(chunk)
    for _ in range(size // chunk):
        crc = zlib.crc32(zeros, crc)
    return first + block * (size // chunk - 1) + compressor.flush(), crc


def zip_archive(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """Return a zip of (name, raw deflate data, crc, size announced) members, written by hand so sizes can lie."""
    body, directory = bytearray(), bytearray()
    for name, data, crc, size in members:
        encoded, offset = name.encode(), len(body)
        body += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0) + encoded + data
        directory += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0, 0, 0, 0, 0, offset)
        directory += encoded
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(body), 0)
    return bytes(body + directory + end)


def workbook_with_sheet(sheet: bytes, crc: int, announced: int) -> bytes:
    parts = [(name, deflated(text.encode()), zlib.crc32(text.encode()), len(text.encode())) for name, text in SHEET_PARTS.items()]
    return zip_archive([*parts, ("xl/worksheets/sheet1.xml", sheet, crc, announced)])


def claimed_bomb() -> bytes:
    zeros, crc = deflated_zeros(2048 * MB)
    return workbook_with_sheet(zeros, crc, 2048 * MB)


def max_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def cli_import_in_bounded_memory(path, limit: int = 200 * MB) -> str:
    """Run `foodcommons import` on a file; return its refusal, checking that memory stayed under `limit`."""
    rss_before = max_rss()
    tracemalloc.start()
    try:
        with pytest.raises(CommandError) as refused:
            call_command("import", str(path), "--source", "bomb", "--licence", "CC0-1.0", stdout=io.StringIO(), stderr=io.StringIO())
        python_peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert python_peak < limit, python_peak
    assert max_rss() - rss_before < limit, max_rss() - rss_before  # native memory too (the spreadsheet reader is Rust)
    assert Source.objects.count() == 0
    return str(refused.value)


def test_an_xlsx_that_unpacks_to_two_gigabytes_is_refused_without_inflating(tmp_path):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(claimed_bomb())
    assert path.stat().st_size < 3 * MB
    assert zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml").file_size == 2048 * MB
    message = cli_import_in_bounded_memory(path)
    assert message == "file: the spreadsheet unpacks to 2,048 MB; at most 200 MB are read (FOODCOMMONS_IMPORT_MAX_UNPACKED_BYTES)"


def test_a_member_compressed_a_thousand_to_one_is_refused_as_a_bomb(tmp_path):
    zeros, crc = deflated_zeros(160 * MB)
    path = tmp_path / "ratio.xlsx"
    path.write_bytes(workbook_with_sheet(zeros, crc, 160 * MB))
    message = cli_import_in_bounded_memory(path)
    assert "'xl/worksheets/sheet1.xml' in the archive is compressed" in message and "refused as a zip bomb" in message


def test_a_member_that_inflates_beyond_its_announced_size_stops_at_that_size(tmp_path):
    zeros, crc = deflated_zeros(2048 * MB)
    path = tmp_path / "liar.xlsx"
    path.write_bytes(workbook_with_sheet(zeros, crc, 1_000))  # the directory says 1,000 bytes
    message = cli_import_in_bounded_memory(path)
    assert "not a readable spreadsheet" in message and "larger than its declared uncompressed size" in message


def test_an_archive_announcing_too_many_members_is_refused_before_its_directory_is_listed(tmp_path):
    empty = deflated(b"")
    path = tmp_path / "members.xlsx"
    path.write_bytes(zip_archive([(f"m{i}", empty, 0, 0) for i in range(12_000)]))
    message = cli_import_in_bounded_memory(path)
    assert "the archive announces 12,000 files" in message
