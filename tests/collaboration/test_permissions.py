"""The permission matrix: the pure rules, the documented table, and every cell through the real API."""

from pathlib import Path

import pytest

from foodcommons.collaboration.permissions import (
    MATRIX,
    Action,
    Gate,
    Role,
    Scope,
    allowed,
    gate_refusal,
    matrix_markdown,
    may_suggest_instead,
    role_for,
)
from tests.collaboration.conftest import ROLES, body
from tests.conftest import compost

DOC = Path(__file__).resolve().parents[2] / "docs" / "collaboration.md"


def test_the_documented_matrix_is_the_one_the_code_applies():
    assert matrix_markdown() in DOC.read_text()


def test_every_action_has_a_row_and_every_role_a_column():
    assert set(MATRIX) == set(Action) and [r.value for r in Role] == list(ROLES)


def test_the_highest_organisation_role_wins_and_staff_moderate_everything():
    assert role_for(authenticated=True, organisation_roles=["member", "moderator", "editor"]) is Role.MODERATOR
    assert role_for(authenticated=True) is Role.USER
    assert role_for(authenticated=False, organisation_roles=["admin"]) is Role.ANONYMOUS
    assert role_for(authenticated=True, platform_moderator=True) is Role.PLATFORM_MODERATOR


def test_refused_place_writes_become_suggestions_but_moderation_never_does():
    assert may_suggest_instead(Role.USER, Action.EDIT_PLACE)
    assert not may_suggest_instead(Role.EDITOR, Action.EDIT_PLACE)
    assert not may_suggest_instead(Role.USER, Action.REVERT_PLACE)


def _refusal(gate, scope, **caller):
    person = {"signed_in": True, "token_writes": True, "staff": False, "moderates": False, **caller}
    found = gate_refusal(gate=gate, scope=scope, **person)
    return found[0] if found else None


@pytest.mark.parametrize("gate", list(Gate))
def test_a_read_only_token_is_refused_every_write_and_no_read(gate):
    assert _refusal(gate, Scope.WRITE, token_writes=False, staff=True, moderates=True) == 403
    assert _refusal(gate, Scope.READ, token_writes=False, staff=True, moderates=True) is None


def test_only_the_anyone_gate_lets_a_caller_without_a_token_through():
    assert {g: _refusal(g, Scope.WRITE, signed_in=False, token_writes=False) for g in Gate} == {
        Gate.ANYONE: None, Gate.SIGNED_IN: 401, Gate.MODERATOR: 401, Gate.STAFF: 401,
    }


def test_the_moderator_gate_needs_someone_who_moderates_and_the_staff_gate_staff():
    assert _refusal(Gate.MODERATOR, Scope.READ) == 403
    assert _refusal(Gate.MODERATOR, Scope.READ, moderates=True) is None
    assert _refusal(Gate.MODERATOR, Scope.WRITE, staff=True) is None
    assert _refusal(Gate.STAFF, Scope.WRITE, moderates=True) == 403
    assert _refusal(Gate.STAFF, Scope.WRITE, staff=True) is None


def _path(world, tail=""):
    return f"/api/places/{world.place.public_id}{tail}"


def _anonymous_email(role):
    return {"email": "someone@example.org"} if role == "anonymous" else {}


def attempt_view_history(world, role):
    return world.api(role).get(_path(world, "/history")).status_code == 200


def attempt_suggest(world, role):
    change = {"kind": "update", "place": world.place.public_id, "version": 1, "data": {"opening_hours": "Su 10:00-12:00"}, **_anonymous_email(role)}
    response = world.api(role).post("/api/suggestions", change)
    return response.status_code == 202 and world.refresh().version == 1


def attempt_report(world, role):
    return world.api(role).post(_path(world, "/reports"), {"reason": "wrong", "comment": "The hours changed.", **_anonymous_email(role)}).status_code == 201


def attempt_create_place(world, role):
    from foodcommons.places.models import Place

    before = Place.objects.count()
    response = world.api(role).post("/api/places", compost(name={"fr": "Compost du Parc"}))
    assert response.status_code in (201, 202, 401)
    return response.status_code == 201 and Place.objects.count() == before + 1


