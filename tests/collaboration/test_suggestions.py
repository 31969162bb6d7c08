"""Suggestions: anonymous with e-mail confirmation, moderation with diffs, decisions told by e-mail."""

import re

from django.core import mail

from tests.collaboration.conftest import body
from tests.conftest import ApiClient, compost


def _link(message) -> str:
    return re.search(r"http://\S+", message.body).group(0).replace("http://127.0.0.1:8000", "")


def test_an_anonymous_suggestion_waits_for_its_email_link_then_for_a_moderator(world):
    anonymous = ApiClient(world.client, None)
    response = anonymous.post(
        "/api/suggestions", {"kind": "create", "data": compost(name={"fr": "Potager des Lilas"}), "email": "ana@example.org", "language": "nl"}
    )
    assert response.status_code == 202 and body(response)["status"] == "unconfirmed"
    suggestion_id = body(response)["id"]
    assert body(world.api("platform_moderator").get("/api/moderation/queue"))["suggestions"] == []
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["ana@example.org"] and confirmation.extra_headers["Content-Language"] == "nl"
    world.client.post(_link(confirmation))
    assert body(anonymous.get(f"/api/suggestions/{suggestion_id}"))["status"] == "pending"
    queue = body(world.api("platform_moderator").get("/api/moderation/queue"))["suggestions"]
    assert [s["id"] for s in queue] == [suggestion_id] and queue[0]["author"] == "anonymous"
    assert {"field": "name.fr", "before": None, "after": "Potager des Lilas"} in queue[0]["changes"]


def test_opening_the_confirmation_link_alone_confirms_nothing(world):
    response = ApiClient(world.client, None).post("/api/suggestions", {"kind": "create", "data": compost(), "email": "ana@example.org"})
    world.client.get(_link(mail.outbox[-1]))
    assert body(world.client.get(f"/api/suggestions/{body(response)['id']}"))["status"] == "unconfirmed"


def test_an_anonymous_suggestion_without_an_email_is_refused(world):
    response = ApiClient(world.client, None).post("/api/suggestions", {"kind": "create", "data": compost()})
    assert response.status_code == 400 and body(response)["errors"][0]["field"] == "email"


def test_an_invalid_suggested_place_is_refused_before_it_reaches_moderators(world):
    response = world.api("user").post("/api/places", compost(categories=["no-such-category"]))
    assert response.status_code == 400


def test_accepting_publishes_under_the_contributors_name_and_tells_them_in_their_language(world):
    from foodcommons.accounts.services import set_language

    set_language(user=world.users["user"], language="en")
    response = world.api("user").patch(f"/api/places/{world.place.public_id}", {"version": 1, "opening_hours": "Su 10:00-12:00", "comment": "New hours"})
    assert response.status_code == 202 and world.refresh().opening_hours == "Sa 10:00-12:00"
    suggestion_id = body(response)["id"]
    queue = body(world.api("moderator").get("/api/moderation/queue"))["suggestions"]
    assert queue[0]["changes"] == [{"field": "opening_hours", "before": "Sa 10:00-12:00", "after": "Su 10:00-12:00"}]
    decided = world.api("moderator").post(f"/api/suggestions/{suggestion_id}/accept", {"comment": "Thanks!"})
    assert body(decided)["status"] == "accepted" and world.refresh().opening_hours == "Su 10:00-12:00"
    latest = body(world.client.get(f"/api/places/{world.place.public_id}/history"))[0]
    assert latest["author"] == "user" and "accepted by moderator" in latest["comment"]
    told = mail.outbox[-1]
    assert told.to == ["user@example.org"] and told.extra_headers["Content-Language"] == "en"
    assert "accepted" in told.subject and "Thanks!" in told.body


def test_rejecting_keeps_the_place_and_tells_the_contributor_why(world):
    response = world.api("user").patch(f"/api/places/{world.place.public_id}", {"version": 1, "status": "closed"})
    rejected = world.api("moderator").post(f"/api/suggestions/{body(response)['id']}/reject", {"comment": "It is still open."})
    assert body(rejected)["status"] == "rejected" and world.refresh().status == "active"
    assert "It is still open." in mail.outbox[-1].body


