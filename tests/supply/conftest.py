"""Fixtures of supply tests: a farm kept by a producers' organisation, a school as a buyer, mails sent at once."""

import pytest

FARM = (4.7, 50.6)  # near Gembloux
SCHOOL = (4.87, 50.46)  # Namur


@pytest.fixture(autouse=True)
def immediate_jobs(settings):
    """Send queued e-mails at once, into the test outbox."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def person(django_user_model, name, organisation, role="editor", language="fr"):
    from foodcommons.accounts.models import Profile
    from foodcommons.collaboration.models import Membership

    user = django_user_model.objects.create_user(name, f"{name}@example.org", "a long password 123")
    Profile.objects.update_or_create(user=user, defaults={"language": language})
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def farm(db):
    from foodcommons.collaboration.models import Organisation, PlaceMaintainer
    from foodcommons.places.services import create_place

    place = create_place(data={"name": {"fr": "Ferme du Chemin"}, "categories": ["farm-shop"], "licence": "CC0-1.0",
                               "geometry": {"type": "Point", "coordinates": list(FARM)}}).place
    organisation = Organisation.objects.create(slug="ferme-du-chemin", name="Ferme du Chemin")
    PlaceMaintainer.objects.create(place=place, organisation=organisation)
    return place, organisation


@pytest.fixture
def grower(farm, django_user_model):
    return person(django_user_model, "gaston", farm[1], language="nl")


@pytest.fixture
def school(db, django_user_model):
    from foodcommons.collaboration.models import Organisation
    from foodcommons.supply.services import register_buyer

    organisation = Organisation.objects.create(slug="ecole-communale", name="École communale de Namur")
    cook = person(django_user_model, "camille", organisation)
    register_buyer(organisation=organisation, kind="school", author=cook)
    return organisation, cook


def make_offer(farm, grower, **changes):
    from foodcommons.supply.services import create_offer

    place, organisation = farm
    data = {"organisation": organisation, "place": place, "product": "carrot", "volume": 50, "volume_unit": "kg",
            "volume_period": "week", "delivery_radius_km": 40, "price": 1.85, **changes}
    return create_offer(data=data, author=grower)


def make_demand(school, **changes):
    from foodcommons.supply.services import publish_demand

    organisation, cook = school
    data = {"organisation": organisation, "title": "Légumes de la cantine", "lon": SCHOOL[0], "lat": SCHOOL[1], "budget": 3000,
            "lines": [{"product": "carrot", "quantity": 25, "unit": "kg", "frequency": "weekly", "months": [1, 2, 3]}], **changes}
    return publish_demand(data=data, author=cook, alert=False)