def attempt_edit_place(world, role):
    response = world.api(role).patch(_path(world), {"version": 1, "opening_hours": "Su 10:00-12:00"})
    assert response.status_code in (200, 202, 401)
    return response.status_code == 200 and world.refresh().opening_hours == "Su 10:00-12:00"


def attempt_delete_place(world, role):
    response = world.api(role).delete(_path(world, "?version=1"))
    assert response.status_code in (200, 202, 401)
    return response.status_code == 200 and world.refresh().is_deleted


def attempt_restore_place(world, role):
    from foodcommons.places.services import delete_place

    delete_place(public_id=world.place.public_id)
    response = world.api(role).post(_path(world, "/restore"), {"comment": "It reopened"})
    assert response.status_code in (200, 401, 403)
    return response.status_code == 200 and not world.refresh().is_deleted


def attempt_revert_place(world, role):
    from foodcommons.places.services import update_place

    update_place(public_id=world.place.public_id, patch={"name": {"fr": "Vandalised"}}, base_version=1)
    response = world.api(role).post(_path(world, "/revert"), {"to_version": 1, "version": 2})
    assert response.status_code in (200, 401, 403)
    return response.status_code == 200 and world.refresh().name_fr == "Compost de quartier Josaphat"


def attempt_confirm_place(world, role):
    response = world.api(role).post(_path(world, "/confirm"))
    assert response.status_code in (200, 401, 403)
    return response.status_code == 200 and world.refresh().last_confirmed is not None


def attempt_moderate(world, role):
    from foodcommons.collaboration.services import suggest_only

    item = suggest_only(kind="update", public_id=world.place.public_id, data={"opening_hours": "Su 10:00-12:00"}, base_version=1, email="x@example.org")
    item.status = "pending"
    item.save()
    response = world.api(role).post(f"/api/suggestions/{item.public_id}/accept", {"comment": "Thanks"})
    assert response.status_code in (200, 401, 403)
    return response.status_code == 200 and world.refresh().opening_hours == "Su 10:00-12:00"


def attempt_manage_members(world, role):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("newcomer")
    response = world.api(role).post("/api/organisations/compost-network/members", {"username": "newcomer", "role": "member"})
    assert response.status_code in (204, 401, 403)
    return response.status_code == 204 and world.organisation.memberships.filter(user__username="newcomer").exists()


def attempt_manage_tokens(world, role):
    response = world.api(role).post("/api/tokens", {"name": "script", "can_write": False})
    assert response.status_code in (201, 401)
    return response.status_code == 201 and body(response)["token"].startswith("fc_")


def attempt_import_data(world, role):
    """Through the web import page (the API's import endpoint is for staff tokens): a dry run into the organisation's source."""
    import io
    import tempfile

    from django.test import override_settings

    from foodcommons.imports.models import ImportRun, Source

    Source.objects.create(slug="compost-list", name="Compost list", licence="CC0-1.0", attribution="x", organisation=world.organisation)
    if role != "anonymous":
        world.client.force_login(world.users[role])
    upload = io.BytesIO(b"id;name;type;lat;lon\n1;Compost Josaphat;compost;50.8624;4.3780\n")
    upload.name = "composts.csv"
    with tempfile.TemporaryDirectory() as folder, override_settings(DATA_DIR=folder, MEDIA_ROOT=folder):
        response = world.client.post("/imports/", {"file": upload, "source": "compost-list", "dry_run": "on"})
    assert response.status_code in (302, 403), response.status_code
    return response.status_code == 302 and response["Location"].startswith("/imports/jobs/") and ImportRun.objects.filter(status="dry_run").exists()


