"""The web forms: suggestions, the duplicate check, conflicts with merge, moderation pages, and matrix cells through forms."""

import re

import pytest
from django.core import mail

from foodcommons.collaboration.permissions import Action, Role, allowed
from tests.collaboration.conftest import ROLES

FORM = {
    "name_fr": "Potager des Lilas",
    "categories": ["community-garden"],
    "lon": "4.3779",
    "lat": "50.8624",
    "status": "active",
    "opening_hours": "Sa 10:00-12:00",
}


def _login(world, role):
    if role != "anonymous":
        world.client.force_login(world.users[role])


def test_an_anonymous_form_suggestion_needs_an_email_and_goes_to_the_queue_once_confirmed(world):
    assert "email" in world.client.post("/places/new", FORM).context["form"].errors
    response = world.client.post("/places/new", {**FORM, "email": "ana@example.org"})
    assert response.status_code == 202
    link = re.search(r"http://\S+", mail.outbox[-1].body).group(0).replace("http://127.0.0.1:8000", "")
    world.client.post(link)
    world.client.force_login(world.users["platform_moderator"])
    queue = world.client.get("/moderation/")
    assert "Potager des Lilas" in queue.content.decode()


def test_adding_a_place_near_a_similar_one_shows_it_first(world):
    world.client.force_login(world.users["editor"])
    similar = {**FORM, "name_fr": "Compost Josaphat", "categories": ["neighbourhood-compost"], "lon": "4.37798", "lat": "50.86242"}
    first = world.client.post("/places/new", similar)
    assert first.status_code == 200 and [p.public_id for p in first.context["similar"]] == [world.place.public_id]
    second = world.client.post("/places/new", {**similar, "not_a_duplicate": "1"})
    assert second.status_code == 302


def test_the_second_editor_sees_both_versions_and_merges(world):
    world.client.force_login(world.users["editor"])
    page = world.client.get(f"/places/{world.place.public_id}/edit")
    initial = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    world.client.post(f"/places/{world.place.public_id}/edit", {**initial, "opening_hours": "Mo 09:00-10:00"})
    conflict = world.client.post(f"/places/{world.place.public_id}/edit", {**initial, "name_fr": "Compost Josaphat (rue Kessels)"})
    assert conflict.status_code == 409
    rows = {label: (mine, theirs) for label, mine, theirs in conflict.context["rows"]}
    assert any(mine == "Sa 10:00-12:00" and theirs == "Mo 09:00-10:00" for mine, theirs in rows.values())
    assert world.refresh().name_fr == "Compost de quartier Josaphat"
    merged = {**initial, "name_fr": "Compost Josaphat (rue Kessels)", "opening_hours": "Mo 09:00-10:00", "version": conflict.context["current_version"]}
    assert world.client.post(f"/places/{world.place.public_id}/edit", merged).status_code == 302
    place = world.refresh()
    assert (place.name_fr, place.opening_hours, place.version) == ("Compost Josaphat (rue Kessels)", "Mo 09:00-10:00", 3)
    assert [c["kind"] for c in place.contacts if c.get("private")] == ["phone"]


def test_moderators_decide_from_the_suggestion_page(world):
    world.client.force_login(world.users["user"])
    world.client.post(f"/places/{world.place.public_id}/edit", {**FORM, "name_fr": "Compost Josaphat", "categories": ["neighbourhood-compost"], "version": 1})
    item = world.place.suggestions.get()
    world.client.force_login(world.users["moderator"])
    page = world.client.get(f"/moderation/suggestions/{item.public_id}")
    assert "Compost Josaphat" in page.content.decode()
    world.client.post(f"/moderation/suggestions/{item.public_id}", {"decision": "accept", "comment": "ok"})
    assert world.refresh().name_fr == "Compost Josaphat"


def test_reports_through_the_form_reach_the_queue(world):
    world.client.post(f"/places/{world.place.public_id}/report", {"reason": "closed", "comment": "Closed <b onclick=x>now</b>"})
    world.client.force_login(world.users["moderator"])
    page = world.client.get("/moderation/").content.decode()
    assert "onclick" not in page and "now" in page


def _form_attempt(world, role, action):
    from foodcommons.collaboration.services import suggest_only
    from foodcommons.places.services import update_place

    _login(world, role)
    pid = world.place.public_id
    if action is Action.EDIT_PLACE:
        data = {**FORM, "name_fr": "Compost Josaphat", "categories": ["neighbourhood-compost"], "version": 1, "email": "a@example.org"}
        world.client.post(f"/places/{pid}/edit", data)
        return world.refresh().name_fr == "Compost Josaphat"
    if action is Action.CONFIRM_PLACE:
        world.client.post(f"/places/{pid}/confirm")
        return world.refresh().last_confirmed is not None
    if action is Action.REVERT_PLACE:
        update_place(public_id=pid, patch={"name": {"fr": "Vandalised"}}, base_version=1)
        world.client.post(f"/places/{pid}/revert", {"to_version": 1, "version": 2, "confirmed": "1"})
        return world.refresh().name_fr == "Compost de quartier Josaphat"
    if action is Action.MODERATE:
        item = suggest_only(kind="update", public_id=pid, data={"opening_hours": "Su 10:00-12:00"}, base_version=1, author=world.users["user"])
        world.client.post(f"/moderation/suggestions/{item.public_id}", {"decision": "accept"})
        return world.refresh().opening_hours == "Su 10:00-12:00"
    if action is Action.MANAGE_MEMBERS:
        from django.contrib.auth import get_user_model

        get_user_model().objects.create_user("newcomer")
        world.client.post("/organisations/compost-network", {"username": "newcomer", "role": "member"})
        return world.organisation.memberships.filter(user__username="newcomer").exists()
    raise AssertionError(action)


FORM_ACTIONS = [Action.EDIT_PLACE, Action.CONFIRM_PLACE, Action.REVERT_PLACE, Action.MODERATE, Action.MANAGE_MEMBERS]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", FORM_ACTIONS, ids=lambda a: a.value)
def test_matrix_cells_through_the_forms(world, role, action):
    assert _form_attempt(world, role, action) == allowed(Role(role), action)
