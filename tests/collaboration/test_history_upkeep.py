"""Public history with diffs and revert, reports, confirmation and reminders, the stale filter."""

import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone

from foodcommons.places.models import Place
from tests.collaboration.conftest import body
from tests.conftest import ApiClient


def _age(place, days):
    Place.objects.filter(pk=place.pk).update(created_at=timezone.now() - timedelta(days=days), last_confirmed=None)


def test_history_lists_every_revision_newest_first_with_a_field_diff_and_no_private_contact(world):
    world.api("editor").patch(f"/api/places/{world.place.public_id}", {"version": 1, "opening_hours": "Su 10:00-12:00", "comment": "Summer hours"})
    entries = body(world.client.get(f"/api/places/{world.place.public_id}/history"))
    assert [(e["version"], e["action"], e["author"]) for e in entries] == [(2, "update", "editor"), (1, "create", "anonymous")]
    assert entries[0]["changes"] == [{"field": "opening_hours", "before": "Sa 10:00-12:00", "after": "Su 10:00-12:00"}]
    assert entries[0]["comment"] == "Summer hours"
    assert "02 244 75 11" not in str(entries) and "+3222447511" not in str(entries)


def test_a_moderator_reverts_from_the_history_page_as_a_new_revision(world):
    world.api("editor").patch(f"/api/places/{world.place.public_id}", {"version": 1, "name": {"fr": "Vandalised"}})
    world.client.force_login(world.users["moderator"])
    page = world.client.get(f"/places/{world.place.public_id}/history")
    assert b"Revert to this version" in page.content or "to_version" in page.content.decode()
    world.client.post(f"/places/{world.place.public_id}/revert", {"to_version": 1, "version": 2, "confirmed": "1"})
    place = world.refresh()
    assert (place.version, place.name_fr) == (3, "Compost de quartier Josaphat")


def test_history_page_shows_authors_diffs_and_freshness(world):
    world.api("editor").patch(f"/api/places/{world.place.public_id}", {"version": 1, "opening_hours": "Su 10:00-12:00"})
    page = world.client.get(f"/places/{world.place.public_id}/history").content.decode()
    assert "editor" in page and "Su 10:00-12:00" in page and "Sa 10:00-12:00" in page
    assert "02 244 75 11" not in page


def test_reports_go_to_the_maintainers_queue_and_comments_lose_their_scripts(world):
    response = ApiClient(world.client, None).post(
        f"/api/places/{world.place.public_id}/reports",
        {"reason": "closed", "comment": "**Closed** since May <script>alert(1)</script> [x](javascript:alert(1))", "email": "r@example.org"},
    )
    assert response.status_code == 201
    reports = body(world.api("moderator").get("/api/moderation/queue"))["reports"]
    assert len(reports) == 1 and reports[0]["author"] == "anonymous"
    html = reports[0]["comment_html"]
    assert "<strong>Closed</strong>" in html and "<script" not in html and "javascript:" not in html
    assert "r@example.org" not in str(reports)
    resolved = world.api("moderator").post(f"/api/reports/{reports[0]['id']}/resolve", {"comment": "Marked closed"})
    assert body(resolved)["status"] == "resolved" and body(world.api("moderator").get("/api/moderation/queue"))["reports"] == []


def test_a_duplicate_report_must_name_another_existing_place(world, make_place):
    path = f"/api/places/{world.place.public_id}/reports"
    assert world.api("user").post(path, {"reason": "duplicate"}).status_code == 400
    assert world.api("user").post(path, {"reason": "duplicate", "duplicate_of": world.place.public_id}).status_code == 400
    other = make_place(name={"fr": "Compost bis"})
    assert world.api("user").post(path, {"reason": "duplicate", "duplicate_of": other.public_id}).status_code == 201


def test_confirming_sets_last_confirmed_and_who_confirmed(world):
    confirmed = body(world.api("member").post(f"/api/places/{world.place.public_id}/confirm"))
    assert confirmed["confirmed_by"] == "member"
    upkeep = body(world.client.get(f"/api/places/{world.place.public_id}/upkeep"))
    assert upkeep["confirmed_by"] == "member" and upkeep["stale"] is False and upkeep["last_confirmed"]
    assert body(world.client.get(f"/api/places/{world.place.public_id}"))["last_confirmed"] == upkeep["last_confirmed"]


