"""Stored public bodies: a list answer assembled from them is the answer built afresh, and never an outdated one."""

import json

import pytest
from django.core.management import call_command

from foodcommons.places import public_json, services
from foodcommons.places.models import Place, PlacePublicJson
from foodcommons.taxonomy.models import Category
from tests.conftest import compost

pytestmark = pytest.mark.django_db

LISTINGS = [{}, {"near": "4.37,50.86"}, {"q": "compost"}, {"limit": 1}, {"bbox": "4.3,50.8,4.5,50.9"}, {"category": "community-garden"}]


@pytest.fixture
def varied_places(api):
    """Four places of different shapes (a point with private contacts, a garden, an area, an area served)."""
    api.post("/api/places", compost())
    api.post("/api/places", compost(name={"nl": "Buurtmoestuin"}, categories=["community-garden"], contacts=[], attributes={}))
    area = {"type": "Polygon", "coordinates": [[[4.37, 50.86], [4.38, 50.86], [4.38, 50.87], [4.37, 50.86]]]}
    api.post("/api/places", compost(geometry=area, address={}, opening_hours="", attributes={}))
    api.post("/api/places", compost(geometry=None, areas_served=["21015"], address={}))
    ids = list(Place.objects.values_list("pk", flat=True))
    assert len(ids) == 4
    return ids


def _listing(client, params) -> dict:
    response = client.get("/api/places", params)
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture
def no_building(monkeypatch):
    """Make building a place afresh for a list answer fail: what answers then came from the stored bodies."""

    def refuse(*args, **kwargs):
        raise AssertionError("a place was built afresh")

    monkeypatch.setattr(public_json, "place_json", refuse)


@pytest.mark.parametrize("params", LISTINGS, ids=["plain", "near", "text", "paged", "bbox", "category"])
def test_a_listing_from_stored_bodies_is_the_listing_built_afresh(client, varied_places, params, monkeypatch):
    PlacePublicJson.objects.all().delete()
    built = _listing(client, params)
    assert public_json.refresh_public_json(varied_places) == len(varied_places)
    with monkeypatch.context() as patch:
        patch.setattr(public_json, "place_json", lambda *a, **k: pytest.fail("a place was built afresh"))
        stored = _listing(client, params)
    assert built["count"] >= 1 and stored == built


def test_stored_bodies_hold_no_private_contact(client, varied_places, no_building):
    public_json.refresh_public_json(varied_places)
    assert b'"private":true' not in b"".join(bytes(b) for b in PlacePublicJson.objects.values_list("body", flat=True))
    assert not any(c["private"] for p in _listing(client, {})["places"] for c in p["contacts"])


def test_a_writer_still_sees_private_contacts(api, varied_places):
    public_json.refresh_public_json(varied_places)
    body = json.loads(api.get("/api/places").content)
    assert any(c.get("private") for p in body["places"] for c in p["contacts"])


def test_a_place_changed_since_its_body_was_stored_is_shown_as_it_is_now(client, varied_places):
    public_json.refresh_public_json(varied_places)
    place = Place.objects.get(pk=varied_places[0])
    # Tests run in one transaction: the receiver of the change never runs, so the stored body stays behind.
    services.update_place(public_id=place.public_id, patch={"name": {"fr": "Compost renommé"}}, base_version=place.version)
    names = {p["id"]: p["name"] for p in _listing(client, {})["places"]}
    assert names[place.public_id]["fr"] == "Compost renommé"


def test_a_confirmation_since_the_body_was_stored_shows(client, varied_places):
    from django.utils import timezone

    public_json.refresh_public_json(varied_places)
    place = Place.objects.get(pk=varied_places[0])
    assert place.last_confirmed is None
    services.mark_confirmed(place=place, at=timezone.now())  # what collaboration's confirmations call
    shown = {p["id"]: p["last_confirmed"] for p in _listing(client, {})["places"]}
    assert shown[place.public_id] is not None


def test_a_change_encodes_its_place_once_committed(varied_places, django_capture_on_commit_callbacks):
    place = Place.objects.get(pk=varied_places[0])
    with django_capture_on_commit_callbacks(execute=True):
        services.update_place(public_id=place.public_id, patch={"name": {"fr": "Compost encodé"}}, base_version=place.version)
    stored = PlacePublicJson.objects.get(place_id=place.pk)
    assert stored.version == place.version + 1 and json.loads(bytes(stored.body))["name"]["fr"] == "Compost encodé"


