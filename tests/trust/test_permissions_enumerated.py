"""Every operation of the OpenAPI document, called as every kind of caller, answers as api/access.py and the matrix say."""

import json
import re

import pytest
from django.db import transaction
from django.utils import timezone

from foodcommons.api.access import OPERATIONS, Access, operations
from foodcommons.api.api import api as ninja_api
from foodcommons.collaboration.permissions import Action, Gate, Role, Scope, allowed, may_suggest_instead
from tests.conftest import compost

pytestmark = pytest.mark.django_db

PLACE_ACTIONS = {Action.EDIT_PLACE, Action.DELETE_PLACE, Action.RESTORE_PLACE, Action.REVERT_PLACE, Action.CONFIRM_PLACE,
                 Action.MODERATE, Action.MANAGE_MEMBERS, Action.REVIEW_DUPLICATES, Action.IMPORT_DATA,
                 Action.MANAGE_EVENTS, Action.MANAGE_SUPPLY, Action.MANAGE_KNOWLEDGE}
CSV = b"id;name;type;lat;lon\n1;GASAP Josaphat;gasap;50.8624;4.3780\n"


class Caller:
    """One kind of caller: a token (or none), and the role it holds towards the compost network's place."""

    def __init__(self, name, *, token=None, role=Role.ANONYMOUS, writes=True, staff=False, moderates=False, token_id=None):
        self.name, self.token, self.role, self.writes, self.staff, self.moderates, self.token_id = name, token, role, writes, staff, moderates, token_id

    def expected_refusal(self, access: Access) -> int | None:
        """What the access table and the matrix promise this caller: 401, 403, or None (anything else)."""
        signed_in = self.token is not None
        if access.gate != Gate.ANYONE and not signed_in:
            return 401
        if signed_in and access.scope == Scope.WRITE and not self.writes:
            return 403
        if (access.gate == Gate.STAFF and not self.staff) or (access.gate == Gate.MODERATOR and not (self.staff or self.moderates)):
            return 403
        if access.action in PLACE_ACTIONS and not (allowed(self.role, access.action) or may_suggest_instead(self.role, access.action)):
            return 403
        return None


