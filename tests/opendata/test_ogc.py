import pytest

from foodcommons.places import services
from tests.conftest import compost

pytestmark = pytest.mark.django_db

NAMUR = [4.867, 50.465]


@pytest.fixture
def places(make_place):
    compost_place = make_place()
    garden = services.create_place(
        data=compost(
            name={"fr": "Jardin partagé de Namur"}, categories=["community-garden"], attributes={}, geometry={"type": "Point", "coordinates": NAMUR}, address={}
        )
    ).place
    return compost_place, garden


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    return sorted(f["id"] for f in response.json()["features"])


def test_the_landing_page_links_conformance_collections_and_the_api_definition(client):
    body = client.get("/ogc/").json()
    rels = {link["rel"] for link in body["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= rels
    assert client.get("/ogc/api").json()["openapi"].startswith("3.0")


def test_conformance_declares_core_geojson_and_cql2_text(client):
    classes = client.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in classes
    assert "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text" in classes


def test_collections_are_all_places_and_each_top_level_category(client):
    body = client.get("/ogc/collections").json()
    collection_ids = [c["id"] for c in body["collections"]]
    assert collection_ids[0] == "places" and len(collection_ids) > 2
    assert client.get("/ogc/collections/places").json()["itemType"] == "feature"
    assert client.get("/ogc/collections/nope").status_code == 404


def test_items_are_geojson_features_with_counts_and_licence(client, places):
    body = client.get("/ogc/collections/places/items").json()
    assert body["numberMatched"] == body["numberReturned"] == 2
    assert body["licence"] == "ODbL-1.0"
    assert {f["geometry"]["type"] for f in body["features"]} == {"Point"}


def test_a_category_collection_holds_only_its_places(client, places):
    _, garden = places
    top = client.get("/ogc/collections").json()["collections"]
    from foodcommons.taxonomy.selectors import category_tree

    tree = category_tree()
    top_of_garden = ([s for s in [*tree.ancestors("community-garden")] if tree.nodes[s].parent_slug is None] or ["community-garden"])[0]
    assert top_of_garden in [c["id"] for c in top]
    assert garden.public_id in ids(client.get(f"/ogc/collections/{top_of_garden}/items"))
    assert client.get(f"/ogc/collections/{top_of_garden}/items/{garden.public_id}").status_code == 200


def test_paging_by_limit_and_offset_follows_next_links_to_every_feature(client, make_place):
    made = sorted(make_place().public_id for _ in range(5))
    seen, url = [], "/ogc/collections/places/items?limit=2"
    while url:
        body = client.get(url).json()
        seen += [f["id"] for f in body["features"]]
        url = next((link["href"] for link in body["links"] if link["rel"] == "next"), None)
    assert sorted(seen) == made


def test_bbox_selects_places_inside(client, places):
    _, garden = places
    assert ids(client.get("/ogc/collections/places/items", {"bbox": "4.8,50.4,4.9,50.5"})) == [garden.public_id]


def test_datetime_filters_on_the_time_of_last_change(client, places):
    assert len(ids(client.get("/ogc/collections/places/items", {"datetime": "2000-01-01T00:00:00Z/.."}))) == 2
    assert ids(client.get("/ogc/collections/places/items", {"datetime": "../2000-01-01T00:00:00Z"})) == []
    assert client.get("/ogc/collections/places/items", {"datetime": "yesterday"}).status_code == 400


def test_property_parameters_filter_by_equality(client, places):
    compost_place, garden = places
    assert ids(client.get("/ogc/collections/places/items", {"category": "community-garden"})) == [garden.public_id]
    assert ids(client.get("/ogc/collections/places/items", {"commune": "21015"})) == [compost_place.public_id]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("category = 'community-garden'", ["garden"]),
        ("name LIKE 'Compost%'", ["compost"]),
        ("status = 'active' AND commune = '21015'", ["compost"]),
        ("commune = '21015' OR category = 'community-garden'", ["compost", "garden"]),
        ("NOT (category = 'community-garden')", ["compost"]),
        ("version >= 2", []),
        ("S_INTERSECTS(geometry, BBOX(4.8, 50.4, 4.9, 50.5))", ["garden"]),
        ("S_INTERSECTS(geometry, POLYGON((4.3 50.8, 4.45 50.8, 4.45 50.9, 4.3 50.9, 4.3 50.8)))", ["compost"]),
        ("S_INTERSECTS(geometry, POLYGON((4.3 50.8, 4.45 50.8, 4.3 50.9, 4.3 50.8)))", []),
        ("updated > TIMESTAMP('2000-01-01T00:00:00Z')", ["compost", "garden"]),
    ],
)
def test_cql2_text_filters(client, places, expression, expected):
    by_name = {"compost": places[0].public_id, "garden": places[1].public_id}
    response = client.get("/ogc/collections/places/items", {"filter": expression, "filter-lang": "cql2-text"})
    assert ids(response) == sorted(by_name[e] for e in expected)


