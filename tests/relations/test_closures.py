"""Dated temporary closures of food-aid places given with a form (from–to, reason, a note in each language) by the
place's team as place revisions (others suggest), shown on the place page ("closed until …") and in HSDS; and "open
now" on the map, the directory and /food-aid/now leaving out a place closed today by a dated closure."""

import datetime

import pytest
from django.utils import timezone

from foodcommons.collaboration.models import Suggestion
from foodcommons.places.models import Place, PlaceRevision
from tests.relations.conftest import make_place

pytestmark = pytest.mark.django_db
ALWAYS = "Mo-Su 00:00-24:00"
TODAY = timezone.localdate()
# A viewport around the Marolles, where the two places are.
MAROLLES = {"bbox": "4.33,50.83,4.37,50.85", "z": "15"}


def _day(offset: int) -> str:
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


@pytest.fixture
def grocery(organisation):
    return make_place("Épicerie Sociale Haute", categories=("social-grocery",), coordinates=(4.3517, 50.8366), organisation=organisation,
                      opening_hours=ALWAYS, attributes={"referral_required": False})


@pytest.fixture
def fridge():
    return make_place("Frigo solidaire des Marolles", categories=("community-fridge",), coordinates=(4.3480, 50.8380), opening_hours=ALWAYS,
                      attributes={"referral_required": False})


def _give(client, place, language="fr", **fields):
    data = {"version": place.version, "start": _day(-1), "end": _day(6), "reason": "stock", "note_fr": "Réouverture avec la livraison",
            "note_nl": "Weer open na de levering", "note_en": "", **fields}
    return client.post(f"/places/{place.public_id}/closures", data, HTTP_ACCEPT_LANGUAGE=language)