@pytest.fixture
def world(db, django_user_model):
    from foodcommons.accounts.models import ApiToken
    from foodcommons.accounts.tokens import create_token
    from foodcommons.collaboration import services as collaboration
    from foodcommons.collaboration.models import Membership, Organisation, PlaceMaintainer
    from foodcommons.imports.models import Correction, MatchCandidate, Source
    from foodcommons.imports.services import runs as imports
    from foodcommons.places.services import create_place

    place = create_place(data=compost()).place
    twin = create_place(data=compost(name={"fr": "Compost Josaphat bis"})).place
    network = Organisation.objects.create(slug="compost-network", name="Compost network")
    other = Organisation.objects.create(slug="other-network", name="Other network")
    PlaceMaintainer.objects.create(place=place, organisation=network)
    callers = [Caller("anonymous")]

    def person(name, role, *, organisation=network, staff=False, writes=True, moderates=False):
        user = django_user_model.objects.create_user(name, email=f"{name}@example.org", is_staff=staff)
        if organisation is not None:
            Membership.objects.create(organisation=organisation, user=user, role=role if organisation is network else "editor")
        token = create_token(user=user, can_write=writes)
        record = ApiToken.objects.filter(user=user).latest("pk")
        callers.append(Caller(name, token=token, role=Role(role), writes=writes, staff=staff, moderates=moderates, token_id=record.pk))
        return user

    plain = person("user", "user", organisation=None)
    for role in ("member", "editor"):
        person(role, role)
    person("moderator", "moderator", moderates=True)
    person("admin", "admin", moderates=True)
    person("staff", "platform_moderator", organisation=None, staff=True)
    person("staff_read_only", "platform_moderator", organisation=None, staff=True, writes=False)
    person("moderator_read_only", "moderator", writes=False, moderates=True)
    person("other_editor", "user", organisation=other)

    suggestion = collaboration.suggest_only(kind="update", public_id=place.public_id, data={"name": {"fr": "Compost J."}}, base_version=1, author=plain)
    report = collaboration.report_place(public_id=place.public_id, reason="wrong", author=plain)
    # Kept by the network, so that its editors decide the pairs its imports send to review.
    source = Source.objects.create(slug="gasap-network", name="GASAP", licence="CC0-1.0", organisation=network)
    run = imports.import_file(data=CSV, source=source, file_format="csv")
    candidate = MatchCandidate.objects.create(place_a=place, place_b=twin, score=0.8, reasons=["same name"], created_at=timezone.now(), run=run)
    # A list the network keeps (its slug is the network's, as the paths share {slug}), with a correction in its outbox.
    kept = Source.objects.create(slug=network.slug, name="Compost list", licence="CC0-1.0", organisation=network)
    correction = Correction.objects.create(source=kept, place=place, field="opening_hours", source_value="Mo 10:00-12:00",
                                           new_value="Sa 10:00-12:00", created_at=timezone.now(), updated_at=timezone.now())
    from datetime import UTC, datetime, timedelta

    from foodcommons.events.services import create_event

    start = datetime.now(UTC) + timedelta(days=30)
    event = create_event(data={"title_fr": "Rencontre", "organisation": network, "starts_at": start, "ends_at": start + timedelta(hours=2)},
                         author=None, check_role=False)
    from foodcommons.supply.services import publish_demand, register_buyer

    register_buyer(organisation=network, kind="administration", author=None, check_role=False)
    demand = publish_demand(data={"organisation": network, "title": "Cantine", "lon": 4.37, "lat": 50.86, "lines": [
        {"product": "carrot", "quantity": 10, "unit": "kg", "frequency": "weekly", "months": [1, 2]}]}, author=None, check_role=False, alert=False)
    from foodcommons.knowledge.models import Document, Exchange, Project

    project = Project.objects.create(public_id="kn-project", title_fr="Diagnostic")
    project.organisations.add(network)  # its editors write it through the API
    document = Document.objects.create(public_id="kn-document", title_fr="Diagnostic", link_url="https://example.org/diagnostic")
    exchange = Exchange.objects.create(public_id="kn-exchange", title="Un diagnostic ?", body="Qui en a fait un ?", organisation=network)
    ids = {"event_id": event.public_id, "demand_id": demand.public_id,
           "project_id": project.public_id, "document_id": document.public_id, "exchange_id": exchange.public_id,
           "place_id": place.public_id, "public_id": place.public_id, "suggestion_id": suggestion.public_id, "report_id": report.public_id,
           "run_id": str(run.pk), "candidate_id": str(candidate.pk), "correction_id": str(correction.pk), "slug": network.slug, "code": "21015",
           "criterion": "governance"}
    return callers, ids


def bodies(ids: dict) -> dict:
    """A valid body (and query) per operation, so that an allowed call reaches the handler's real logic."""
    return {
        "suggest": {"kind": "update", "place": ids["place_id"], "version": 1, "data": {"name": {"fr": "Autre nom"}}, "email": "a@example.org"},
        "report": {"reason": "closed", "email": "a@example.org"},
        "create_place": compost(name={"fr": "Nouveau compost"}),
        "update_place": {"version": 1, "name": {"fr": "Compost modifié"}},
        "restore_place": {}, "revert_place": {"to_version": 1, "version": 1},
        "accept": {}, "reject": {}, "resolve": {"dismiss": True},
        "create_organisation": {"slug": "new-network", "name": "New network"},
        "set_member": {"username": "user", "role": "member"}, "set_maintainer": {"place": ids["place_id"], "maintains": True},
        "create_token": {"name": "another"}, "merge_candidate": {"keep": "a"}, "decide_correction": {"status": "applied"},
        "create_event": {"title": {"fr": "Atelier"}, "starts_at": "2099-04-05T09:30:00+02:00", "ends_at": "2099-04-05T16:00:00+02:00",
                         "organisation": "compost-network"},
        "update_event": {"capacity": 30}, "register_event": {"email": "a@example.org"},
        "create_offer": {"organisation": "compost-network", "place": ids["place_id"], "product": "carrot", "volume": 10, "unit": "kg",
                         "delivery_radius_km": 20},
        "declare_relations": {"version": 1, "facts": {"governance": {"value": "members"}}, "email": "a@example.org"},
        "check_relation": {"version": 1},
        "create_project": {"title": {"fr": "Cantines locales"}, "organisations": ["compost-network"], "territories": ["21015"]},
        "update_project": {"summary": {"fr": "Des repas locaux."}},
        "create_document": {"title": {"fr": "Guide"}, "organisation": "compost-network", "link_url": "https://example.org/guide"},
    }