def test_stale_places_are_filterable_in_the_api(world, make_place):
    fresh = make_place(name={"fr": "Compost frais"})
    _age(world.place, 400)
    stale_ids = [p["id"] for p in body(world.client.get("/api/places", {"stale": "true"}))["places"]]
    fresh_ids = [p["id"] for p in body(world.client.get("/api/places", {"stale": "false"}))["places"]]
    assert stale_ids == [world.place.public_id] and fresh_ids == [fresh.public_id]
    assert body(world.client.get(f"/api/places/{world.place.public_id}/upkeep"))["stale"] is True


def test_the_stale_filter_pages_with_cursors(world, make_place):
    for i in range(3):
        _age(make_place(name={"fr": f"Compost {i}"}), 500)
    first = body(world.client.get("/api/places", {"stale": "true", "limit": 2}))
    assert first["total"] == 3 and first["count"] == 2
    rest = body(world.client.get("/api/places", {"stale": "true", "limit": 2, "cursor": first["next_cursor"]}))
    assert rest["count"] == 1 and rest["next_cursor"] is None


def test_the_stale_filter_combines_with_place_bbox_text_territory_near_and_source(world, make_place):
    far = make_place(name={"fr": "Potager stale lointain"}, geometry={"type": "Point", "coordinates": [5.57, 50.63]}, address={})
    _age(far, 400)
    _age(world.place, 400)
    make_place(name={"fr": "Compost frais"})

    def stale_ids(**params):
        response = world.client.get("/api/places", {"stale": "true", **params})
        assert response.status_code == 200, response.content
        return {p["id"] for p in body(response)["places"]}

    assert stale_ids() == {world.place.public_id, far.public_id}
    assert stale_ids(bbox="4.3,50.8,4.5,50.9") == {world.place.public_id}
    assert stale_ids(q="lointain") == {far.public_id}
    assert stale_ids(territory="21015") == {world.place.public_id}
    near = body(world.client.get("/api/places", {"stale": "true", "near": "5.57,50.63"}))["places"]
    assert [p["id"] for p in near] == [far.public_id, world.place.public_id] and near[0]["distance_m"] == 0.0
    assert stale_ids(source="nowhere") == set()


def test_reminders_send_one_digest_per_maintainer_whose_link_confirms_without_login(world, make_place):
    from foodcommons.collaboration.models import PlaceMaintainer
    from foodcommons.collaboration.services import send_upkeep_reminders

    second = make_place(name={"fr": "Compost bis"})
    PlaceMaintainer.objects.create(place=second, organisation=world.organisation)
    _age(world.place, 400)
    _age(second, 400)
    assert send_upkeep_reminders() == 4  # member, editor, moderator and admin of the maintaining organisation
    to_member = [m for m in mail.outbox if m.to == ["member@example.org"]]
    assert len(to_member) == 1 and "Compost bis" in to_member[0].body and "Compost de quartier Josaphat" in to_member[0].body
    link = re.search(r"http://\S+/confirm/\S+", to_member[0].body).group(0).replace("http://127.0.0.1:8000", "")
    page = world.client.get(link)
    assert page.status_code == 200 and world.refresh().last_confirmed is None
    token = page.context["token"]
    place_id = page.context["place_id"]
    world.client.post(f"/places/{place_id}/confirm", {"token": token})
    confirmed = Place.objects.get(public_id=place_id)
    assert confirmed.last_confirmed is not None
    mail.outbox.clear()
    assert send_upkeep_reminders() == 0


def test_reminders_are_capped_per_run(world, make_place, settings):
    from foodcommons.collaboration.models import PlaceMaintainer
    from foodcommons.collaboration.services import send_upkeep_reminders

    settings.FOODCOMMONS_REMINDERS_PER_RUN = 3
    second = make_place(name={"fr": "Compost bis"})
    PlaceMaintainer.objects.create(place=second, organisation=world.organisation)
    _age(world.place, 400)
    _age(second, 400)
    send_upkeep_reminders()
    first_run = sum(len(re.findall(r"^- ", m.body, re.M)) for m in mail.outbox)
    send_upkeep_reminders()
    assert first_run == 3 and sum(len(re.findall(r"^- ", m.body, re.M)) for m in mail.outbox) == 6


def test_a_forged_confirmation_link_is_refused(world):
    response = world.client.post(f"/places/{world.place.public_id}/confirm", {"token": "forged:token"})
    assert response.status_code == 400 and world.refresh().last_confirmed is None