def attempt_review_duplicates(world, role):
    """Keep apart a pair that an import into the organisation's source sent to review."""
    from django.utils import timezone

    from foodcommons.imports.models import ImportRun, MatchCandidate, Source
    from foodcommons.places.services import create_place

    source = Source.objects.create(slug="compost-list", name="Compost list", licence="CC0-1.0", attribution="x", organisation=world.organisation)
    run = ImportRun.objects.create(source=source, started_at=timezone.now(), status=ImportRun.Status.DONE)
    twin = create_place(data=compost(name={"fr": "Compost Josaphat"})).place
    pair = MatchCandidate.objects.create(place_a=world.place, place_b=twin, score=0.8, run=run, created_at=timezone.now())
    response = world.api(role).post(f"/api/imports/candidates/{pair.pk}/keep-apart")
    assert response.status_code in (200, 401, 403), response.status_code
    pair.refresh_from_db()
    return response.status_code == 200 and pair.status == MatchCandidate.Status.KEPT_APART


def attempt_manage_events(world, role):
    """Publish an event of the organisation through the API."""
    from foodcommons.events.models import Event

    body = {"title": {"fr": "Rencontre"}, "starts_at": "2099-06-01T09:30:00+02:00", "ends_at": "2099-06-01T12:00:00+02:00",
            "organisation": world.organisation.slug}
    response = world.api(role).post("/api/events", body)
    assert response.status_code in (201, 401, 403), response.status_code
    return response.status_code == 201 and Event.objects.filter(organisation=world.organisation).exists()


def attempt_manage_supply(world, role):
    """Publish an offer of the organisation's place (the supply service, as its form and API do)."""
    from foodcommons.collaboration.services import Forbidden
    from foodcommons.supply.models import Offer
    from foodcommons.supply.services import create_offer

    user = world.users.get(role)
    data = {"organisation": world.organisation, "place": world.place, "product": "carrot", "volume": 50, "volume_unit": "kg",
            "volume_period": "week", "delivery_radius_km": 20}
    try:
        create_offer(data=data, author=user)
    except Forbidden:
        return False
    return Offer.objects.filter(organisation=world.organisation).exists()
def attempt_check_relation_facts(world, role):
    """Mark a relation fact of a GASAP the organisation maintains as checked, through the API."""
    from foodcommons.collaboration.models import PlaceMaintainer
    from foodcommons.places.services import create_place
    from foodcommons.relations.services import declare_facts

    gasap = create_place(data={"name": {"fr": "GASAP"}, "categories": ["csa"], "geometry": {"type": "Point", "coordinates": [4.35, 50.85]}}).place
    PlaceMaintainer.objects.create(place=gasap, organisation=world.organisation)
    declare_facts(public_id=gasap.public_id, declarations={"governance": {"value": "members"}}, base_version=1, author=world.users["editor"])
    response = world.api(role).post(f"/api/places/{gasap.public_id}/relations/governance/check", {"version": 2})
    assert response.status_code in (200, 401, 403), response.status_code
    gasap.refresh_from_db()
    return response.status_code == 200 and "checked" in gasap.attributes["relation_governance"]
def attempt_check_registrations(world, role):
    """Mark the organisation's VAT / BCE number as checked (the supply service, as its page does)."""
    from foodcommons.collaboration.services import Forbidden
    from foodcommons.supply.services import check_registration, register_number

    register_number(organisation=world.organisation, kind="vat", number="BE 0403.170.701", author=None, check_role=False)
    try:
        return check_registration(organisation=world.organisation, kind="vat", author=world.users.get(role)).checked
    except Forbidden:
        return False


def attempt_manage_knowledge(world, role):
    """Publish a project of the organisation through its page (knowledge items are written through the pages)."""
    from foodcommons.knowledge.models import Project

    if role != "anonymous":
        world.client.force_login(world.users[role])
    response = world.client.post("/knowledge/projects/new", {"organisations": [world.organisation.pk], "title_fr": "Diagnostic", "status": "ongoing"})
    assert response.status_code in (302, 403), response.status_code
    return response.status_code == 302 and response["Location"].startswith("/knowledge/projects/") and Project.objects.exists()


ATTEMPTS = {action: globals()[f"attempt_{action.value}"] for action in Action}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(Action), ids=lambda a: a.value)
def test_each_cell_of_the_matrix_through_the_api(world, role, action):
    assert ATTEMPTS[action](world, role) == allowed(Role(role), action)
