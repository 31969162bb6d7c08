"""Empty results say which filter removed everything, with counts, and what to do next."""

import pytest
from django.utils import translation

from tests.conftest import compost
from tests.web.test_map import BRUSSELS_VIEW

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(db, django_capture_on_commit_callbacks):
    def make(*overrides):
        with django_capture_on_commit_callbacks(execute=True):
            from foodcommons.places.services import create_place

            return [create_place(data=compost(**extra)).place for extra in overrides]

    return make


def empty(client, language="en", **params):
    response = client.get("/map/clusters", {**BRUSSELS_VIEW, **params}, HTTP_ACCEPT_LANGUAGE=language)
    view = response.json()
    assert view["total"] == 0
    return view["empty"]


def test_open_now_says_how_many_places_it_leaves_out_for_want_of_hours(client, places):
    places({"name": {"fr": "Sans heures"}, "opening_hours": ""}, {"name": {"fr": "Fermé"}, "opening_hours": "Mo-Su off"},
           {"name": {"fr": "Autre"}, "opening_hours": ""})
    help = empty(client, open="1")
    [drop] = help["drops"]
    assert drop["filter"] == "open" and drop["remaining"] == 3
    assert "leaves out 2 places that give no opening hours" in drop["text"] and "Without “open now”: 3 places." in drop["text"]
    assert drop["action"] == "Remove this filter"
    assert help["add"]["href"] == "/places/new"


def test_each_filter_says_how_many_places_remain_without_it(client, places):
    places({"name": {"fr": "Potager"}, "opening_hours": "24/7"})
    help = empty(client, open="1", category="food-aid", q="potager")
    by_filter = {d["filter"]: d["remaining"] for d in help["drops"]}
    assert by_filter == {"q": 0, "category": 1, "open": 0}
    assert help["belgium"]["remaining"] == 0


def test_an_empty_category_is_named_kindly_and_invites_adding_one(client, places):
    places({"name": {"fr": "Compost"}})
    help = empty(client, "fr", category="food-aid")
    assert help["empty_categories"][0]["slug"] == "food-aid"
    assert "Aide alimentaire" in help["empty_categories"][0]["text"]
    assert help["drops"][0]["text"] == "Sans la catégorie « Aide alimentaire » : 1 lieu."


def test_places_elsewhere_in_belgium_are_counted_to_widen_to(client, places):
    places({"name": {"fr": "À Liège"}, "geometry": {"type": "Point", "coordinates": [5.57, 50.63]}})
    help = empty(client, "nl")
    assert help["belgium"] == {"remaining": 1, "text": "In heel België: 1 plek.", "action": "Zoek in heel België"}


@pytest.mark.parametrize(("language", "expected"), [("fr", "Sans « ouvert maintenant » : 0 lieu."), ("nl", "Zonder ‘nu open’: 0 plekken.")])
def test_zero_takes_each_language_plural(client, places, language, expected):
    help = empty(client, language, open="1")
    assert help["drops"][0]["text"] == expected
    translation.activate("en")


def test_the_directory_helps_too_when_nothing_matches(client, places):
    places({"name": {"fr": "Compost"}})
    page = client.get("/directory", {"category": "food-aid"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No “Food aid” place has been added yet" in page
    assert 'href="/places/new?category=food-aid"' in page
    assert 'href="/directory"' in page  # drop the category filter