def documented_operations():
    """Return (method, path template, handler name) of every operation the OpenAPI document lists."""
    document = ninja_api.get_openapi_schema()
    by_id = {ninja_api.get_openapi_operation_id(op): op.view_func.__name__ for op in operations(ninja_api)}
    found = []
    for path, item in document["paths"].items():
        for method, spec in item.items():
            found.append((method.upper(), path, by_id[spec["operationId"]]))
    return found


def call(client, caller: Caller, method: str, path: str, name: str, ids: dict):
    url = re.sub(r"\{(\w+)\}", lambda m: str(caller.token_id) if m[1] == "token_id" else ids[m[1]], path)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {caller.token}"} if caller.token else {}
    if name == "import_body":
        return client.post(url + "?source=gasap-network&dry_run=true", CSV, content_type="text/csv", **headers)
    if method == "GET":
        return client.get(url, **headers)
    if method == "DELETE":
        return client.delete(url + "?version=1", **headers)
    body = json.dumps(bodies(ids).get(name, {}))
    return getattr(client, method.lower())(url, body, content_type="application/json", **headers)


def test_every_operation_has_an_access_entry():
    names = {name for _, _, name in documented_operations()}
    assert names - set(OPERATIONS) == set()
    assert set(OPERATIONS) - names == set(), "entries for operations that no longer exist"


def test_every_operation_answers_every_caller_as_the_access_table_and_the_matrix_say(client, world):
    callers, ids = world
    wrong = {}
    for method, path, name in documented_operations():
        access = OPERATIONS[name]
        for caller in callers:
            with transaction.atomic():
                status = call(client, caller, method, path, name, ids).status_code
                transaction.set_rollback(True)
            expected = caller.expected_refusal(access)
            refused = status if status in (401, 403) else None
            if refused != expected or status >= 500:
                wrong[f"{method} {path} as {caller.name}"] = f"{status}, expected {expected or 'not 401/403 (nor 5xx)'}"
    assert wrong == {}


def test_a_read_only_token_of_staff_writes_nothing(client, world):
    callers, ids = world
    reader = next(c for c in callers if c.name == "staff_read_only")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {reader.token}"}
    assert client.post("/api/imports?source=gasap-network", CSV, content_type="text/csv", **headers).status_code == 403
    assert client.post("/api/dumps", **headers).status_code == 403
    assert client.post(f"/api/imports/candidates/{ids['candidate_id']}/keep-apart", **headers).status_code == 403
    assert client.get("/api/imports/runs", **headers).status_code == 200


def test_the_moderation_queue_is_refused_to_someone_who_moderates_nothing(client, world):
    callers, _ = world
    by_name = {c.name: c for c in callers}
    assert client.get("/api/moderation/queue", HTTP_AUTHORIZATION=f"Bearer {by_name['editor'].token}").status_code == 403
    queue = client.get("/api/moderation/queue", HTTP_AUTHORIZATION=f"Bearer {by_name['moderator'].token}")
    assert queue.status_code == 200 and len(queue.json()["suggestions"]) == 1


def ogc_operations(client) -> list[tuple[str, str]]:
    """Return (method, path under /ogc) of every operation the OGC API definition lists, and the definition itself."""
    document = client.get("/ogc/api").json()
    return [("GET", "/api")] + [(method.upper(), path) for path, item in document["paths"].items() for method in item]