def test_a_suggestion_is_decided_only_once(world):
    response = world.api("user").patch(f"/api/places/{world.place.public_id}", {"version": 1, "status": "closed"})
    world.api("moderator").post(f"/api/suggestions/{body(response)['id']}/reject", {})
    again = world.api("moderator").post(f"/api/suggestions/{body(response)['id']}/accept", {})
    assert again.status_code == 409 and world.refresh().status == "active"


def test_accepting_an_outdated_suggestion_conflicts_and_a_merge_based_on_the_current_version_succeeds(world):
    suggested = body(world.api("user").patch(f"/api/places/{world.place.public_id}", {"version": 1, "opening_hours": "Su 10:00-12:00"}))
    world.api("editor").patch(f"/api/places/{world.place.public_id}", {"version": 1, "name": {"fr": "Compost Josaphat"}})
    conflict = world.api("moderator").post(f"/api/suggestions/{suggested['id']}/accept", {})
    assert conflict.status_code == 409 and body(conflict)["current"]["name"]["fr"] == "Compost Josaphat"
    merged = world.api("moderator").post(f"/api/suggestions/{suggested['id']}/accept", {"version": 2, "data": {"opening_hours": "Su 10:00-12:00"}})
    assert merged.status_code == 200
    place = world.refresh()
    assert (place.name_fr, place.opening_hours, place.version) == ("Compost Josaphat", "Su 10:00-12:00", 3)


def test_moderators_of_another_organisation_do_not_see_nor_decide_this_place(world, django_user_model):
    from foodcommons.accounts.tokens import create_token
    from foodcommons.collaboration.models import Membership, Organisation

    outsider = django_user_model.objects.create_user("outsider")
    Membership.objects.create(organisation=Organisation.objects.create(slug="food-banks", name="Food banks"), user=outsider, role="moderator")
    suggested = body(world.api("user").patch(f"/api/places/{world.place.public_id}", {"version": 1, "status": "closed"}))
    other = ApiClient(world.client, create_token(user=outsider))
    assert body(other.get("/api/moderation/queue"))["suggestions"] == []
    assert other.post(f"/api/suggestions/{suggested['id']}/accept", {}).status_code == 403
    assert [s["id"] for s in body(world.api("moderator").get("/api/moderation/queue"))["suggestions"]] == [suggested["id"]]


def test_an_organisation_owning_a_category_clears_changes_even_from_maintainers(world, django_user_model):
    from foodcommons.collaboration.models import CategoryOwner, Organisation
    from foodcommons.taxonomy.models import Category

    network = Organisation.objects.create(slug="compost-masters", name="Compost masters")
    CategoryOwner.objects.create(category=Category.objects.get(slug="neighbourhood-compost"), organisation=network)
    response = world.api("editor").patch(f"/api/places/{world.place.public_id}", {"version": 1, "status": "closed"})
    assert response.status_code == 202 and world.refresh().status == "active"
    assert world.api("moderator").post(f"/api/suggestions/{body(response)['id']}/accept", {}).status_code == 403


def test_an_editor_adding_a_place_makes_their_organisation_its_maintainer(world):
    created = body(world.api("editor").post("/api/places", compost(name={"fr": "Compost du Parc"})))
    upkeep = body(world.client.get(f"/api/places/{created['id']}/upkeep"))
    assert upkeep["maintainers"] == ["compost-network"]


def test_anonymous_suggestions_are_rate_limited(world, settings):
    settings.FOODCOMMONS_RATE_LIMITS = {**settings.FOODCOMMONS_RATE_LIMITS, "suggest": (2, 3600)}
    anonymous = ApiClient(world.client, None)
    statuses = [anonymous.post("/api/suggestions", {"kind": "create", "data": compost(), "email": "a@example.org"}).status_code for _ in range(3)]
    assert statuses == [202, 202, 429]


def test_a_read_only_token_may_not_even_suggest(world):
    from foodcommons.accounts.tokens import create_token

    reader = ApiClient(world.client, create_token(user=world.users["user"], can_write=False))
    assert reader.post("/api/suggestions", {"kind": "create", "data": compost()}).status_code == 403
    assert reader.patch(f"/api/places/{world.place.public_id}", {"version": 1, "status": "closed"}).status_code == 403