def test_the_team_gives_a_closure_and_it_is_a_place_revision_shown_on_the_page_in_each_language(client, grocery, editor):
    client.force_login(editor)
    form = client.get(f"/places/{grocery.public_id}/closures", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Geen voorraad" in form or "geen voorraad" in form
    answer = _give(client, grocery)
    assert answer.status_code == 302 and answer["Location"].endswith("#food-aid-access")
    grocery.refresh_from_db()
    assert grocery.attributes["temporary_closures"] == [{"from": _day(-1), "to": _day(6), "reason": "stock",
                                                          "note": {"fr": "Réouverture avec la livraison", "nl": "Weer open na de levering"}}]
    revision = PlaceRevision.objects.filter(place=grocery).order_by("-version").first()
    assert revision.version == 2 and revision.author == editor
    french = client.get(f"/places/{grocery.public_id}", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    card = french[french.index('id="food-aid-access"'):]
    assert "Fermé jusqu" in card and "rupture de stock" in card and "Réouverture avec la livraison" in card
    dutch = client.get(f"/places/{grocery.public_id}", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Weer open na de levering" in dutch and "geen voorraad" in dutch
    english = client.get(f"/places/{grocery.public_id}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "out of stock" in english and "Réouverture avec la livraison" in english  # no English note: another language's


def test_a_closure_is_removed_with_its_box_and_the_history_keeps_it(client, grocery, editor):
    client.force_login(editor)
    _give(client, grocery)
    grocery.refresh_from_db()
    answer = client.post(f"/places/{grocery.public_id}/closures", {"version": grocery.version, "remove_0": "on"})
    assert answer.status_code == 302
    grocery.refresh_from_db()
    assert "temporary_closures" not in grocery.attributes and grocery.version == 3
    history = client.get(f"/places/{grocery.public_id}/history", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "rupture de stock" in history


def test_a_stale_form_answers_409_and_shows_the_current_closures(client, grocery, editor):
    client.force_login(editor)
    _give(client, grocery)
    answer = _give(client, grocery, reason="holidays")  # still on version 1
    assert answer.status_code == 409 and "rupture de stock" in answer.content.decode()


@pytest.mark.parametrize(("fields", "french", "dutch"), [
    ({"end": _day(-3)}, "Le dernier jour vient le jour du premier ou après.", "De laatste dag komt op of na de eerste."),
    ({"reason": ""}, "Donnez le premier jour, le dernier jour et la raison", "Geef de eerste dag, de laatste dag en de reden"),
])
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_bad_closure_is_refused_in_the_page_language_and_nothing_is_written(client, grocery, editor, fields, french, dutch, language):
    client.force_login(editor)
    answer = _give(client, grocery, language=language, **fields)
    assert answer.status_code == 400 and (french if language == "fr" else dutch) in answer.content.decode().replace("&#x27;", "'")
    grocery.refresh_from_db()
    assert grocery.version == 1


def test_someone_outside_the_team_suggests_a_closure_and_an_anonymous_visitor_is_asked_to_log_in(client, grocery, outsider):
    assert client.get(f"/places/{grocery.public_id}/closures")["Location"].startswith("/accounts/login")
    client.force_login(outsider)
    answer = _give(client, grocery, language="nl")
    assert answer.status_code == 200 and "moderatoren" in answer.content.decode()
    grocery.refresh_from_db()
    assert grocery.version == 1 and Suggestion.objects.get().payload["attributes"]["temporary_closures"][0]["reason"] == "stock"


def test_the_form_is_only_for_food_aid_places(client, editor, organisation):
    gasap = make_place("GASAP du Parvis", organisation=organisation)
    client.force_login(editor)
    assert client.get(f"/places/{gasap.public_id}/closures").status_code == 404


def test_hsds_carries_the_closure_with_its_reason_and_english_note(client, grocery, editor):
    client.force_login(editor)
    _give(client, grocery, note_en="Open again with the delivery")
    service = client.get("/api/food-aid/hsds.json").json()[0]
    assert service["alert"] == f"Closed from {_day(-1)} to {_day(6)} (out of stock: Open again with the delivery)"


def _closed_today(place):
    from foodcommons.places.services import update_place

    update_place(public_id=place.public_id, base_version=place.version,
                 patch={"attributes": {"temporary_closures": [{"from": _day(0), "to": _day(2), "reason": "holidays"}]}})


def test_open_now_on_the_map_and_the_directory_leaves_out_a_place_closed_today(client, grocery, fridge):
    query = {**MAROLLES, "category": "food-aid", "open": "1"}
    before = client.get("/map/clusters", query).json()
    assert sorted(p["name"] for p in before["places"]) == ["Frigo solidaire des Marolles", "Épicerie Sociale Haute"]
    _closed_today(grocery)
    after = client.get("/map/clusters", query).json()
    assert [p["name"] for p in after["places"]] == ["Frigo solidaire des Marolles"] and after["total"] == 1
    directory = client.get("/directory", {"category": "food-aid", "open": "1"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Frigo solidaire des Marolles" in directory and "Épicerie Sociale Haute" not in directory
    assert "Épicerie Sociale Haute" in client.get("/map/clusters", {**MAROLLES, "category": "food-aid"}).json()["places"][0]["name"] + \
        client.get("/map/clusters", {**MAROLLES, "category": "food-aid"}).json()["places"][1]["name"]  # without "open now" it is there


def test_open_now_for_food_aid_and_the_place_page_know_the_dated_closure(client, grocery, fridge):
    _closed_today(grocery)
    now = client.get("/food-aid/now", {"territory": "04000"}, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Frigo solidaire des Marolles" in now and "Épicerie Sociale Haute" not in now
    api = client.get("/api/food-aid/open-now", {"territory": "04000"}).json()
    assert [p["name"]["fr"] for p in api] == ["Frigo solidaire des Marolles"]
    page = client.get(f"/places/{grocery.public_id}", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    line = page[page.index('id="open-now"'):][:300]
    assert "is-closed" in page[page.index('class="open-now'):][:40] and "Vandaag gesloten" in line and "vakantie" in line


def test_a_closure_that_ended_yesterday_leaves_the_place_open_now(client, grocery):
    from foodcommons.places.services import update_place

    update_place(public_id=grocery.public_id, base_version=grocery.version,
                 patch={"attributes": {"temporary_closures": [{"from": _day(-5), "to": _day(-1), "reason": "works"}]}})
    names = [p["name"] for p in client.get("/map/clusters", {**MAROLLES, "category": "food-aid", "open": "1"}).json()["places"]]
    assert names == ["Épicerie Sociale Haute"] and Place.objects.count() == 1
