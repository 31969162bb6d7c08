import xml.etree.ElementTree as ET

import pytest

from foodcommons.places import services
from tests.conftest import compost

pytestmark = pytest.mark.django_db


def test_the_feed_without_since_starts_from_the_beginning_in_order(api, make_place):
    first = make_place()
    services.update_place(public_id=first.public_id, patch={"opening_hours": "Su 10:00-12:00"}, base_version=1)
    services.delete_place(public_id=first.public_id)
    body = api.get("/api/changes").json()
    assert [(c["id"], c["version"], c["change"]) for c in body["changes"]] == [
        (first.public_id, 1, "created"), (first.public_id, 2, "updated"), (first.public_id, 3, "deleted"),
    ]
    assert body["changes"][1]["state"]["opening_hours"] == "Su 10:00-12:00"
    assert body["licence"] == "ODbL-1.0" and body["more"] is False


def test_paging_with_the_next_cursor_neither_skips_nor_repeats(api, make_place):
    made = [make_place().public_id for _ in range(5)]
    seen, cursor = [], ""
    for _ in range(10):
        body = api.get("/api/changes", {"since": cursor, "limit": 2}).json()
        seen += [c["id"] for c in body["changes"]]
        cursor = body["next_cursor"]
        if not body["more"]:
            break
    assert seen == made
    assert api.get("/api/changes", {"since": cursor}).json()["changes"] == []


def test_a_change_made_after_reading_comes_after_the_cursor(api, make_place):
    make_place()
    cursor = api.get("/api/changes").json()["next_cursor"]
    later = make_place()
    assert [c["id"] for c in api.get("/api/changes", {"since": cursor}).json()["changes"]] == [later.public_id]


def test_private_contacts_never_appear_in_the_feed(api, make_place):
    make_place()
    contacts = api.get("/api/changes").json()["changes"][0]["state"]["contacts"]
    assert contacts and all(c["kind"] != "phone" for c in contacts)


@pytest.mark.parametrize("since", ["abc", "-1", "1" * 30])
def test_a_bad_cursor_is_a_400_problem(api, since):
    response = api.get("/api/changes", {"since": since})
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"


def test_a_limit_out_of_range_is_a_400_problem(api):
    assert api.get("/api/changes", {"limit": 0}).status_code == 400


def test_the_atom_feed_lists_recent_changes_filtered_by_territory_and_category(client, make_place):
    make_place()  # Schaerbeek (21015), neighbourhood compost
    services.create_place(
        data=compost(name={"fr": "Jardin à Namur"}, categories=["community-garden"], attributes={}, geometry={"type": "Point", "coordinates": [4.867, 50.465]})
    )

    def titles(**params):
        response = client.get("/api/changes.atom", params)
        assert response["Content-Type"].startswith("application/atom+xml")
        root = ET.fromstring(response.content)
        return [e.findtext("{http://www.w3.org/2005/Atom}title") for e in root.findall("{http://www.w3.org/2005/Atom}entry")]

    assert len(titles()) == 2
    assert titles(territory="21015") == ["New: Compost de quartier Josaphat"]
    assert titles(category="community-garden") == ["New: Jardin à Namur"]
    assert client.get("/api/changes.atom", {"territory": "99999"}).status_code == 400


def test_on_postgresql_a_reader_blocked_by_a_long_write_sees_nothing_new_instead_of_stalling(make_place):
    import time

    import psycopg
    from django.db import connection

    from foodcommons.opendata.changes import changes_since

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: there is no lock to wait for")
    from foodcommons.places.models import PlaceRevision

    make_place()
    # Read without the feed: its SHARE lock would last as long as this test's transaction.
    cursor = str(PlaceRevision.objects.order_by("-id").values_list("id", flat=True).first())
    s = connection.settings_dict
    with psycopg.connect(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"], dbname=s["NAME"]) as writer:
        writer.execute("SET lock_timeout = '5s'")
        writer.execute("LOCK TABLE places_placerevision IN ROW EXCLUSIVE MODE")  # what an inserting transaction holds
        started = time.monotonic()
        page = changes_since(cursor)
        assert time.monotonic() - started < 10
        assert page.changes == [] and page.next_cursor == cursor
        writer.rollback()
