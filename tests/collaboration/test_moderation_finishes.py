"""Moderation that finishes the job: one click closes a place reported closed, identical reports merge, destructive actions ask first."""

import pytest

from foodcommons.collaboration.models import Report
from foodcommons.places.models import PlaceRevision


def _report(world, reason="closed", comment=""):
    response = world.client.post(f"/places/{world.place.public_id}/report", {"reason": reason, "comment": comment})
    assert response.status_code == 302, response.content.decode()[:500]


def test_three_visitors_report_a_place_closed_and_the_moderator_closes_it_in_one_click(world):
    for comment in ("Fermé depuis juin", "", "Le panneau dit fermé"):
        _report(world, comment=comment)
    _report(world, reason="wrong", comment="Mauvais horaire")
    world.client.force_login(world.users["moderator"])
    queue = world.client.get("/moderation/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert queue.count('class="report"') == 2 and "signalé 3 fois" in queue
    assert "Fermé depuis juin" in queue and "Le panneau dit fermé" in queue
    first = Report.objects.filter(reason="closed").order_by("pk").first()
    assert "Marquer le lieu comme fermé" in queue
    response = world.client.post(f"/moderation/reports/{first.public_id}/close-place")
    assert response.status_code == 302
    place = world.refresh()
    assert place.status == "closed" and place.version == 2
    last = PlaceRevision.objects.filter(place=place).order_by("-version").first()
    assert last.author == world.users["moderator"] and last.state["status"] == "closed"
    assert set(Report.objects.filter(reason="closed").values_list("status", flat=True)) == {"resolved"}
    assert Report.objects.get(reason="wrong").status == "open"
    queue = world.client.get("/moderation/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert queue.count('class="report"') == 1 and "Marquer le lieu comme fermé" not in queue


def test_a_plain_user_may_not_close_a_place_from_a_report(world):
    _report(world)
    item = Report.objects.get()
    world.client.force_login(world.users["user"])
    assert world.client.post(f"/moderation/reports/{item.public_id}/close-place").status_code == 403
    assert world.refresh().status == "active"


def test_dismissing_merged_reports_dismisses_each_of_them(world):
    _report(world)
    _report(world)
    world.client.force_login(world.users["moderator"])
    item = Report.objects.order_by("pk").first()
    world.client.post(f"/moderation/reports/{item.public_id}/resolve", {"dismiss": "1"})
    assert set(Report.objects.values_list("status", flat=True)) == {"dismissed"} and world.refresh().status == "active"


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_reverting_asks_to_confirm_on_a_page_that_works_without_javascript(world, language):
    from foodcommons.places.services import update_place

    update_place(public_id=world.place.public_id, patch={"name": {"fr": "Vandalised"}}, base_version=1)
    world.client.force_login(world.users["moderator"])
    asked = world.client.post(f"/places/{world.place.public_id}/revert", {"to_version": 1, "version": 2}, HTTP_ACCEPT_LANGUAGE=language)
    html = asked.content.decode()
    assert asked.status_code == 200 and 'name="confirmed" value="1"' in html
    assert ("Oui, revenir à cette version" if language == "fr" else "Ja, terugzetten") in html
    assert world.refresh().name_fr == "Vandalised"
    done = world.client.post(f"/places/{world.place.public_id}/revert", {"to_version": 1, "version": 2, "confirmed": "1"})
    assert done.status_code == 302 and world.refresh().name_fr == "Compost de quartier Josaphat"


@pytest.mark.parametrize(("language", "said"), [("fr", "Vous ne modérez encore aucune organisation"), ("nl", "U modereert nog geen enkele organisatie")])
def test_someone_who_moderates_nothing_is_told_why_the_queue_is_not_for_them(world, language, said):
    _report(world)
    world.client.force_login(world.users["user"])
    response = world.client.get("/moderation/", HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 403 and said in page and 'class="report"' not in page
