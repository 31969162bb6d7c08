import json

import pytest

from foodcommons.places.services import create_place, delete_place, update_place
from foodcommons.web.aggregates import rebuild_all
from foodcommons.web.domain.grid import aggregate_levels
from foodcommons.web.models import MapCell, MapPoint
from tests.conftest import compost

BRUSSELS_VIEW = {"bbox": "4.2,50.75,4.5,50.95", "zoom": "11"}


@pytest.fixture
def places(db, django_capture_on_commit_callbacks):
    """Create places through the services and let their after-commit signal run."""

    def make(*overrides):
        made = []
        for extra in overrides:
            with django_capture_on_commit_callbacks(execute=True):
                made.append(create_place(data=compost(**extra)).place)
        return made

    return make


def point(lon, lat):
    return {"geometry": {"type": "Point", "coordinates": [lon, lat]}}


def cells_total(level):
    return sum(MapCell.objects.filter(level=level).values_list("count", flat=True))


def test_a_new_place_is_counted_once_at_every_level(places):
    places({})
    assert MapPoint.objects.get().group == "compost-recovery"
    assert all(cells_total(level) == 1 for level in aggregate_levels())


def test_moving_a_place_moves_its_count_and_leaves_no_empty_cell(places, django_capture_on_commit_callbacks):
    (place,) = places({})
    with django_capture_on_commit_callbacks(execute=True):
        update_place(public_id=place.public_id, patch=point(5.57, 50.63), base_version=1)
    assert all(cells_total(level) == 1 for level in aggregate_levels())
    top = MapCell.objects.get(level=max(aggregate_levels()))
    assert (top.sum_lon, top.sum_lat) == pytest.approx((5.57, 50.63))
    assert not MapCell.objects.filter(count__lte=0).exists()


def test_a_deleted_place_leaves_the_map(places, django_capture_on_commit_callbacks):
    (place,) = places({})
    with django_capture_on_commit_callbacks(execute=True):
        delete_place(public_id=place.public_id, base_version=1)
    assert not MapCell.objects.exists() and not MapPoint.objects.exists()


def test_rebuilding_gives_the_same_cells_as_incremental_upkeep(places):
    places({}, point(4.36, 50.84), {**point(5.57, 50.63), "categories": ["food-bank"], "attributes": {}})
    before = sorted(MapCell.objects.values_list("level", "x", "y", "group", "count"))
    assert rebuild_all() == 3
    assert sorted(MapCell.objects.values_list("level", "x", "y", "group", "count")) == before


def test_many_places_in_view_come_as_clusters_coloured_by_group(client, places, settings):
    settings.FOODCOMMONS_MAP_RAW_LIMIT = 2
    places({}, point(4.3781, 50.8625), {**point(4.3782, 50.8626), "categories": ["food-bank"], "attributes": {}})
    view = client.get("/map/clusters", BRUSSELS_VIEW).json()
    assert view["mode"] == "aggregate" and view["total"] == 3
    assert view["clusters"][0]["count"] == 3
    assert view["clusters"][0]["groups"] == {"compost-recovery": 2, "food-aid": 1}
    assert view["colors"]["food-aid"].startswith("#")


def test_a_category_filter_changes_the_count(client, places, settings):
    settings.FOODCOMMONS_MAP_RAW_LIMIT = 0
    places({}, point(4.3781, 50.8625), {**point(4.3782, 50.8626), "categories": ["food-bank"], "attributes": {}})
    assert client.get("/map/clusters", {**BRUSSELS_VIEW, "category": "food-aid"}).json()["total"] == 1
    subcategory = client.get("/map/clusters", {**BRUSSELS_VIEW, "category": "food-bank"}).json()
    assert subcategory["mode"] == "filtered" and subcategory["total"] == 1


def test_few_places_in_view_come_one_by_one_with_their_page(client, places):
    (place,) = places({})
    view = client.get("/map/clusters", BRUSSELS_VIEW).json()
    assert view["mode"] == "places"
    assert view["places"][0]["id"] == place.public_id and view["places"][0]["name"] == "Compost de quartier Josaphat"


def test_places_outside_the_viewport_are_not_sent(client, places):
    places(point(5.57, 50.63))
    assert client.get("/map/clusters", BRUSSELS_VIEW).json()["total"] == 0


def test_near_sorts_places_by_distance(client, places):
    places({**point(4.40, 50.87), "name": {"fr": "Loin"}}, {**point(4.3780, 50.8625), "name": {"fr": "Proche"}})
    view = client.get("/map/clusters", {**BRUSSELS_VIEW, "near": "4.378,50.8624"}).json()
    assert [p["name"] for p in view["places"]] == ["Proche", "Loin"]
    assert view["places"][0]["distance_m"] < 50


def test_open_now_keeps_only_places_open_at_this_moment(client, places):
    places({"name": {"fr": "Toujours"}, "opening_hours": "24/7"}, {"name": {"fr": "Jamais"}, "opening_hours": "Mo-Su off"})
    view = client.get("/map/clusters", {**BRUSSELS_VIEW, "open": "1"}).json()
    assert [p["name"] for p in view["places"]] == ["Toujours"]


def test_an_attribute_filter_keeps_food_aid_without_referral(client, places):
    places(
        {"name": {"fr": "Sans"}, "categories": ["food-bank"], "attributes": {"referral_required": False}},
        {"name": {"fr": "Avec"}, "categories": ["food-bank"], "attributes": {"referral_required": True}},
    )
    view = client.get("/map/clusters", {**BRUSSELS_VIEW, "attr": "referral_required:false"}).json()
    assert [p["name"] for p in view["places"]] == ["Sans"]


def test_text_and_territory_filters_narrow_the_view(client, places):
    places({"name": {"fr": "Potager Josaphat"}}, {**point(5.57, 50.63), "name": {"fr": "Potager liégeois"}})
    everywhere = {"bbox": "2.5,49.4,6.5,51.6", "zoom": "8"}
    assert client.get("/map/clusters", {**everywhere, "q": "potager"}).json()["total"] == 2
    assert client.get("/map/clusters", {**everywhere, "q": "potager", "territory": "04000"}).json()["total"] == 1


@pytest.mark.parametrize("params", [{"zoom": "99"}, {"category": "nope"}, {"territory": "99999"}, {"bbox": "a,b,c,d"}, {"fresh": "-1"}])
def test_a_bad_view_is_a_problem_not_a_crash(client, db, params):
    response = client.get("/map/clusters", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["status"] == 400


def test_the_boundaries_fallback_holds_the_provinces_and_brussels(client, db):
    features = client.get("/map/boundaries.geojson").json()["features"]
    assert len(features) == 11
    assert {f["geometry"]["type"] for f in features} <= {"Polygon", "MultiPolygon"}


def test_a_commune_name_or_postcode_locates_near_me(client, places):
    places({})
    assert 4.2 < client.get("/map/locate", {"q": "Schaerbeek"}).json()["lon"] < 4.5
    assert client.get("/map/locate", {"q": "1030"}).json()["lat"] == pytest.approx(50.8624152)
    assert client.get("/map/locate", {"q": "Atlantis"}).status_code == 404


def test_the_rebuild_command_reports_what_it_counted(places):
    import io

    from django.core.management import call_command

    places({})
    MapCell.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_map", stdout=out)
    assert "1 places" in out.getvalue() and cells_total(max(aggregate_levels())) == 1
