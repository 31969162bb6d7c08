"""Shared fixtures: a database with the Belgian territories and the taxonomy, users and tokens."""

import pytest


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """Compile the catalogs once per session, as `foodcommons setup` does on an instance (no process start compiles them)."""
    from foodcommons.web.messages import compile_messages

    compile_messages()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load territories and taxonomy once; each test then runs in a transaction rolled back after it."""
    from foodcommons.taxonomy.services import seed_taxonomy
    from foodcommons.territories.services import load_territories

    with django_db_blocker.unblock():
        load_territories()
        seed_taxonomy()


@pytest.fixture
def staff(db, django_user_model):
    return django_user_model.objects.create_user("editor", is_staff=True)


@pytest.fixture
def staff_token(staff):
    from foodcommons.accounts.tokens import create_token

    return create_token(user=staff)


@pytest.fixture
def api(client, staff_token):
    """A test client that sends the staff token and JSON bodies."""
    return ApiClient(client, staff_token)


class ApiClient:
    """Thin wrapper over Django's test client for JSON calls with a bearer token."""

    def __init__(self, client, token: str | None):
        self.client, self.token = client, token

    def _headers(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if self.token else {}

    def get(self, path, params=None):
        return self.client.get(path, params or {}, **self._headers())

    def post(self, path, body=None, raw: str | None = None):
        import json

        data = raw if raw is not None else json.dumps(body or {})
        return self.client.post(path, data, content_type="application/json", **self._headers())

    def patch(self, path, body):
        import json

        return self.client.patch(path, json.dumps(body), content_type="application/json", **self._headers())

    def delete(self, path):
        return self.client.delete(path, **self._headers())


SCHAERBEEK_POINT = [4.3779782, 50.8624152]


def compost(**overrides) -> dict:
    """Return a valid place input: a neighbourhood compost in Schaerbeek."""
    data = {
        "name": {"fr": "Compost de quartier Josaphat", "nl": "Buurtcompost Josaphat"},
        "categories": ["neighbourhood-compost"],
        "geometry": {"type": "Point", "coordinates": list(SCHAERBEEK_POINT)},
        "address": {"street": "Rue Kessels", "house_number": "12", "postcode": "1030", "locality": "Schaerbeek"},
        "contacts": [{"kind": "email", "value": "compost@example.org"}, {"kind": "phone", "value": "02 244 75 11", "private": True}],
        "opening_hours": "Sa 10:00-12:00",
        "attributes": {"public_deposits": True},
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_place(db):
    """Create a place through the service, with overrides of the compost input."""
    from foodcommons.places.services import create_place

    def make(**overrides):
        return create_place(data=compost(**overrides)).place

    return make
