"""The reminder before an event: an e-mail to each participant holding a seat, about two days before, once, with the cancellation link."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.events.conftest import make_event


def soon(organisation, editor, *, hours: float, **overrides):
    start = timezone.now() + timedelta(hours=hours)
    return make_event(organisation, editor, starts_at=start, ends_at=start + timedelta(hours=3), sessions=[], **overrides)


def seat(event, email: str, language: str = "fr"):
    from foodcommons.events.services import confirm_registration, confirm_token, register

    registration = register(public_id=event.public_id, email=email, language=language)
    return confirm_registration(token=confirm_token(registration))


def remind(now=None):
    from foodcommons.events.services import send_reminders

    mail.outbox.clear()
    return send_reminders(now=now)


@pytest.mark.django_db
def test_participants_with_a_seat_are_reminded_once_in_their_language_with_the_cancellation_link(client, organisation, editor):
    event = soon(organisation, editor, hours=30)
    seat(event, "noor@example.org", language="nl")
    assert remind() == 1
    [message] = mail.outbox
    assert message.to == ["noor@example.org"] and message.subject == "Herinnering: Territoriale ontmoeting"
    assert "/events/cancel/" in message.body and message.attachments[0][0].endswith(".ics")
    cancel = "/" + next(u for u in message.body.split() if "/events/cancel/" in u).split("://", 1)[1].split("/", 1)[1]
    assert client.get(cancel).status_code == 200  # the link works
    assert remind() == 0 and remind(timezone.now() + timedelta(hours=5)) == 0  # once


@pytest.mark.django_db
def test_events_further_away_past_or_cancelled_get_no_reminder_yet(organisation, editor):
    from foodcommons.events.services import update_event

    seat(soon(organisation, editor, hours=24 * 5), "later@example.org")
    cancelled = soon(organisation, editor, hours=20)
    seat(cancelled, "cancelled@example.org")
    update_event(public_id=cancelled.public_id, data={"status": "cancelled"}, author=editor)
    assert remind() == 0
    assert remind(timezone.now() + timedelta(days=3, hours=2)) == 1  # the first one, now two days away
    assert mail.outbox[0].to == ["later@example.org"]


@pytest.mark.django_db
def test_only_seats_are_reminded_not_the_waiting_list_nor_the_unconfirmed(organisation, editor):
    from foodcommons.events.services import register

    event = soon(organisation, editor, hours=30, capacity=1)
    seat(event, "first@example.org")
    seat(event, "waiting@example.org")
    register(public_id=event.public_id, email="unconfirmed@example.org")
    assert remind() == 1 and mail.outbox[0].to == ["first@example.org"]


@pytest.mark.django_db
def test_the_reminders_job_is_registered_hourly():
    from foodcommons.core.schedule import PERIODIC_JOBS

    assert PERIODIC_JOBS["foodcommons.events.periodic.send_event_reminders"] == timedelta(hours=1)
