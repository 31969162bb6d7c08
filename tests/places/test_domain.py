import pytest

from foodcommons.core.problems import InvalidInput
from foodcommons.core.values.contacts import normalise_phone, normalise_website
from foodcommons.core.values.hours import opening_hours_error
from foodcommons.places.domain.contacts import clean_contacts
from foodcommons.places.domain.geometry import clean_geometry
from foodcommons.places.domain.query import decode_cursor, encode_cursor, parse_bbox, parse_place_query
from foodcommons.places.domain.validation import merge_patch


def test_belgian_phone_numbers_are_normalised_to_e164():
    assert normalise_phone("02 244 75 11") == "+3222447511"
    assert normalise_phone("+32 (0)470 12 34 56") == "+32470123456"


def test_websites_get_a_scheme_and_a_lower_case_host():
    assert normalise_website("WWW.Gasap.be/groupes") == "https://www.gasap.be/groupes"
    with pytest.raises(ValueError, match="not a valid web address"):
        normalise_website("javascript:alert(1)")


def test_contacts_report_each_bad_entry_by_position():
    cleaned, errors = clean_contacts([{"kind": "email", "value": "a@example.org"}, {"kind": "email", "value": "nope"}, {"kind": "fax", "value": "1"}])
    assert cleaned == [{"kind": "email", "value": "a@example.org", "private": False}]
    assert [e.field for e in errors] == ["contacts[1].value", "contacts[2].kind"]


def test_opening_hours_in_osm_syntax_are_accepted_and_nonsense_refused():
    assert opening_hours_error("Mo-Fr 08:00-18:00; Sa 09:00-12:00; PH off") is None
    assert "opening_hours" in opening_hours_error("from nine to five")


def test_a_point_outside_belgium_is_a_warning_not_an_error():
    clean, errors, warnings = clean_geometry({"type": "Point", "coordinates": [2.35, 48.85]})
    assert clean is not None and errors == []
    assert [w.reason for w in warnings] == ["the place lies outside Belgium"]


@pytest.mark.parametrize(
    ("geometry", "reason"),
    [
        ({"type": "Point", "coordinates": [200, 50]}, "longitude 200 is out of range"),
        ({"type": "Point", "coordinates": [4, 95]}, "latitude 95 is out of range"),
        ({"type": "Point", "coordinates": "4,50"}, "expected a position"),
        ({"type": "LineString", "coordinates": [[4, 50], [5, 51]]}, "expected a GeoJSON geometry"),
        ({"type": "Polygon", "coordinates": [[[4, 50], [5, 51], [5, 50], [4, 51], [4, 50]]]}, "not a valid Polygon"),
    ],
)
def test_bad_geometries_are_refused_with_the_reason(geometry, reason):
    _, errors, _ = clean_geometry(geometry)
    assert reason in errors[0].reason


def test_a_polygon_keeps_its_shape_and_gets_an_inner_point_and_bbox():
    ring = [[4.0, 50.0], [4.1, 50.0], [4.1, 50.1], [4.0, 50.1], [4.0, 50.0]]
    clean, errors, _ = clean_geometry({"type": "Polygon", "coordinates": [ring]})
    assert errors == []
    assert clean.bbox == (4.0, 50.0, 4.1, 50.1)
    assert 4.0 < clean.lon < 4.1 and 50.0 < clean.lat < 50.1


def test_merge_patch_replaces_merges_and_removes_fields():
    current = {"name": {"fr": "A", "nl": "B"}, "opening_hours": "Mo 10:00-12:00", "categories": ["farm"], "version": 3}
    merged = merge_patch(current, {"name": {"nl": None, "en": "C"}, "opening_hours": None, "categories": ["market"]})
    assert merged == {"name": {"fr": "A", "en": "C"}, "categories": ["market"]}


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "5,50,4,51", "4,50,5,91", "nan,1,2,3"])
def test_bad_bboxes_are_refused(bbox):
    with pytest.raises(InvalidInput):
        parse_bbox(bbox)


def test_a_cursor_round_trips_and_refuses_another_sort_order():
    cursor = encode_cursor("near", (0.25, 17))
    assert decode_cursor(cursor, "near") == (0.25, 17)
    with pytest.raises(InvalidInput):
        decode_cursor(cursor, "id")
    with pytest.raises(InvalidInput):
        decode_cursor("garbage!!", "id")


def test_limit_must_stay_within_bounds():
    with pytest.raises(InvalidInput):
        parse_place_query(limit=5000)
    assert parse_place_query(limit=1000).limit == 1000
