"""Fixtures of collaboration tests: an organisation maintaining a place, one user per role, tasks run at once."""

import pytest

from tests.conftest import ApiClient, compost

ROLES = ("anonymous", "user", "member", "editor", "moderator", "admin", "platform_moderator")


@pytest.fixture(autouse=True)
def immediate_jobs_and_fresh_limits(request, settings, django_db_blocker):
    """Run queued jobs at once (the database queue has its own test) and start each test with fresh rate limits."""
    from django.core.cache import cache

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # The cache is a database table: only tests that have the database need it cleared.
    uses_database = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    if uses_database:
        with django_db_blocker.unblock():
            cache.clear()
    yield
    if uses_database:
        with django_db_blocker.unblock():
            cache.clear()


class World:
    """A place maintained by the compost network, and people of every role towards it."""

    def __init__(self, client, django_user_model):
        from foodcommons.accounts.tokens import create_token
        from foodcommons.collaboration.models import Membership, Organisation, PlaceMaintainer
        from foodcommons.places.services import create_place

        self.client = client
        self.place = create_place(data=compost()).place
        self.organisation = Organisation.objects.create(slug="compost-network", name="Compost network")
        PlaceMaintainer.objects.create(place=self.place, organisation=self.organisation)
        self.users, self.tokens = {}, {}
        for role in ROLES[1:]:
            user = django_user_model.objects.create_user(role, email=f"{role}@example.org", is_staff=role == "platform_moderator")
            if role in Membership.Role.values:
                Membership.objects.create(organisation=self.organisation, user=user, role=role)
            self.users[role], self.tokens[role] = user, create_token(user=user)

    def api(self, role: str) -> ApiClient:
        """Return an API client acting as `role`."""
        return ApiClient(self.client, self.tokens.get(role))

    def refresh(self):
        self.place.refresh_from_db()
        return self.place


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    """A real server (`foodcommons serve --no-worker`) for one module, writing its e-mails to files; the tests run `db_worker`."""
    from tests.opendata.live import Instance

    server = Instance(tmp_path_factory.mktemp("collaboration"), "collab")
    server.serve_options = ("--no-worker",)
    server.mail = server.dir / "mail"
    server.env.update(FOODCOMMONS_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", FOODCOMMONS_EMAIL_FILE_PATH=str(server.mail))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def world(db, client, django_user_model):
    return World(client, django_user_model)


def body(response) -> dict:
    import json

    return json.loads(response.content)