def test_a_deleted_place_loses_its_body(varied_places, django_capture_on_commit_callbacks):
    public_json.refresh_public_json(varied_places)
    place = Place.objects.get(pk=varied_places[0])
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_place(public_id=place.public_id, base_version=place.version)
    assert not PlacePublicJson.objects.filter(place_id=place.pk).exists()


def test_a_new_category_slug_moves_the_epoch_and_makes_every_body_stale(varied_places):
    public_json.refresh_public_json(varied_places)
    before = public_json.epoch()
    assert public_json.stale_place_ids() == []
    Category.objects.create(slug="a-new-kind", label_fr="Nouveau", position=99)
    assert public_json.epoch() != before
    assert sorted(public_json.stale_place_ids()) == sorted(varied_places)


def test_the_rebuild_command_encodes_only_stale_places(varied_places, capsys):
    public_json.refresh_public_json(varied_places[1:])
    call_command("rebuild_public_json")
    assert "Encoded 1 places." in capsys.readouterr().out
    assert public_json.stale_place_ids() == []


def test_places_created_in_bulk_carry_their_bodies_which_equal_those_built_afresh():
    from foodcommons.places import bulk
    from foodcommons.places.selectors import with_relations

    rows = [compost(name={"fr": f"Compost {n}"}, areas_served=["21015", "21004"]) for n in range(3)]
    # Tests run in one transaction: the receiver of the change never runs, so the bodies come from the batch itself.
    result = bulk.bulk_create_places(inputs=rows)
    assert result.created == 3 and public_json.stale_place_ids() == []
    places = with_relations(list(Place.objects.all()))
    stored = dict(PlacePublicJson.objects.values_list("place_id", "body"))
    assert {p.pk: json.loads(bytes(stored[p.pk])) for p in places} == {p.pk: json.loads(public_json.public_body(p)) for p in places}


def test_a_sourced_place_is_listed_from_its_body_with_its_sources_as_built_afresh(client, varied_places, monkeypatch):
    from foodcommons.imports.models import Source, SourceRecord

    osm = Source.objects.create(slug="osm-be", name="OpenStreetMap", licence="ODbL-1.0", attribution="© OpenStreetMap contributors")
    other = Source.objects.create(slug="gasap", name="Réseau des GASAP", licence="CC-BY-4.0", attribution="Réseau des GASAP")
    place = Place.objects.get(pk=varied_places[0])
    for source, external_id in ((osm, "node/1"), (other, "g-7")):
        SourceRecord.objects.create(source=source, external_id=external_id, place=place, fetched_at=place.created_at)
    PlacePublicJson.objects.all().delete()
    built = _listing(client, {})
    public_json.refresh_public_json(varied_places)
    with monkeypatch.context() as patch:
        patch.setattr(public_json, "place_json", lambda *a, **k: pytest.fail("a place was built afresh"))
        stored = _listing(client, {})
    assert stored == built
    sourced = next(p for p in stored["places"] if p["id"] == place.public_id)
    assert [s["source"] for s in sourced["sources"]] == ["osm-be", "gasap"]
    assert sourced["attribution"] == ["© OpenStreetMap contributors", "Réseau des GASAP"]


def test_encoding_a_place_again_replaces_its_body_in_place(varied_places):
    # Two writers of one place each re-encode it after their commit: the second write updates the row, never fails on its key.
    place = services.update_place(public_id=Place.objects.get(pk=varied_places[0]).public_id, patch={"name": {"fr": "Deuxième"}},
                                  base_version=Place.objects.get(pk=varied_places[0]).version).place
    public_json.refresh_public_json([place.pk])
    public_json.refresh_public_json([place.pk])
    stored = PlacePublicJson.objects.get(place_id=place.pk)
    assert stored.version == place.version and json.loads(bytes(stored.body))["name"]["fr"] == "Deuxième"
    assert place.pk not in public_json.stale_place_ids() and PlacePublicJson.objects.filter(place_id=place.pk).count() == 1
