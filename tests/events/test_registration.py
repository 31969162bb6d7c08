"""Registrations: confirmed by e-mail link, capacity never exceeded, waiting list promoted on cancellation, approval."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection

from foodcommons.core.problems import InvalidInput
from foodcommons.events import services
from foodcommons.events.domain.registration import Seats, clean_answers, placement, promotions
from foodcommons.events.models import Registration
from tests.events import concurrency
from tests.events.conftest import make_event

ROOT = Path(__file__).resolve().parents[2]

S = Registration.Status


def test_the_pure_rules_of_seats():
    assert placement(Seats(2, 1), requires_approval=False) == "confirmed"
    assert placement(Seats(2, 2), requires_approval=False) == "waitlisted"
    assert placement(Seats(2, 0), requires_approval=True) == "pending"
    assert placement(Seats(2, 0), requires_approval=True, approved=True) == "confirmed"
    assert placement(Seats(None, 1000), requires_approval=False) == "confirmed"
    assert promotions(Seats(3, 1), 5) == 2 and promotions(Seats(None, 0), 4) == 4 and promotions(Seats(2, 3), 1) == 0
    assert clean_answers(["a", "b"], [" x "]) == [{"question": "a", "answer": "x"}, {"question": "b", "answer": ""}]


def _link(message, kind):
    return re.search(rf"http\S+/events/{kind}/\S+", message.body)[0]


@pytest.mark.django_db
def test_an_anonymous_registration_is_confirmed_by_its_link_in_the_registrants_language(client, event):
    registration = services.register(public_id=event.public_id, email="Ann@Example.org", name="Ann", answers=["GASAP Josaphat"], language="nl")
    assert registration.status == S.UNCONFIRMED and registration.email == "ann@example.org"
    assert registration.answers == [{"question": "Quel est votre réseau ?", "answer": "GASAP Josaphat"}]
    message = mail.outbox[-1]
    assert message.extra_headers["Content-Language"] == "nl" and "Bevestig" in message.subject
    assert "/events/cancel/" in message.body
    page = client.get(_link(message, "confirm").split("8000", 1)[-1].replace("http://testserver", ""))
    assert page.status_code == 200
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED
    seat = mail.outbox[-1]
    assert "/events/cancel/" in seat.body and seat.attachments[0][0] == f"{event.public_id}.ics"
    assert b"TZID=Europe/Brussels" in seat.attachments[0][1].encode() if isinstance(seat.attachments[0][1], str) else seat.attachments[0][1]


@pytest.mark.django_db
def test_a_bad_link_is_refused_and_registering_twice_gives_the_same_registration(event):
    with pytest.raises(InvalidInput):
        services.confirm_registration(token="nonsense")
    first = services.register(public_id=event.public_id, email="b@example.org")
    assert services.register(public_id=event.public_id, email="b@example.org").pk == first.pk


@pytest.mark.django_db
def test_a_signed_in_person_gets_a_seat_at_once(event, django_user_model):
    user = django_user_model.objects.create_user("sam", "sam@example.org", "a long password 123")
    assert services.register(public_id=event.public_id, user=user).status == S.CONFIRMED


@pytest.mark.django_db
def test_when_full_people_wait_and_a_cancellation_promotes_the_first_with_an_email(organisation, editor):
    event = make_event(organisation, editor, capacity=2)
    regs = [services.register(public_id=event.public_id, email=f"p{i}@example.org") for i in range(4)]
    for r in regs:
        services.confirm_registration(token=services.confirm_token(r))
    assert [Registration.objects.get(pk=r.pk).status for r in regs] == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED, S.WAITLISTED]
    mail.outbox.clear()
    services.cancel_registration(token=services.cancel_token(regs[0]))
    assert [Registration.objects.get(pk=r.pk).status for r in regs] == [S.CANCELLED, S.CONFIRMED, S.CONFIRMED, S.WAITLISTED]
    assert {m.to[0] for m in mail.outbox} == {"p0@example.org", "p2@example.org"}
    promoted = next(m for m in mail.outbox if m.to[0] == "p2@example.org")
    assert promoted.attachments and "/events/cancel/" in promoted.body


@pytest.mark.django_db
def test_organisers_approve_or_decline_when_approval_is_required(organisation, editor, django_user_model):
    event = make_event(organisation, editor, capacity=1, requires_approval=True)
    a, b = (services.register(public_id=event.public_id, email=e) for e in ("a@example.org", "b@example.org"))
    for r in (a, b):
        assert services.confirm_registration(token=services.confirm_token(r)).status == S.PENDING
    stranger = django_user_model.objects.create_user("x", "x@example.org", "a long password 123")
    with pytest.raises(services.Forbidden):
        services.decide_registration(public_id=a.public_id, approve=True, author=stranger)
    assert services.decide_registration(public_id=a.public_id, approve=True, author=editor).status == S.CONFIRMED
    assert services.decide_registration(public_id=b.public_id, approve=True, author=editor).status == S.WAITLISTED


@pytest.mark.django_db
def test_only_the_organisers_see_and_export_the_participants(client, event, editor, django_user_model):
    r = services.register(public_id=event.public_id, email="c@example.org", name="=cmd()", answers=["Réseau"])
    services.confirm_registration(token=services.confirm_token(r))
    stranger = django_user_model.objects.create_user("y", "y@example.org", "a long password 123")
    client.force_login(stranger)
    assert client.get(f"/events/{event.public_id}/participants.csv").status_code == 403
    client.force_login(editor)
    body = client.get(f"/events/{event.public_id}/participants.csv").content.decode()
    assert "c@example.org" in body and "'=cmd()" in body and "Réseau" in body
    assert "c@example.org" in client.get(f"/events/{event.public_id}/participants").content.decode()


def _check(result):
    assert result["errors"] == []
    assert result["before"] == {"confirmed": 20, "waitlisted": 30}, "exactly the seats, the others wait"
    assert result["promoted"] == "confirmed" and result["after_confirmed"] == 20, "a cancellation gives the seat to the first waiting"


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_confirmations_for_twenty_seats(tmp_path):
    if connection.vendor == "postgresql":
        # The test database is a real one: threads of this process, each with its own connection.
        _check(concurrency.run())
        return
    # SQLite's in-memory test database cannot be shared by writers: a file database in a child process, as served.
    env = {**os.environ, "FOODCOMMONS_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "foodcommons.settings",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "tests.events.concurrency"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.split("RESULT ", 1)[1])
    assert result["vendor"] == "sqlite"
    _check(result)


@pytest.mark.django_db
def test_e_mails_are_plain_text_not_html_escaped(organisation, editor):
    event = make_event(organisation, editor, title_fr="L'atelier « Manger & demain »")
    services.register(public_id=event.public_id, email="q@example.org", language="fr")
    assert mail.outbox[-1].subject == "Confirmez votre inscription : L'atelier « Manger & demain »"
