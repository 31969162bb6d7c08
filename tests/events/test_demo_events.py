"""The seed documents' events in the demo: the five territorial meetings of June 2021 and the Brussels workshop with its programme."""

import pytest

from foodcommons.demo.events import load_demo_events
from foodcommons.events.models import Event

pytestmark = pytest.mark.django_db


def test_the_seed_events_are_loaded_once_with_their_source_territory_and_programme(client):
    assert load_demo_events() == 6
    assert load_demo_events() == 0
    meetings = Event.objects.filter(organisation__slug="manger-demain").order_by("starts_at")
    assert [(e.starts_at.astimezone(e.starts_at.tzinfo).date().isoformat(), e.territory_id) for e in meetings] == [
        ("2021-06-01", "60000"), ("2021-06-08", "90000"), ("2021-06-10", "80000"), ("2021-06-17", "20002"), ("2021-06-24", "50000")]
    assert all("004_a6f815f31b3dc223" in e.source for e in meetings)
    assert all([w.slug for w in e.work_streams.all()] == ["territorial-approach"] for e in meetings)
    workshop = Event.objects.get(organisation__slug="mutualisons")
    assert "Louis Bertrand 30, 1030 Schaerbeek" in workshop.address and workshop.territory_id == "21015"
    assert workshop.sessions.first().title_fr == "Petit mot d'introduction" and workshop.sessions.count() == 5
    page = client.get("/events/?when=past&territory=04000", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Atelier pour les alternatives" in page and "Rencontre territoriale" not in page
    assert "Luik" in client.get("/events/?when=past", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
