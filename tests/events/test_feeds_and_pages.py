"""Calendar feeds parsed with icalendar, schema.org JSON-LD on the page and in the API, the pages in French and Dutch."""

import json
import re

import icalendar
import pytest
from django.utils import translation

from foodcommons.events import services
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db


def _calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_an_event_ics_has_its_times_in_brussels_and_its_programme(client, event):
    cal = _calendar(client, f"/events/{event.public_id}.ics")
    (vevent,) = cal.walk("VEVENT")
    assert vevent["DTSTART"].params["TZID"] == "Europe/Brussels" and vevent["DTSTART"].dt.hour == 9 and vevent["DTSTART"].dt.minute == 30
    assert vevent["DTSTART"].dt == event.starts_at and vevent["DTEND"].dt == event.ends_at
    assert "Accueil" in str(vevent["DESCRIPTION"]) and "Namur" in str(vevent["LOCATION"])
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Brussels"]


def test_feeds_per_organisation_territory_with_its_sub_territories_and_site(client, organisation, editor):
    from foodcommons.territories.models import Territory

    commune, elsewhere = Territory.objects.get(code="92094"), Territory.objects.get(code="80000")  # Namur (in its province 90000), Luxembourg
    in_commune = make_event(organisation, editor, title_fr="Dans la commune", territory=commune)
    make_event(organisation, editor, title_fr="Ailleurs", territory=elsewhere)
    titles = lambda url: sorted(str(v["SUMMARY"]) for v in _calendar(client, url).walk("VEVENT"))  # noqa: E731
    assert titles("/events/territories/90000.ics") == [in_commune.title_fr]
    assert titles("/events/territories/92094.ics") == [in_commune.title_fr]
    assert titles(f"/events/organisations/{organisation.slug}.ics") == ["Ailleurs", "Dans la commune"]
    assert titles("/events/calendar.ics") == ["Ailleurs", "Dans la commune"]
    assert client.get("/events/territories/99999.ics").status_code == 404
    page = client.get("/events/?territory=90000", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Dans la commune" in page and "Ailleurs</strong>" not in page


def test_the_event_page_shows_the_programme_seats_and_json_ld_in_french_and_dutch(client, event):
    fr = client.get(f"/events/{event.public_id}", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Programme" in fr and "20 places restantes" in fr and "Ajouter à mon agenda" in fr and "Quel est votre réseau ?" in fr
    document = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', fr, re.S)[1])
    assert document["@type"] == "Event" and document["startDate"].endswith("+02:00") and document["subEvent"][0]["name"] == "Accueil"
    nl = client.get(f"/events/{event.public_id}", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Territoriale ontmoeting" in nl and "Programma" in nl and "20 plaatsen over" in nl and "Inschrijven" in nl


def test_a_visitor_registers_from_the_page_and_confirms(client, event):
    from django.core import mail

    response = client.post(f"/events/{event.public_id}/register", {"email": "v@example.org", "name": "Vi", "answer_0": "GASAP"},
                           HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200 and "Presque fini" in response.content.decode()
    link = re.search(r"http\S+(/events/confirm/\S+)", mail.outbox[-1].body)[1]
    assert "confirmée" in client.get(link, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    cancel = re.search(r"http\S+(/events/cancel/\S+)", mail.outbox[-1].body)[1]
    assert "Annuler mon inscription" in client.get(cancel, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "est annulée" in client.post(cancel, HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_an_empty_list_says_why_and_what_to_do(client):
    page = client.get("/events/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Nog geen komend evenement" in page and "/events/calendar.ics" in page


def test_the_api_lists_events_with_json_ld_and_registers(client, event):
    listed = client.get("/api/events").json()
    assert [e["id"] for e in listed] == [event.public_id] and listed[0]["jsonld"]["@type"] == "Event"
    detail = client.get(f"/api/events/{event.public_id}").json()
    assert detail["seats_left"] == 20 and detail["programme"][0]["title"] == {"fr": "Accueil"}
    answer = client.post(f"/api/events/{event.public_id}/registrations", {"email": "api@example.org"}, content_type="application/json")
    assert answer.status_code == 201 and answer.json()["status"] == "unconfirmed"
    assert client.get(f"/api/events/{event.public_id}/registrations").status_code == 401


def test_an_editor_creates_an_event_from_the_form(client, organisation, editor):
    client.force_login(editor)
    with translation.override("fr"):
        assert client.get("/events/new").status_code == 200
    response = client.post("/events/new", {
        "organisation": organisation.pk, "title_fr": "Atelier", "starts_at": "2099-04-05T09:30", "ends_at": "2099-04-05T16:00",
        "programme": "09:30-10:00 Accueil\n10:00-12:30 Ateliers", "address": "Avenue Louis Bertrand 30, 1030 Schaerbeek",
        "capacity": "30", "questions": "Votre réseau ?", "status": "published",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    from foodcommons.events.models import Event

    created = Event.objects.get(title_fr="Atelier")
    assert created.starts_at.isoformat() == "2099-04-05T07:30:00+00:00" and [s.title_fr for s in created.sessions.all()] == ["Accueil", "Ateliers"]
    assert client.get(f"/events/{created.public_id}/edit").status_code == 200
    client.logout()
    assert client.get(f"/events/{created.public_id}/edit").status_code == 302


def test_a_cancelled_event_refuses_registrations(organisation, editor):
    event = make_event(organisation, editor, status="cancelled")
    with pytest.raises(services.Problem):
        services.register(public_id=event.public_id, email="z@example.org")


def test_an_event_carries_work_streams_shown_on_its_page_and_in_its_work_streams_feed(client, organisation, editor):
    on_stream = make_event(organisation, editor, title_fr="Approche territoriale à Namur", work_streams=["territorial-approach", "land"])
    make_event(organisation, editor, title_fr="Sans chantier")
    cal = _calendar(client, "/events/work-streams/territorial-approach.ics")
    assert [str(v["SUMMARY"]) for v in cal.walk("VEVENT")] == [on_stream.title_fr]
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Brussels"]
    assert cal.walk("VEVENT")[0]["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert _calendar(client, "/events/work-streams/legumeries.ics").walk("VEVENT") == []
    assert client.get("/events/work-streams/no-such-stream.ics").status_code == 404
    nl = client.get(f"/events/{on_stream.public_id}", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Werven" in nl and "Territoriale aanpak" in nl and "Grondvraagstuk" in nl
    assert "/events/work-streams/territorial-approach.ics" in client.get("/events/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_the_api_sets_and_shows_an_event_s_work_streams_and_refuses_unknown_ones(client, event, editor):
    from foodcommons.accounts.tokens import create_token

    auth = {"HTTP_AUTHORIZATION": f"Bearer {create_token(user=editor)}"}
    answer = client.patch(f"/api/events/{event.public_id}", {"work_streams": ["land", "diagnostics"]}, content_type="application/json", **auth)
    assert answer.status_code == 200, answer.content
    assert answer.json()["work_streams"] == ["diagnostics", "land"]  # in the vocabulary's order
    assert [e["id"] for e in client.get("/api/events?work_stream=land").json()] == [event.public_id]
    assert client.get("/api/events?work_stream=legumeries").json() == []
    refused = client.patch(f"/api/events/{event.public_id}", {"work_streams": ["no-such"]}, content_type="application/json", **auth)
    assert refused.status_code == 400 and "no-such" in refused.content.decode()


def _document(title: str):
    from foodcommons.knowledge.models import Document

    return Document.objects.create(public_id=f"doc-{title[:8].lower().replace(' ', '-')}", title_fr=title, title_nl=f"{title} (nl)", kind="minutes")


def test_an_editor_links_the_minutes_to_an_event_and_its_page_lists_them_after_the_event(client, event, editor):
    minutes = _document("Compte rendu de la rencontre")
    client.force_login(editor)
    empty = client.get(f"/events/{event.public_id}", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Après l’évènement" in empty and "Aucun document" in empty
    form = client.get(f"/events/{event.public_id}/edit").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("organisation", "territory", "work_streams")}
    data.update(organisation=event.organisation.pk, documents=f"{minutes.public_id} unknown-id")
    refused = client.post(f"/events/{event.public_id}/edit", data, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400 and "No document of the library has one of these ids." in refused.content.decode()
    data["documents"] = minutes.public_id
    assert client.post(f"/events/{event.public_id}/edit", data).status_code == 302
    client.logout()
    nl = client.get(f"/events/{event.public_id}", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Na het evenement" in nl and "Compte rendu de la rencontre (nl)" in nl and f"/knowledge/documents/{minutes.public_id}" in nl
    assert client.get(f"/api/events/{event.public_id}").json()["documents"] == [minutes.public_id]


def test_a_visitor_sees_no_after_the_event_heading_without_documents(client, event):
    page = client.get(f"/events/{event.public_id}", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Après l’évènement" not in page and "Aucun document" not in page
