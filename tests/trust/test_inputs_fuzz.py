"""Broken files, generated: an import either reads a file (its bad rows reported) or refuses it with a problem, and writes nothing then.

Real samples (the demo's GeoJSON, a CSV, an XLSX, GoGoCarto and Overpass JSON) are mutated byte by byte, their JSON
structure is replaced piece by piece with arbitrary JSON values, and random bytes are tried in every format.
"""

import io
import itertools
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from foodcommons.core.problems import Problem
from foodcommons.imports.connectors import FORMATS
from foodcommons.imports.models import FieldClaim, ImportRun, MatchCandidate, RunChange, Source, SourceRecord
from foodcommons.imports.services import runs, sources
from foodcommons.places.models import Place, PlaceRevision

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "src" / "foodcommons" / "demo" / "data"
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
_slugs = itertools.count()


def _first_features(path: Path, count: int) -> bytes:
    document = json.loads(path.read_text())
    return json.dumps({**document, "features": document["features"][:count]}).encode()


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CSV = ("id;name;type;street;number;postcode;city;lat;lon;email\n"
       "1;GASAP Josaphat;gasap;Rue Josaphat;12;1030;Schaerbeek;50.8624;4.3780;josaphat@gasap.be\n"
       "2;Épicerie sociale Léopold;épicerie sociale;Rue Haute;12;1000;Bruxelles;50,84;4,35;\n"
       "3;Potager du Parc;potager;Rue du Parc;1;1000;Bruxelles;50.8450;4.3650;\n").encode()
SAMPLES = {
    "csv": CSV,
    "xlsx": _xlsx([["id", "name", "type", "postcode", "lat", "lon"], [1, "GASAP Josaphat", "gasap", 1030, 50.8624, 4.378],
                   [2, "Potager du Parc", "potager", 1000, 50.845, 4.365]]),
    "geojson": _first_features(DEMO / "schaerbeek-composts" / "compost_de_quartier_schaerbeek.geojson", 4),
    "osm": _first_features(DEMO / "osm-luxembourg" / "Tintigny.geojson", 6),
    "gogocarto": json.dumps({"data": [{"id": "g1", "name": "Ferme du Bois", "geo": {"latitude": 49.68, "longitude": 5.5},
                                       "categories": ["ferme"], "address": {"postalCode": "6730"}}]}).encode(),
    "overpass": json.dumps({"elements": [{"type": "node", "id": 1, "lat": 49.68, "lon": 5.5, "tags": {"shop": "farm", "name": "Ferme"}}]}).encode(),
}
MODELS = (Source, ImportRun, SourceRecord, FieldClaim, RunChange, MatchCandidate, Place, PlaceRevision)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def assert_refused_cleanly(problem: Problem, before: dict[str, int]) -> None:
    """A refused import answers 400 with a short message and its errors, and writes no row."""
    assert problem.status == 400 and problem.errors and problem.detail
    assert problem.detail.count("\n") <= 1 and len(problem.detail) < 1_000, problem.detail
    assert rows() == before, "a refused import wrote something"


def import_never_crashes(data: bytes, file_format: str = "", dry_run: bool = False) -> None:
    """Import `data` into a new source: it is read (bad rows reported), or refused with a short message and no row written."""
    source = sources.source_to_import(slug=f"fuzz-{next(_slugs)}", licence="CC0-1.0")
    source.default_category = "neighbourhood-compost"  # so that records without a known label still reach validation and writes
    before = rows()
    try:
        run = runs.import_file(data=data, source=source, file_format=file_format, dry_run=dry_run)
    except Problem as problem:
        assert_refused_cleanly(problem, before)
        return
    assert run.status == ("dry_run" if dry_run else "done")
    for error in run.errors:
        assert isinstance(error["row"], int) and error["reason"] and "\n" not in error["reason"], error


@st.composite
def mutated(draw, sample: bytes) -> bytes:
    """A sample with a few bytes flipped, deleted, inserted, repeated, or the end cut off."""
    data = bytearray(sample)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        operation = draw(st.sampled_from(["flip", "delete", "insert", "repeat", "truncate"]))
        if operation == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif operation == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif operation == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif operation == "repeat":
            data[at:at] = data[at:at + draw(st.integers(1, 200))] * draw(st.integers(1, 5))
        else:
            del data[at:]
    return bytes(data)


@FUZZ
@given(st.sampled_from(sorted(SAMPLES)).flatmap(lambda name: st.tuples(st.just(name), mutated(SAMPLES[name]))), st.booleans())
def test_a_mutated_real_sample_is_imported_or_refused_cleanly(case, dry_run):
    name, data = case
    import_never_crashes(data, "osm" if name == "overpass" else "", dry_run)


@FUZZ
@given(st.binary(max_size=3_000), st.sampled_from(["", *FORMATS]))
def test_random_bytes_in_any_format_are_refused_cleanly(data, file_format):
    import_never_crashes(data, file_format)


@FUZZ
@given(st.sampled_from(["features", "feature", "properties", "geometry", "coordinates", "type"]), json_values)
def test_a_geojson_with_any_json_in_place_of_a_part_is_imported_or_refused_cleanly(part, value):
    document = json.loads(SAMPLES["geojson"])
    if part == "features":
        document["features"] = value
    elif part == "feature":
        document["features"][1] = value
    elif part in ("properties", "geometry"):
        document["features"][1][part] = value
    elif part == "coordinates":
        document["features"][1]["geometry"]["coordinates"] = value
    else:
        document["features"][1]["geometry"]["type"] = value if not isinstance(value, str) else "Polygon"
    import_never_crashes(json.dumps(document).encode(), "geojson")


@FUZZ
@given(st.sampled_from(["gogocarto", "openfairdb", "dfc", "osm"]), json_values, json_values)
def test_platform_exports_with_any_json_structure_are_imported_or_refused_cleanly(file_format, outer, inner):
    shapes = {
        "gogocarto": {"data": [inner, {"id": "x", "name": "Ferme", "geo": inner, "address": inner, "categories": inner}]},
        "openfairdb": {"visible": [inner, {"id": "y", "title": "Ferme", "lat": inner, "lng": 5.5, "tags": inner}], "invisible": outer},
        "dfc": {"@graph": [inner, {"@id": inner, "@type": "dfc-b:Enterprise", "dfc-b:hasAddress": inner, "dfc-b:supplies": inner}]},
        "osm": {"elements": [inner, {"type": "node", "id": 1, "lat": inner, "lon": 5.5, "center": inner, "tags": {"shop": "farm", "name": outer}}]},
    }
    import_never_crashes(json.dumps(shapes[file_format]).encode(), file_format)
    import_never_crashes(json.dumps(outer).encode(), file_format)


@FUZZ
@given(st.lists(st.lists(st.one_of(st.text(max_size=30), st.floats(), st.integers()), min_size=1, max_size=8), min_size=1, max_size=6),
       st.sampled_from(["csv", "xlsx"]))
def test_any_table_of_cells_is_imported_or_refused_cleanly(table, file_format):
    header = [["id", "name", "type", "lat", "lon", "postcode", "email", "website"]]
    if file_format == "xlsx":
        data = _xlsx(header + [[cell if not isinstance(cell, str) else "".join(c for c in cell if c.isprintable()) for cell in row]
                               for row in table])
    else:
        data = "\n".join(";".join(str(cell) for cell in row) for row in header + table).encode()
    import_never_crashes(data, file_format)
