import pytest

from foodcommons.core.problems import InvalidInput
from foodcommons.web.domain.grid import cell_of, cell_range, cluster_points, level_for_zoom
from foodcommons.web.domain.hours_text import describe_hours
from foodcommons.web.domain.mapquery import parse_map_query

BRUSSELS = (4.3517, 50.8503)


def test_a_point_falls_in_the_tile_cell_of_web_mercator():
    # At level 10, Brussels is in the OSM tile x=524, y=343 (checked against tile.openstreetmap.org).
    assert cell_of(*BRUSSELS, 10) == (524, 343)


def test_cells_of_a_viewport_cover_its_corners():
    x0, y0, x1, y1 = cell_range((4.0, 50.0, 5.0, 51.0), 10)
    assert x0 <= cell_of(4.5, 50.5, 10)[0] <= x1 and y0 <= cell_of(4.5, 50.5, 10)[1] <= y1
    assert x0 < x1 and y0 < y1


def test_points_close_together_form_one_cluster_with_their_mean_and_groups():
    points = [(4.35, 50.85, "food-aid"), (4.3501, 50.8501, "gardens"), (5.57, 50.63, "food-aid")]
    clusters = sorted((c.as_dict() for c in cluster_points(points, level_for_zoom(8))), key=lambda c: -c["count"])
    assert [c["count"] for c in clusters] == [2, 1]
    assert clusters[0]["groups"] == {"food-aid": 1, "gardens": 1}
    assert clusters[0]["lon"] == pytest.approx(4.35005)


@pytest.mark.parametrize(("language", "expected"), [
    ("fr", ["Lundi au vendredi : de 9 h 00 à 18 h 00", "Samedi : fermé"]),
    ("nl", ["Maandag tot vrijdag: van 9.00 u tot 18.00 u", "Zaterdag: gesloten"]),
    ("en", ["Monday to Friday: 9:00 to 18:00", "Saturday: closed"]),
])
def test_opening_hours_are_written_out_in_the_visitors_language(language, expected):
    assert describe_hours("Mo-Fr 09:00-18:00; Sa off", language) == expected


def test_several_days_and_spans_are_joined_with_and():
    assert describe_hours("Tu,Th 16:00-19:00,20:00-21:00", "en") == ["Tuesday and Thursday: 16:00 to 19:00 and 20:00 to 21:00"]


def test_hours_beyond_the_writer_are_left_to_the_raw_expression():
    assert describe_hours("Mo-Fr sunrise-sunset", "fr") is None
    assert describe_hours("", "fr") is None


def test_a_map_query_reads_filters_from_the_url():
    query = parse_map_query({"zoom": "12", "category": ["csa"], "attr": ["referral_required:false"], "open": "1", "fresh": "90"} | {})
    assert query.zoom == 12 and query.categories == ("csa",) and query.open_now and query.fresh_days == 90
    assert query.attributes == (("referral_required", False),)


@pytest.mark.parametrize(("params", "field"), [({"zoom": "30"}, "zoom"), ({"attr": ["nokey"]}, "attr"), ({"fresh": "x"}, "fresh"), ({"bbox": "1,2"}, "bbox")])
def test_a_bad_map_parameter_is_an_invalid_input_naming_it(params, field):
    with pytest.raises(InvalidInput) as caught:
        parse_map_query(params)
    assert caught.value.as_dict()["errors"][0]["field"] == field


def test_only_plain_views_with_top_level_categories_are_answered_from_aggregates():
    top = {"food-aid", "gardens"}
    assert parse_map_query({"category": ["food-aid"]}).aggregates_can_answer(top)
    assert not parse_map_query({"category": ["food-bank"]}).aggregates_can_answer(top)
    assert not parse_map_query({"q": "pain"}).aggregates_can_answer(top)
    assert not parse_map_query({"zoom": "16"}).aggregates_can_answer(top)
