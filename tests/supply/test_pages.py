"""The supply pages in French and Dutch: forms publish, the demand ranks producers with reasons, answers reach the buyer only."""

import pytest
from django.core import mail

from tests.supply.conftest import SCHOOL, make_demand, make_offer, person

pytestmark = pytest.mark.django_db


def page(client, url, language="fr", **params):
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize(("language", "words"), [("fr", "Approvisionnement local"), ("nl", "Lokale bevoorrading")])
def test_the_landing_page_explains_in_the_page_language(client, language, words):
    html = page(client, "/supply/", language)
    assert words in html
    assert "Publish" not in html


def test_a_person_without_an_organisation_is_told_what_to_do(client, django_user_model):
    client.force_login(person(django_user_model, "lonely", None))
    response = client.get("/supply/offers/new", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 403 and "redacteur" in response.content.decode()


def test_a_producer_publishes_an_offer_through_the_form(client, farm, grower):
    from foodcommons.supply.models import Offer

    client.force_login(grower)
    response = client.post("/supply/offers/new", {"organisation": farm[1].pk, "place": farm[0].pk, "product": "leek", "volume": "30",
                                                   "volume_unit": "kg", "volume_period": "week", "delivery_radius_km": "25",
                                                   "processing": ["raw", "washed"], "price": "2.10"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 302, response.content.decode()[:3000]
    offer = Offer.objects.get()
    assert offer.product == "leek" and offer.months and float(offer.price) == 2.1


def test_a_refused_offer_says_so_in_dutch(client, farm, grower):
    client.force_login(grower)
    response = client.post("/supply/offers/new", {"organisation": farm[1].pk, "place": farm[0].pk, "product": "leek", "volume": "30",
                                                   "volume_unit": "kg", "volume_period": "week", "processing": ["raw"]}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert "niet aanvaard" in response.content.decode()


def test_a_buyer_publishes_a_demand_and_the_producer_is_alerted_in_their_language(client, farm, grower, school, django_capture_on_commit_callbacks):
    from foodcommons.supply.models import Demand

    make_offer(farm, grower)
    organisation, cook = school
    client.force_login(cook)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/supply/demands/new", {
            "organisation": organisation.pk, "kind": "school", "title": "Soupes d'hiver", "lat": SCHOOL[1], "lon": SCHOOL[0],
            "product_0": "carrot", "quantity_0": "20", "unit_0": "kg", "frequency_0": "weekly", "from_0": "10", "to_0": "3",
            "unit_1": "kg", "frequency_1": "weekly", "from_1": "1", "to_1": "1", "unit_2": "kg", "frequency_2": "weekly", "from_2": "1", "to_2": "1",
        }, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302, response.content.decode()[:3000]
    demand = Demand.objects.get()
    assert demand.lines.get().months == [10, 11, 12, 1, 2, 3]
    [alert] = mail.outbox
    assert alert.to == [grower.email] and alert.extra_headers["Content-Language"] == "nl"
    assert "Een kantine vraagt" in alert.subject and "Soupes d'hiver" in alert.subject and f"/supply/demands/{demand.public_id}/answer" in alert.body


def test_the_demand_page_shows_each_criterion_and_weights_change_the_order(client, farm, grower, school, django_user_model):
    from foodcommons.collaboration.models import Organisation, PlaceMaintainer
    from foodcommons.places.services import create_place

    make_offer(farm, grower, volume=2)
    far_place = create_place(data={"name": {"fr": "Ferme du Plateau"}, "categories": ["farm-shop"], "licence": "CC0-1.0",
                                   "geometry": {"type": "Point", "coordinates": [SCHOOL[0], SCHOOL[1] + 0.5]}}).place
    other = Organisation.objects.create(slug="plateau", name="Plateau")
    PlaceMaintainer.objects.create(place=far_place, organisation=other)
    make_offer((far_place, other), person(django_user_model, "paul", other), volume=500, delivery_radius_km=80)
    demand = make_demand(school)
    html = page(client, f"/supply/demands/{demand.public_id}", "nl")
    for words in ("Seizoen", "Afstand", "Gewicht", "Punten", "januari"):
        assert words in html

    def order(html):
        names = ("Ferme du Chemin", "Ferme du Plateau")
        assert all(name in html for name in names)
        return sorted(names, key=html.index)

    url = f"/supply/demands/{demand.public_id}"
    assert order(page(client, url, "fr", volume="10", distance="0")) == ["Ferme du Plateau", "Ferme du Chemin"]
    assert order(page(client, url, "fr", volume="0", distance="10", delivery_area="0")) == ["Ferme du Chemin", "Ferme du Plateau"]


def test_an_answer_reaches_the_buyer_only_and_prices_stay_private(client, farm, grower, school, django_user_model):
    offer = make_offer(farm, grower, price=1.85)
    demand = make_demand(school)
    client.force_login(grower)
    response = client.post(f"/supply/demands/{demand.public_id}/answer", {"offer": offer.public_id, "message": "Wij leveren graag", "price": "1.66"},
                           HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200 and "verzonden" in response.content.decode()
    url = f"/supply/demands/{demand.public_id}"
    for viewer in (None, grower, person(django_user_model, "rival", None)):
        client.logout()
        if viewer:
            client.force_login(viewer)
        html = page(client, url)
        assert "Wij leveren graag" not in html and "1,66" not in html and "1.66" not in html and "1,85" not in html and "3000" not in html
    client.force_login(school[1])
    html = page(client, url)
    assert "Wij leveren graag" in html and "1,66" in html and "1,85" in html and "3000" in html


def test_the_producer_page_lists_the_demands_they_could_answer(client, farm, grower, school):
    make_offer(farm, grower)
    demand = make_demand(school, title="Potages")
    client.force_login(grower)
    html = page(client, "/supply/for-me", "nl")
    assert "Potages" in html and f"/supply/demands/{demand.public_id}/answer" in html and "wortel" in html