@pytest.mark.parametrize(
    "params",
    [
        {"filter": "status = "},
        {"filter": "colour = 'red'"},
        {"filter": "version = 'two'"},
        {"filter": "category > 'a'"},
        {"filter": "S_INTERSECTS(geometry, POLYGON((0 0, 1 1)))"},
        {"filter-lang": "cql2-json", "filter": "{}"},
        {"limit": "0"},
        {"limit": "abc"},
        {"offset": "-1"},
        {"bbox": "1,2,3"},
        {"colour": "red"},
        {"version": "x"},
        {"category": "no-such-category"},
    ],
)
def test_bad_parameters_are_400_problems(client, places, params):
    response = client.get("/ogc/collections/places/items", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_a_single_item_and_a_missing_one(client, places):
    compost_place, _ = places
    body = client.get(f"/ogc/collections/places/items/{compost_place.public_id}").json()
    assert body["type"] == "Feature" and body["id"] == compost_place.public_id
    assert client.get("/ogc/collections/places/items/nope").status_code == 404


def test_queryables_are_a_json_schema(client):
    response = client.get("/ogc/collections/places/queryables")
    assert response["Content-Type"] == "application/schema+json"
    assert {"name", "category", "geometry", "updated"} <= set(response.json()["properties"])


def test_writes_are_refused(client):
    assert client.post("/ogc/collections/places/items").status_code == 405


def _next(body) -> str | None:
    return next((link["href"] for link in body["links"] if link["rel"] == "next"), None)


def test_number_matched_is_given_only_when_known_without_counting(client, make_place):
    for _ in range(3):
        make_place()
    first = client.get("/ogc/collections/places/items?limit=2").json()
    assert "numberMatched" not in first and first["numberReturned"] == 2
    last = client.get(_next(first)).json()
    assert "numberMatched" not in last and last["numberReturned"] == 1 and _next(last) is None
    assert client.get("/ogc/collections/places/items?limit=2&offset=2").json()["numberMatched"] == 3
    assert client.get("/ogc/collections/places/items?limit=5").json()["numberMatched"] == 3
    schema = client.get("/ogc/api").json()["paths"]["/collections/{collectionId}/items"]["get"]["responses"]["200"]
    assert "Omitted" in schema["content"]["application/geo+json"]["schema"]["properties"]["numberMatched"]["description"]


def test_next_links_carry_an_opaque_cursor_and_offset_is_still_accepted(client, make_place):
    made = sorted((make_place() for _ in range(5)), key=lambda p: p.pk)
    body = client.get("/ogc/collections/places/items?limit=2&offset=1").json()
    assert [f["id"] for f in body["features"]] == [p.public_id for p in made[1:3]]
    assert "cursor=" in _next(body) and "offset=" not in _next(body)
    assert "offset=0" in next(link["href"] for link in body["links"] if link["rel"] == "prev")
    after = client.get(_next(body)).json()
    assert [f["id"] for f in after["features"]] == [p.public_id for p in made[3:5]]
    assert client.get("/ogc/collections/places/items?cursor=nope").status_code == 400
    assert client.get(_next(body) + "&offset=3").status_code == 400


def test_a_deep_cursor_page_costs_the_queries_of_the_first_and_uses_no_offset(client, make_place):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(9):
        make_place()
    url, costs = "/ogc/collections/places/items?limit=2", []
    while url:
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).json()
        costs.append(len(queries))
        assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)
        url = _next(body)
    assert len(costs) == 5 and len(set(costs)) == 1, costs


