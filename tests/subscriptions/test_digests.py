"""The periodic digest: one e-mail per address of what changed for what it follows, in its language, once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

SCHAERBEEK = "21015"


def confirmed(email: str, kind: str, key: str, language: str = "fr"):
    from foodcommons.core.ids import new_public_id
    from foodcommons.subscriptions.models import Subscription

    past = timezone.now() - timedelta(hours=1)
    return Subscription.objects.create(public_id=new_public_id(), email=email, kind=kind, key=key, language=language,
                                       confirmed_at=past, notified_until=past)


def digest(now=None):
    from foodcommons.subscriptions.services import send_digests

    return send_digests(now=now or timezone.now() + timedelta(minutes=5))


@pytest.mark.django_db
def test_a_new_place_in_a_followed_territory_is_in_the_next_digest_once(make_place):
    confirmed("ana@example.org", "territory", SCHAERBEEK, language="nl")
    place = make_place()
    assert digest() == 1
    [message] = mail.outbox
    assert message.to == ["ana@example.org"] and message.extra_headers["Content-Language"] == "nl"
    assert "Buurtcompost Josaphat" in message.body  # the place's Dutch name
    assert f"/places/{place.public_id}" in message.body
    assert "Nieuw" in message.body and "Schaarbeek" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert digest(timezone.now() + timedelta(minutes=10)) == 0  # told once
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_nothing_changed_means_no_email(make_place):
    confirmed("ana@example.org", "territory", "25072")  # Wavre: the compost is in Schaerbeek
    make_place()
    assert digest() == 0 and mail.outbox == []


@pytest.mark.django_db
def test_an_unconfirmed_subscription_gets_no_digest(make_place):
    from foodcommons.subscriptions.models import Subscription

    Subscription.objects.create(public_id="unconfirmed", email="ana@example.org", kind="territory", key=SCHAERBEEK)
    make_place()
    assert digest() == 0


@pytest.mark.django_db
def test_one_address_gets_one_email_with_a_part_and_an_unsubscribe_link_per_subscription(make_place):
    confirmed("ana@example.org", "territory", SCHAERBEEK)
    confirmed("ana@example.org", "category", "neighbourhood-compost")
    place = make_place()
    assert digest() == 1
    [message] = mail.outbox
    assert message.body.count(f"/places/{place.public_id}") == 2
    assert message.body.count("/follow/unsubscribe/") == 3  # one per part, and one for everything


@pytest.mark.django_db
def test_a_followed_place_tells_its_changes(make_place):
    from foodcommons.places.services import update_place

    place = make_place()
    confirmed("ana@example.org", "place", place.public_id)
    update_place(public_id=place.public_id, patch={"name": {"fr": "Compost Josaphat (nouveau nom)"}}, base_version=1)
    assert digest() == 1
    assert "Compost Josaphat (nouveau nom)" in mail.outbox[0].body and "Modifié" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_followed_work_stream_tells_new_projects():
    from foodcommons.knowledge.models import WorkStream
    from foodcommons.knowledge.services import create_project

    confirmed("ana@example.org", "work_stream", "public-procurement", language="en")
    create_project(data={"title_en": "Local food in school canteens", "work_streams": list(WorkStream.objects.filter(slug="public-procurement"))},
                   author=None, check_role=False)
    assert digest() == 1
    assert "Local food in school canteens" in mail.outbox[0].body and "/knowledge/projects/" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_territory_digest_tells_new_events_inside_it():
    from foodcommons.events.services import create_event
    from foodcommons.territories.models import Territory

    confirmed("ana@example.org", "territory", "92000")  # the province of Namur
    start = timezone.now() + timedelta(days=30)
    create_event(data={"title_fr": "Rencontre territoriale de Namur", "starts_at": start, "ends_at": start + timedelta(hours=3),
                       "territory": Territory.objects.get(code="92094"), "address": "Namur"}, author=None, check_role=False)
    assert digest() == 1
    assert "Rencontre territoriale de Namur" in mail.outbox[0].body


@pytest.mark.django_db
def test_the_periodic_job_is_registered_daily():
    from foodcommons.core.schedule import PERIODIC_JOBS

    assert PERIODIC_JOBS["foodcommons.subscriptions.tasks.send_digests"] == timedelta(days=1)


@pytest.mark.django_db
def test_a_target_feed_is_atom_with_its_recent_changes(client, make_place):
    import xml.etree.ElementTree as ET

    place = make_place()
    response = client.get(f"/follow/territory/{SCHAERBEEK}/feed.atom", HTTP_ACCEPT_LANGUAGE="nl")
    assert response["Content-Type"].startswith("application/atom+xml")
    atom = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in atom.findall("a:entry", ns)]
    assert any("Buurtcompost Josaphat" in t for t in titles)
    assert any(place.public_id in e.find("a:link", ns).get("href") for e in atom.findall("a:entry", ns))