def test_ogc_answers_every_documented_read_to_anyone_and_refuses_every_other_method(client, world):
    from foodcommons.opendata.ogc.documents import ALL_PLACES

    callers, ids = world
    staff = next(c for c in callers if c.name == "staff")
    listed = ogc_operations(client)
    assert {method for method, _ in listed} == {"GET"}, "the OGC API is read-only"
    wrong = {}
    for _, path in listed:
        url = "/ogc" + path.replace("{collectionId}", ALL_PLACES).replace("{featureId}", ids["place_id"])
        for caller in (callers[0], staff):
            headers = {"HTTP_AUTHORIZATION": f"Bearer {caller.token}"} if caller.token else {}
            for method in ("get", "head"):
                if (status := getattr(client, method)(url, **headers).status_code) != 200:
                    wrong[f"{method.upper()} {url} as {caller.name}"] = status
            for method in ("post", "put", "patch", "delete"):
                if (status := getattr(client, method)(url, "{}", content_type="application/json", **headers).status_code) != 405:
                    wrong[f"{method.upper()} {url} as {caller.name}"] = status
    assert wrong == {}


def test_a_browser_session_is_not_an_api_identity(client, world):
    """Another site can make a signed-in browser send its cookie, never its token: without a token the API sees no one."""
    from foodcommons.collaboration.models import Report, Suggestion

    _, ids = world
    client.force_login(django_user("admin"))
    change = {"kind": "update", "place": ids["place_id"], "version": 1, "data": {"name": {"fr": "Autre nom"}}}
    assert client.post("/api/suggestions", json.dumps(change), content_type="text/plain").status_code == 400  # anonymous: an e-mail is needed
    assert client.post(f"/api/places/{ids['place_id']}/reports", json.dumps({"reason": "closed"}), content_type="text/plain").status_code == 201
    assert not Suggestion.objects.filter(author__username="admin").exists() and not Report.objects.filter(author__username="admin").exists()
    assert client.get("/api/moderation/queue").status_code == 401


def django_user(name):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def test_the_documented_access_table_is_the_one_the_gate_applies():
    from pathlib import Path

    from foodcommons.api.access import access_markdown

    assert access_markdown(ninja_api) in (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()


def test_a_refusal_comes_before_the_body_is_read(client, world):
    callers, ids = world
    by_name = {c.name: c for c in callers}
    merge = f"/api/imports/candidates/{ids['candidate_id']}/merge"
    accept = f"/api/suggestions/{ids['suggestion_id']}/accept"

    def post(path, caller, body="{not json"):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {caller.token}"} if caller.token else {}
        return client.post(path, body, content_type="application/json", **headers).status_code

    assert post(merge, by_name["anonymous"]) == 401
    assert post(merge, by_name["staff_read_only"]) == 403
    assert post(merge, by_name["editor"]) == 400, "the network's editor passes the gate (the matrix decides the pair): the body is read"
    assert post(accept, by_name["editor"]) == 403
    assert post(accept, by_name["moderator_read_only"]) == 403
    assert post(merge, by_name["staff"]) == 400


def _api_with(*names):
    from ninja import NinjaAPI, Router

    from foodcommons.api.access import install

    router = Router()
    for index, name in enumerate(names):
        def view(request):
            return {}

        view.__name__ = name
        router.get(f"/{index}")(view)
    api = NinjaAPI(urls_namespace=f"gate-test-{'-'.join(names)}")
    api.add_router("/", router)
    return lambda: install(api)


def test_an_operation_without_an_entry_stops_the_start_up():
    with pytest.raises(LookupError, match="'wipe_everything' has no entry"):
        _api_with("list_places", "wipe_everything")()


def test_two_operations_sharing_an_entry_stop_the_start_up():
    with pytest.raises(LookupError, match="Two API operations are named 'list_places'"):
        _api_with("list_places", "list_places")()


def test_operations_of_nested_routers_get_the_gate_through_the_auth_they_inherit():
    from ninja import NinjaAPI, Router

    from foodcommons.accounts.auth import TokenAuth
    from foodcommons.api.access import install

    outer, inner = Router(), Router(auth=TokenAuth())

    def moderation_queue(request):
        return {}

    def list_places(request):
        return {}

    inner.get("/queue")(moderation_queue)
    inner.get("/places", auth=None)(list_places)
    outer.add_router("/inner", inner)
    api = NinjaAPI(urls_namespace="gate-test-nested")
    api.add_router("/outer", outer)
    install(api)
    queue, places = (path_view.operations[0] for path_view in inner.path_operations.values())
    assert [callback.access for callback in queue.auth_callbacks] == [OPERATIONS["moderation_queue"]]
    assert places.auth_callbacks == [] and places.view_func.access == OPERATIONS["list_places"]
