import io
import json
import zipfile
from pathlib import Path

import osmium
import pytest
from openpyxl import Workbook

from foodcommons.core.problems import InvalidInput
from foodcommons.imports.connectors import SourceMapping, detect_format, read_records
from foodcommons.imports.connectors.base import clean_text

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
needs_data = pytest.mark.skipif(not DATA.exists(), reason="the shared real-data samples are not here")


def records(data: bytes, file_format: str = "", **mapping):
    return list(read_records(data, file_format=file_format, mapping=SourceMapping(**mapping)))


def test_text_is_cleaned_of_entities_whitespace_and_mojibake():
    assert clean_text("Sel&#039;Bonheur") == "Sel'Bonheur"
    assert clean_text("  GASAP   du\n Chant  d&amp;eacute;Oiseaux ") == "GASAP du Chant déOiseaux"
    assert clean_text("CafÃ© de la Gare") == "Café de la Gare"
    assert clean_text("<b>Ferme</b> du Bois") == "Ferme du Bois"


def test_a_latin1_semicolon_csv_is_read_with_its_accents():
    text = "Nom;Rue;Code postal;Commune;Type;Latitude;Longitude\nÉpicerie sociale Léopold;Rue Haute 12;1000;Bruxelles;épicerie sociale;50,84;4,35\n"
    [record] = records(text.encode("latin-1"))
    assert record.name == "Épicerie sociale Léopold"
    assert (record.postcode, record.locality, record.categories) == ("1000", "Bruxelles", ["social-grocery"])
    assert (record.lat, record.lon) == (50.84, 4.35)
    assert record.row == 2 and record.external_id.startswith("h:")


def test_a_utf8_bom_comma_csv_with_a_column_mapping_is_read():
    text = "\ufeffid,Organisation,where,kind\n7,GASAP Josaphat,Schaerbeek,gasap\n"
    [record] = records(text.encode("utf-8"), fields={"locality": "where"})
    assert (record.external_id, record.name, record.locality, record.categories) == ("7", "GASAP Josaphat", "Schaerbeek", ["csa"])


def test_a_source_category_mapping_and_default_category_apply():
    text = "name,type\nA,gac\nB,weird\n"
    a, b = records(text.encode(), categories={"gac": "food-coop"}, default_category="network")
    assert a.categories == ["food-coop"] and b.categories == ["network"]


def test_a_csv_without_a_name_column_is_refused_as_a_whole():
    with pytest.raises(InvalidInput) as refused:
        records(b"foo,bar\n1,2\n", "csv")
    assert refused.value.errors[0].field == "file"


def test_an_xlsx_workbook_is_read_with_numbers_as_text():
    book = Workbook()
    sheet = book.active
    sheet.append(["Nom", "Code postal", "Catégorie", "lat", "lon"])
    sheet.append(["Marché de Flagey", 1050, "marché", 50.827, 4.372])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    assert detect_format(data, "x.xlsx") == "xlsx"
    [record] = records(data)
    assert (record.name, record.postcode, record.categories, record.lat) == ("Marché de Flagey", "1050", ["market"], 50.827)


