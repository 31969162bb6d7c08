"""Every word in the page's language: statuses, history actions, report and match reasons, category names and counts."""

import json
import re

import pytest
from django.utils import timezone, translation
from django.utils.translation import ngettext

from foodcommons.core.text import fold

ACTIONS = {
    "nl": ["Terugzetting naar een eerdere versie", "Herstel", "Verwijdering", "Wijziging", "Aanmaak"],
    "fr": ["Retour à une version antérieure", "Restauration", "Suppression", "Modification", "Création"],
}


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("staffer", is_staff=True, is_superuser=True))
    return client


def _page(client, url: str, language: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_history_names_every_action_in_the_page_s_language(client, make_place, language):
    from foodcommons.places import services

    place = make_place()
    services.update_place(public_id=place.public_id, patch={"opening_hours": "Sa 10:00-13:00"}, base_version=1)
    services.delete_place(public_id=place.public_id, base_version=2)
    services.restore_place(public_id=place.public_id)
    services.revert_place(public_id=place.public_id, to_version=1, base_version=4)
    page = _page(client, f"/places/{place.public_id}/history", language)
    assert re.findall(r'<span class="action" data-action="\w+">([^<]+)</span>', page) == ACTIONS[language]
    for english in ("Create", "Update", "Delete", "Restore", "Revert"):
        assert f">{english}<" not in page and f">{english.lower()}<" not in page


@pytest.mark.parametrize(("language", "closed", "english"), [("nl", "Gesloten", "Closed"), ("fr", "Fermé", "Closed")])
def test_the_moderation_queue_gives_a_report_s_reason_in_the_page_s_language(staff_client, make_place, language, closed, english):
    from foodcommons.collaboration.models import Report

    place = make_place()
    Report.objects.create(public_id="rep-words", place=place, reason=Report.Reason.CLOSED)
    page = _page(staff_client, "/moderation/", language)
    assert f"</a>: {closed}" in page
    assert f"</a>: {english}" not in page


REASONS = ["same name", "same postcode", "close (120 m)", "names close (0.87)", "both from the same source"]
REASONS_SHOWN = {
    "nl": "zelfde naam; zelfde postcode; dichtbij (120 m); namen lijken sterk op elkaar (0,87); allebei uit dezelfde bron",
    "fr": "même nom; même code postal; proches (120 m); noms proches (0,87); tous deux de la même source",
}


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_import_review_and_report_give_each_match_reason_in_the_page_s_language(staff_client, make_place, language):
    from foodcommons.imports.models import ImportRun, MatchCandidate, Source

    a, b = make_place(), make_place(name={"fr": "Compost Josaphat"})
    source = Source.objects.create(slug="words", name="Words", licence="CC0-1.0", attribution="Words")
    decision = {"row": 1, "external_id": "x1", "action": "review", "place": a.public_id, "score": 3.5, "reasons": REASONS}
    run = ImportRun.objects.create(source=source, status="done", started_at=timezone.now(), decisions=[decision], counts={"review": 1})
    MatchCandidate.objects.create(place_a=a, place_b=b, score=3.5, reasons=REASONS, run=run, created_at=timezone.now())
    for url in (f"/imports/runs/{run.pk}/review", f"/imports/runs/{run.pk}"):
        page = _page(staff_client, url, language)
        assert REASONS_SHOWN[language] in page, url
        assert "same name" not in page and "same postcode" not in page and "same source" not in page


@pytest.mark.parametrize(("language", "ours", "french", "statuses", "english"), [
    ("nl", "Voedselhulp", "Aide alimentaire", ["actief", "tijdelijk gesloten", "gesloten"], "temporarily closed"),
    ("fr", "Aide alimentaire", "Voedselhulp", ["actif", "fermé temporairement", "fermé"], "temporarily closed"),
])
def test_the_new_place_form_names_and_sorts_categories_and_statuses_in_the_page_s_language(
        client, db, language, ours, french, statuses, english):
    page = _page(client, "/places/new", language)
    tree = re.search(r'<div class="category-tree"[^>]*>(.*?)</div>', page, re.S).group(1)
    groups = re.findall(r"<summary>([^<]+)</summary>(.*?)</details>", tree, re.S)
    assert [g for g, _ in groups] == sorted((g for g, _ in groups), key=fold)
    labels = []
    for _group, options in groups:
        # The group's own category first, then the ones below it, sorted.
        found = [label.strip() for label in re.findall(r'<input type="checkbox" name="categories"[^>]*>([^<]+)</label>', options)]
        assert found[1:] == sorted(found[1:], key=fold)
        labels += found
    assert ours in labels and french not in labels
    status = re.search(r'<select name="status"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert re.findall(r"<option [^>]*>([^<]+)</option>", status) == statuses
    assert english not in page


@pytest.mark.parametrize(("language", "forms"), [
    ("fr", {"one": "{n} lieu", "other": "{n} lieux"}), ("nl", {"one": "{n} plek", "other": "{n} plekken"}),
])
def test_the_map_gives_its_script_both_forms_of_a_count_and_the_language_whose_rule_chooses(client, db, language, forms):
    page = _page(client, "/map", language)
    strings = json.loads(re.search(r'<script id="map-strings" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert strings["language"] == language and strings["placeCount"] == forms
    assert "place" not in strings and "places" not in strings


def test_french_counts_zero_and_one_in_the_singular_and_dutch_only_one():
    with translation.override("fr"):
        assert [ngettext("%(counter)s place", "%(counter)s places", n) % {"counter": n} for n in (0, 1, 2)] == ["0 lieu", "1 lieu", "2 lieux"]
    with translation.override("nl"):
        assert [ngettext("%(counter)s place", "%(counter)s places", n) % {"counter": n} for n in (0, 1, 2)] == ["0 plekken", "1 plek", "2 plekken"]


@pytest.mark.parametrize(("language", "heading"), [("fr", "0 lieu"), ("nl", "0 plekken")])
def test_an_empty_directory_counts_its_places_in_the_page_s_plural(client, db, language, heading):
    page = _page(client, "/directory?q=zzzzzz-nothing", language)
    assert f'<h2 id="places-title">{heading}</h2>' in page