def test_relations_of_a_page_are_loaded_set_based_whatever_its_size(client, make_place):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(8):
        make_place()
    costs = []
    for limit in (1, 8):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/ogc/collections/places/items?limit={limit}").json()["numberReturned"] == limit
        costs.append(len(queries))
    assert costs[0] == costs[1], costs


@pytest.mark.parametrize(
    ("expression", "parameters"),
    [
        ("category = 'community-garden'", {"category": "community-garden"}),
        ("category IN ('community-garden', 'food-bank') AND status = 'active'", {"category": ["community-garden", "food-bank"], "status": "active"}),
        ("territory = '21015'", {"territory": "21015"}),
        ("status IN ('active', 'closed')", {"status": ["active", "closed"]}),
    ],
)
@pytest.mark.parametrize("bbox", [None, "4.3,50.8,4.45,50.9", "2.5,49.5,6.4,51.5"])
def test_cql2_on_indexed_properties_compiles_to_the_query_of_the_parameter(places, expression, parameters, bbox):
    from django.http import QueryDict

    from foodcommons.opendata import features
    from foodcommons.opendata.ogc.paging import parse_items_request

    def sql(params) -> str:
        query = QueryDict(mutable=True)
        for key, value in {**params, **({"bbox": bbox} if bbox else {})}.items():
            query.setlist(key, value if isinstance(value, list) else [value])
        # The OGC parameters take one value each: several categories are one comma-free CQL2 IN, or repeated in the API.
        request = parse_items_request({k: query[k] for k in query})
        if any(isinstance(v, list) for v in params.values()):
            from foodcommons.places.domain.query import PlaceQuery, parse_filters

            request = type(request)(places=PlaceQuery(filters=parse_filters({k: query.getlist(k) for k in query})))
        return str(features._matching("places", request).order_by("pk").query)

    assert sql({"filter": expression}) == sql(parameters)


def test_cql2_territory_means_what_the_territory_parameter_means(client, places):
    compost_place, _ = places
    assert ids(client.get("/ogc/collections/places/items", {"filter": "territory = '21015' OR version > 5"})) == [compost_place.public_id]
    assert ids(client.get("/ogc/collections/places/items", {"filter": "NOT territory IN ('21015')"})) == [places[1].public_id]
    assert client.get("/ogc/collections/places/items", {"filter": "territory LIKE '2%'"}).status_code == 400


def test_properties_selects_the_feature_properties_and_skip_geometry_leaves_it_out(client, places):
    body = client.get("/ogc/collections/places/items", {"properties": "name,status", "skipGeometry": "true"}).json()
    assert body["numberReturned"] == 2
    for feature in body["features"]:
        assert set(feature["properties"]) == {"name", "status"}
        assert feature["geometry"] is None and feature["id"]
    assert body["attribution"]  # still the page's, whatever properties are returned
    full = client.get("/ogc/collections/places/items", {"skipGeometry": "false"}).json()["features"][0]
    assert full["geometry"]["type"] == "Point" and "categories" in full["properties"]
    assert client.get("/ogc/collections/places/items", {"properties": "name,colour"}).status_code == 400
    assert client.get("/ogc/collections/places/items", {"skipGeometry": "maybe"}).status_code == 400
    parameters = {p["name"] for p in client.get("/ogc/api").json()["paths"]["/collections/{collectionId}/items"]["get"]["parameters"]}
    assert {"properties", "skipGeometry", "cursor", "offset"} <= parameters


