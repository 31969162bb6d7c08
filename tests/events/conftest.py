"""Fixtures of events tests: an organisation with an editor, an event, e-mails sent at once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture(autouse=True)
def immediate_jobs(settings):
    """Send queued e-mails at once, into the test outbox."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def next_year(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """Return a Brussels time next year (always in the future)."""
    return datetime(datetime.now().year + 1, month, day, hour, minute, tzinfo=BRUSSELS)


@pytest.fixture
def organisation(db):
    from foodcommons.collaboration.models import Organisation

    return Organisation.objects.create(slug="reseau-gasap", name="Réseau des GASAP")


@pytest.fixture
def editor(organisation, django_user_model):
    from foodcommons.collaboration.models import Membership

    user = django_user_model.objects.create_user("eddie", "eddie@example.org", "a long password 123")
    Membership.objects.create(user=user, organisation=organisation, role="editor")
    return user


def make_event(organisation, editor, **overrides):
    from foodcommons.events.services import create_event

    data = {
        "title_fr": "Rencontre territoriale", "title_nl": "Territoriale ontmoeting", "organisation": organisation,
        "starts_at": next_year(6, 1, 9, 30), "ends_at": next_year(6, 1, 13, 0), "address": "Rue de Namur 1, 5000 Namur",
        "capacity": 20, "questions": ["Quel est votre réseau ?"],
        "sessions": [{"starts_at": next_year(6, 1, 9, 30), "ends_at": next_year(6, 1, 10, 0), "title_fr": "Accueil"},
                     {"starts_at": next_year(6, 1, 10, 0), "ends_at": next_year(6, 1, 12, 30), "title_fr": "Ateliers"}],
        **overrides,
    }
    return create_event(data=data, author=editor)


@pytest.fixture
def event(organisation, editor):
    return make_event(organisation, editor)


def starts(days: int) -> datetime:
    return datetime.now(BRUSSELS) + timedelta(days=days)
