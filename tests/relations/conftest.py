"""Fixtures of relations tests: a GASAP in Saint-Gilles maintained by an organisation with an editor and a moderator."""

import pytest

SAINT_GILLES = [4.3452, 50.8270]


@pytest.fixture(autouse=True)
def immediate_jobs(settings):
    """Send queued e-mails at once, into the test outbox."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def organisation(db):
    from foodcommons.collaboration.models import Organisation

    return Organisation.objects.create(slug="gasap-saint-gilles", name="GASAP de Saint-Gilles")


def member(organisation, django_user_model, username: str, role: str):
    from foodcommons.collaboration.models import Membership

    user = django_user_model.objects.create_user(username, f"{username}@example.org", "a long password 123")
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def editor(organisation, django_user_model):
    return member(organisation, django_user_model, "eddie", "editor")


@pytest.fixture
def moderator(organisation, django_user_model):
    return member(organisation, django_user_model, "mona", "moderator")


@pytest.fixture
def outsider(db, django_user_model):
    return django_user_model.objects.create_user("olga", "olga@example.org", "a long password 123")


def make_place(name: str, categories=("csa",), coordinates=SAINT_GILLES, organisation=None, **extra):
    from foodcommons.collaboration.models import PlaceMaintainer
    from foodcommons.places.services import create_place

    data = {"name": {"fr": name}, "categories": list(categories), "geometry": {"type": "Point", "coordinates": list(coordinates)}, **extra}
    place = create_place(data=data).place
    if organisation is not None:
        PlaceMaintainer.objects.create(place=place, organisation=organisation)
    return place


@pytest.fixture
def gasap(organisation):
    return make_place("GASAP du Parvis", organisation=organisation)


def fact(value, **extra):
    """A fact as the API takes it (who and when are the service's)."""
    return {"value": value, **extra}