def ods_bytes(rows: list[list[str]]) -> bytes:
    """Write a minimal OpenDocument spreadsheet (the format is a zip of XML parts)."""
    cells = "".join(
        "<table:table-row>"
        + "".join(f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>' for v in row)
        + "</table:table-row>"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="S">{cells}</table:table></office:spreadsheet></office:body></office:document-content>'
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return buffer.getvalue()


def test_an_ods_spreadsheet_is_read():
    data = ods_bytes([["Naam", "Gemeente", "Type"], ["Moestuin Tivoli", "Laken", "potager"]])
    assert detect_format(data, "") == "ods"
    [record] = records(data)
    assert (record.name, record.locality, record.categories) == ("Moestuin Tivoli", "Laken", ["community-garden"])


def test_a_broken_spreadsheet_is_refused_as_a_whole():
    with pytest.raises(InvalidInput):
        records(b"PK\x03\x04 not really a zip", "xlsx")


def write_osm(path: Path) -> None:
    writer = osmium.SimpleWriter(str(path))
    writer.add_node(osmium.osm.mutable.Node(id=1, location=(4.37, 50.86), tags={"shop": "farm", "name": "Ferme du Chant", "phone": "02 244 75 11"}))
    writer.add_node(osmium.osm.mutable.Node(id=2, location=(4.381, 50.86)))
    writer.add_node(osmium.osm.mutable.Node(id=3, location=(4.381, 50.861)))
    writer.add_node(osmium.osm.mutable.Node(id=4, location=(4.38, 50.861), tags={"shop": "car", "name": "Garage"}))
    writer.add_way(osmium.osm.mutable.Way(id=10, nodes=[1, 2, 3, 1], tags={"leisure": "garden", "garden:type": "community", "name": "Potager du Parc"}))
    writer.close()


@pytest.mark.parametrize("suffix", [".osm.pbf", ".osm"])
def test_osm_pbf_and_xml_files_are_read_through_osmium(tmp_path, suffix):
    path = tmp_path / f"extract{suffix}"
    write_osm(path)
    data = path.read_bytes()
    assert detect_format(data, path.name) == "osm"
    found = {r.external_id: r for r in records(data)}
    assert set(found) == {"node/1", "way/10"}
    assert found["node/1"].categories == ["farm-shop"] and found["node/1"].phone == "02 244 75 11"
    garden = found["way/10"]
    assert garden.categories == ["community-garden"] and 4.37 < garden.lon < 4.381 and 50.86 < garden.lat < 50.861


def test_an_overpass_json_answer_is_read_with_way_centers():
    answer = {"elements": [
        {"type": "node", "id": 5, "lat": 50.5, "lon": 4.5, "tags": {"amenity": "marketplace", "name": "Marché"}},
        {"type": "way", "id": 6, "center": {"lat": 50.6, "lon": 4.6}, "tags": {"amenity": "social_facility", "social_facility": "food_bank", "name": "Banque"}},
        {"type": "node", "id": 7, "lat": 50.5, "lon": 4.5, "tags": {"amenity": "recycling", "recycling:organic": "yes", "name": "Compost"}},
    ]}
    found = records(json.dumps(answer).encode())
    assert [(r.external_id, r.categories) for r in found] == [
        ("node/5", ["market"]), ("way/6", ["food-bank"]), ("node/7", ["neighbourhood-compost"]),
    ]


def test_a_garbage_pbf_is_refused_as_a_whole():
    with pytest.raises(InvalidInput):
        records(b"\x00\x00\x00\x0dOSMHeader garbage", "osm")


@needs_data
def test_the_real_osm_geojson_export_is_read_with_the_tag_mapping():
    found = records((DATA / "osm-wallonie-luxembourg-pois" / "Arlon.geojson").read_bytes())
    assert len(found) >= 10
    assert all(r.external_id.startswith(("node/", "way/")) and r.categories and r.lon and r.lat for r in found)
    assert {"bakery"} <= {c for r in found for c in r.categories}


@needs_data
def test_the_real_gogocarto_sample_is_read_with_a_category_mapping():
    data = (DATA / "gogocarto-sample" / "elements.json").read_bytes()
    assert detect_format(data) == "gogocarto"
    found = records(data, categories={"10427": "farm-shop"})
    assert len(found) == 12
    first = found[0]
    assert (first.external_id, first.name, first.locality, first.postcode) == ("10kw", "La Ruche de Chenay", "Chenay", "79120")
    assert first.categories == ["farm-shop"] and (first.lat, first.lon) == (46.3252, -0.0339)
    assert first.place_input().get("contacts") == [{"kind": "website", "value": "https://laruchequiditoui.fr/fr/assemblies/8148/collections"}]


@needs_data
def test_the_real_openfairdb_search_result_is_read_with_tags_mapped():
    data = (DATA / "kvm-openfairdb" / "search_results.json").read_bytes()
    assert detect_format(data) == "openfairdb"
    found = {r.external_id: r for r in records(data)}
    assert len(found) == 100  # visible and invisible
    assert found["fe2e835bb28e4082b0dbd8f2a7158d4f"].categories == ["csa"]  # tag solawi
    assert found["fe2e835bb28e4082b0dbd8f2a7158d4f"].name == "Teikei Gemeinschaft Münster"
    assert all(r.categories for r in found.values())


def test_an_openfairdb_csv_export_is_read():
    text = ("id,created_at,version,title,description,lat,lng,street,zip,city,country,homepage,"
            "contact_email,contact_phone,opening_hours,categories,tags,license\n"
            "abc,1,1,Foodcoop Aachen,,50.77,6.08,Markt 1,52062,Aachen,DE,https://foodcoop.example,info@foodcoop.example,,Mo 10:00-12:00,"
            '77b3c33a92554bcf8e8c2c86cedd6f6f,"foodcoop,bio",CC0-1.0\n')
    data = text.encode()
    assert detect_format(data) == "openfairdb-csv"
    [record] = records(data)
    assert (record.external_id, record.name, record.postcode, record.categories) == ("abc", "Foodcoop Aachen", "52062", ["food-coop", "organic-shop"])
    assert record.website == "https://foodcoop.example" and record.opening_hours == "Mo 10:00-12:00"


@needs_data
def test_the_real_dfc_enterprises_are_read_with_address_and_phone():
    data = (DATA / "ofn-dfc-fixtures" / "litefarm_v2_enterprises.json").read_bytes()
    assert detect_format(data) == "dfc"
    found = records(data)
    assert [r.name for r in found] == ["Happy Acres Farm", "Willow Creek Dairy", found[2].name] and len(found) == 3
    happy = found[0]
    assert (happy.street, happy.locality, happy.email, happy.website) == ("123 Farm Road", "Farmville", "info@happyacres.com", "https://happyacres.com")
    assert happy.phone == "555-555-1234" and happy.categories


@needs_data
def test_the_real_rcr_list_is_cleaned_of_html_entities():
    found = {r.external_id: r for r in records((DATA / "rcr-alternatives-wallonie-bruxelles" / "carte_geojson.geojson").read_bytes())}
    assert len(found) == 720
    assert found["10029"].name == "Sel'Bonheur"
    assert not any("&#" in r.name or "&quot;" in r.name for r in found.values())
    assert found["10024"].categories == ["buying-group"] and found["10024"].locality == "Leuven"


def test_an_unknown_format_is_a_clear_error():
    with pytest.raises(InvalidInput) as refused:
        records(b"x", "shapefile")
    assert refused.value.errors[0].field == "format"