def test_a_page_of_records_under_several_licences_lists_them_and_claims_none(client, make_place):
    make_place()
    make_place(licence="CC0-1.0")
    body = client.get("/ogc/collections/places/items").json()
    assert "licence" not in body and body["licences"] == ["CC0-1.0", "ODbL-1.0"]
    assert {link["title"] for link in body["links"] if link["rel"] == "license"} == {"CC0-1.0", "ODbL-1.0"}
    one = client.get("/ogc/collections/places/items", {"filter": "licence = 'CC0-1.0'"}).json()
    assert one["licence"] == "CC0-1.0" and one["licences"] == ["CC0-1.0"]
    api = client.get("/api/places").json()
    assert api["licence"] is None and api["licences"] == ["CC0-1.0", "ODbL-1.0"]
    geojson = client.get("/api/places.geojson").json()
    assert "licence" not in geojson and geojson["licences"] == ["CC0-1.0", "ODbL-1.0"]
    assert client.get("/api/places", {"limit": 1}).json()["licence"] == "ODbL-1.0"


@pytest.mark.parametrize("params", [{}, {"properties": "name,url,attribution"}, {"skipGeometry": "true"}], ids=["full", "properties", "no-geometry"])
def test_items_from_the_published_bodies_are_the_items_built_afresh(client, places, monkeypatch, params):
    from foodcommons.imports.models import Source, SourceRecord
    from foodcommons.places import public_json
    from foodcommons.places.models import Place, PlacePublicJson

    osm = Source.objects.create(slug="osm", name="OpenStreetMap", licence="ODbL-1.0", attribution="© OpenStreetMap contributors")
    SourceRecord.objects.create(source=osm, external_id="node/9", place=places[1], fetched_at=places[1].created_at)
    PlacePublicJson.objects.all().delete()
    built = client.get("/ogc/collections/places/items", params).json()
    public_json.refresh_public_json(Place.objects.values_list("pk", flat=True))
    with monkeypatch.context() as patch:
        patch.setattr(public_json, "place_json", lambda *a, **k: pytest.fail("a place was built afresh"))
        stored = client.get("/ogc/collections/places/items", params).json()
    built.pop("timeStamp", None), stored.pop("timeStamp", None)
    assert len(stored["features"]) == 2 and stored == built


def test_a_page_by_offset_costs_the_queries_of_the_first_whatever_its_depth(client, make_place):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(9):
        make_place()
    client.get("/ogc/collections/places/items?limit=2")  # the process's copies of the taxonomy are built once
    costs = []
    for offset in (0, 4, 8):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/ogc/collections/places/items?limit=2&offset={offset}").status_code == 200
        costs.append(len(queries))
    assert len(set(costs)) == 1, costs


def test_the_live_places_index_leaves_deleted_places_out_of_pages(client, make_place):
    from django.db import connection

    made = [make_place() for _ in range(3)]
    services.delete_place(public_id=made[1].public_id)
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "places_place")
    assert "place_live_idx" in indexes
    assert [f["id"] for f in client.get("/ogc/collections/places/items?offset=1").json()["features"]] == [made[2].public_id]


def test_a_repeated_filter_is_parsed_once_and_answers_alike(client, places, monkeypatch):
    from foodcommons.opendata.ogc import cql2

    parsed = []
    real = cql2.parse_cql2_text
    monkeypatch.setattr(cql2, "parse_cql2_text", lambda text: parsed.append(text) or real(text))
    cql2._parsed.cache_clear()
    url = "/ogc/collections/places/items?filter=category%3D'community-garden'%20AND%20status%3D'active'"
    first, second = ids(client.get(url)), ids(client.get(url))
    assert first == second == [places[1].public_id]
    assert len(parsed) == 1
    # A text that is not CQL2 is refused every time (failures are not kept).
    assert [client.get("/ogc/collections/places/items?filter=category%3D%3D").status_code for _ in range(2)] == [400, 400]
