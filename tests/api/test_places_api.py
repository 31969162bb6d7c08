import csv
import io
import json

import pytest

from tests.conftest import ApiClient, compost

pytestmark = pytest.mark.django_db


def body(response) -> dict:
    return json.loads(response.content)


def created(api, **overrides) -> dict:
    response = api.post("/api/places", compost(**overrides))
    assert response.status_code == 201, response.content
    return body(response)


def test_a_staff_token_creates_a_place_and_gets_it_back(api):
    place = created(api)
    assert place["version"] == 1
    assert place["address"]["commune"] == "21015"
    assert place["territories"] == ["21015", "21000", "04000"]
    again = body(api.get(f"/api/places/{place['id']}"))
    assert again["name"] == {"fr": "Compost de quartier Josaphat", "nl": "Buurtcompost Josaphat"}


def test_private_contacts_are_never_published(api, client):
    place = created(api)
    public = body(client.get(f"/api/places/{place['id']}"))
    assert public["contacts"] == [{"kind": "email", "value": "compost@example.org", "private": False}]
    listing = client.get("/api/places").content.decode()
    assert "+3222447511" not in listing
    assert "+3222447511" not in client.get("/api/places.csv").content.decode()
    assert "+3222447511" not in client.get("/api/places.geojson").content.decode()
    assert "+3222447511" not in client.get(f"/api/places/{place['id']}/revisions").content.decode()


def test_patch_with_the_current_version_updates(api):
    place = created(api)
    response = api.patch(f"/api/places/{place['id']}", {"version": 1, "status": "temporarily_closed", "comment": "holidays"})
    assert response.status_code == 200
    assert body(response)["version"] == 2
    revisions = body(api.get(f"/api/places/{place['id']}/revisions"))
    assert [(r["version"], r["action"], r["author"], r["comment"]) for r in revisions] == [(1, "create", "editor", ""), (2, "update", "editor", "holidays")]


def test_patch_with_a_stale_version_answers_409_with_the_current_place(api):
    place = created(api)
    api.patch(f"/api/places/{place['id']}", {"version": 1, "opening_hours": "Mo 10:00-12:00"})
    response = api.patch(f"/api/places/{place['id']}", {"version": 1, "status": "closed"})
    assert response.status_code == 409
    problem = body(response)
    assert problem["type"] == "/api/problems/version-conflict"
    assert problem["current"]["version"] == 2 and problem["current"]["status"] == "active"


def test_delete_then_restore(api):
    place = created(api)
    assert api.delete(f"/api/places/{place['id']}?version=1").status_code == 200
    assert body(api.get(f"/api/places/{place['id']}"))["deleted"] is True
    assert body(api.get("/api/places"))["total"] == 0
    assert api.post(f"/api/places/{place['id']}/restore", {}).status_code == 200
    assert body(api.get("/api/places"))["total"] == 1


def test_revert_to_an_older_version(api):
    place = created(api)
    api.patch(f"/api/places/{place['id']}", {"version": 1, "name": {"fr": "Vandalised"}})
    response = api.post(f"/api/places/{place['id']}/revert", {"to_version": 1, "version": 2})
    assert body(response)["name"]["fr"] == "Compost de quartier Josaphat"


def test_writes_need_a_token_and_staff(client, db, django_user_model):
    from foodcommons.accounts.tokens import create_token

    assert ApiClient(client, None).post("/api/places", compost()).status_code == 401
    assert ApiClient(client, "fc_wrong").post("/api/places", compost()).status_code == 401
    member = django_user_model.objects.create_user("member")
    response = ApiClient(client, create_token(user=member)).post("/api/places", compost())
    # Issue 3: a user who may not publish directly gets a suggestion for moderators, not a refusal.
    assert response.status_code == 202 and body(response)["status"] == "pending"
    staff = django_user_model.objects.create_user("reader", is_staff=True)
    assert ApiClient(client, create_token(user=staff, can_write=False)).post("/api/places", compost()).status_code == 403


def test_listing_has_total_cursor_next_link_and_attribution(api):
    for i in range(3):
        created(api, name={"fr": f"Compost {i}"})
    page = body(api.get("/api/places", {"limit": 2}))
    assert (page["total"], page["count"]) == (3, 2)
    assert page["attribution"] == ["foodcommons contributors"]
    rest = body(api.get(page["next"].replace("http://testserver", "")))
    assert rest["count"] == 1 and rest["next"] is None


def test_geojson_is_a_feature_collection_in_lon_lat_order(api):
    created(api)
    collection = body(api.get("/api/places.geojson", {"territory": "21015"}))
    assert collection["type"] == "FeatureCollection" and collection["numberMatched"] == 1
    [feature] = collection["features"]
    lon, lat = feature["geometry"]["coordinates"]
    assert 4 < lon < 5 and 50 < lat < 51
    assert feature["properties"]["categories"] == ["neighbourhood-compost"]


def test_csv_takes_the_same_filters_and_parses(api):
    created(api)
    created(api, name={"fr": "Banque alimentaire"}, categories=["food-bank"], attributes={})
    response = api.get("/api/places.csv", {"category": "food-aid"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["name_fr"] for r in rows] == ["Banque alimentaire"]
    assert rows[0]["commune"] == "21015" and rows[0]["email"] == "compost@example.org"


def test_territories_and_one_territory_with_its_boundary(client):
    provinces = body(client.get("/api/territories", {"level": "province"}))
    assert len(provinces) == 10
    schaerbeek = body(client.get("/api/territories/21015"))
    assert schaerbeek["names"] == {"fr": "Schaerbeek", "nl": "Schaarbeek"}
    assert schaerbeek["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert client.get("/api/territories/00000").status_code == 404


def test_the_listing_says_whether_its_total_is_exact(api):
    created(api)
    page = body(api.get("/api/places"))
    assert (page["total"], page["total_exact"]) == (1, True)
