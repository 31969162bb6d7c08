"""The add-a-place form: a point in Belgium is required and checked, a name in one language, contacts that are what they say,
the category's attributes, three description languages, and what it asks of the page (header link, map, attributes)."""

import pytest
from django.utils import translation

from foodcommons.collaboration.forms import PlaceForm, place_data
from foodcommons.places.models import Place

pytestmark = pytest.mark.django_db

GASAP = {"name_fr": "GASAP des Lilas", "categories": ["csa"], "lon": "4.3791", "lat": "50.8642", "status": "active", "attr_delivery_day": "tu"}


def errors(data, language="fr", **kwargs):
    with translation.override(language):
        form = PlaceForm(data, require_point=True, **kwargs)
        form.is_valid()
        return {name: " ".join(str(e) for e in messages) for name, messages in form.errors.items()}


def test_a_gasap_with_its_delivery_day_and_contacts_is_valid_and_becomes_place_data():
    with translation.override("fr"):
        form = PlaceForm({**GASAP, "phone": "02 512 34 56", "phone_private": "on", "website": "gasap-lilas.be", "description_nl": "Een GASAP"},
                         require_point=True)
        assert form.is_valid(), form.errors
        data = place_data(form.cleaned_data)
    assert data["attributes"] == {"delivery_day": "tu"} and data["geometry"] == {"type": "Point", "coordinates": [4.3791, 50.8642]}
    assert {"kind": "phone", "value": "+3225123456", "private": True} in data["contacts"]
    assert {"kind": "website", "value": "https://gasap-lilas.be/"} in data["contacts"]
    assert data["description"] == {"nl": "Een GASAP"}


def test_a_place_without_a_point_is_refused_with_a_way_to_give_one():
    found = errors({**GASAP, "lon": "", "lat": ""})
    assert "Placez l'épingle" in found["lon"] or "épingle" in found["lon"]


@pytest.mark.parametrize(("language", "words"), [("fr", "inversées"), ("nl", "verwisseld")])
def test_swapped_coordinates_are_named_in_the_page_language(language, words):
    assert words in errors({**GASAP, "lon": "50.8642", "lat": "4.3791"}, language)["lon"]


@pytest.mark.parametrize(("lon", "lat"), [("2.35", "48.85"), ("3.06", "50.63"), ("0", "0")])
def test_a_point_outside_belgium_is_refused(lon, lat):
    assert "Belgique" in errors({**GASAP, "lon": lon, "lat": lat})["lon"]


def test_a_place_without_a_name_in_any_language_is_refused():
    assert "au moins une langue" in errors({**GASAP, "name_fr": ""})["name_fr"]


def test_a_name_in_dutch_only_is_enough():
    assert errors({**GASAP, "name_fr": "", "name_nl": "GASAP van de Seringen"}) == {}


@pytest.mark.parametrize(("field", "value"), [("phone", "12"), ("contact_email", "not-an-address"), ("website", "nowhere")])
def test_contacts_that_are_not_what_they_say_are_refused(field, value):
    assert field in errors({**GASAP, field: value})


def test_an_attribute_of_a_category_not_chosen_is_left_out():
    with translation.override("fr"):
        form = PlaceForm({**GASAP, "categories": ["community-garden"]}, require_point=True)
        assert form.is_valid(), form.errors
        assert "attributes" not in place_data(form.cleaned_data)


def test_the_categories_are_grouped_in_the_page_language():
    with translation.override("nl"):
        groups = list(PlaceForm(require_point=True).fields["categories"].choices)
    labels = [label for group, options in groups for slug, label in options]
    assert "GASAP / gemeenschapslandbouw (CSA)" in labels and "Korte keten" in [g for g, _ in groups]


def test_a_volunteer_adds_a_gasap_through_the_page(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("vol", email="vol@example.org"))
    response = client.post("/places/new", GASAP)
    assert response.status_code in (202, 302)
    if response.status_code == 302:
        assert Place.objects.get(name_fr="GASAP des Lilas").attributes == {"delivery_day": "tu"}


def test_the_form_page_has_the_map_the_attributes_and_the_link_point(client):
    page = client.get("/places/new?lat=50.8642&lon=4.3791", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'id="pin-map"' in page and 'data-categories="csa"' in page and 'value="4.3791"' in page
    assert 'class="add-place" href="/places/new" aria-label="Een plek toevoegen"' in page


def test_the_geocode_endpoint_answers_json(client):
    answer = client.get("/geocode", {"q": "1030"}).json()
    assert answer["results"][0]["postcode"] == "1030" and answer["results"][0]["approximate"] is True
    assert client.get("/geocode", {"q": "zzzzqq"}).json()["results"] == []


def test_the_moderator_sees_the_suggested_point_and_is_warned_of_a_suggestion_without_one(client, django_user_model):
    from foodcommons.collaboration import services

    volunteer = django_user_model.objects.create_user("vol2", email="vol2@example.org")
    with_point = services.suggest_only(kind="create", public_id=None, data={"name": {"fr": "GASAP A"}, "categories": ["csa"],
                                       "geometry": {"type": "Point", "coordinates": [4.3791, 50.8642]}}, author=volunteer)
    services.suggest_only(kind="create", public_id=None, data={"name": {"fr": "GASAP sans point"}, "categories": ["csa"]}, author=volunteer)
    client.force_login(django_user_model.objects.create_user("modo2", email="modo2@example.org", is_staff=True))
    queue = client.get("/moderation/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert queue.count("aucun point sur la carte") == 1
    page = client.get(f"/moderation/suggestions/{with_point.public_id}", HTTP_ACCEPT_LANGUAGE="fr")
    assert page.context["points"]["suggested"] == [4.3791, 50.8642] and 'id="suggestion-map"' in page.content.decode()
