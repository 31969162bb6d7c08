"""History people can read: labels, values and actions in the page's language, and who did it (an import's person, a moderator)."""

import re

import pytest

from foodcommons.collaboration.domain.history import read_comment
from foodcommons.places.services import update_place


def _history(world, language: str) -> str:
    response = world.client.get(f"/places/{world.place.public_id}/history", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def _row(page: str, field: str) -> str:
    found = re.search(rf'<tr data-field="{re.escape(field)}">(.*?)</tr>', page, re.S)
    assert found, field
    return found.group(1)


@pytest.mark.parametrize(("language", "words"), [
    ("fr", {"name.fr": "Nom (français)", "categories": "Potager collectif", "status": "fermé", "geometry": "déplacé de",
            "attributes.public_deposits": "Dépôts ouverts au public", "yes": "oui", "no": "non"}),
    ("nl", {"name.fr": "Naam (Frans)", "categories": "Samentuin", "status": "gesloten", "geometry": "m verplaatst",
            "attributes.public_deposits": "Open voor afval van buurtbewoners", "yes": "ja", "no": "nee"}),
])
def test_a_change_is_shown_with_labels_and_values_in_the_page_s_language(world, language, words):
    update_place(public_id=world.place.public_id, base_version=1, author=world.users["editor"], patch={
        "name": {"fr": "Compost Josaphat"}, "categories": ["community-garden", "neighbourhood-compost"], "status": "closed",
        "geometry": {"type": "Point", "coordinates": [4.3790, 50.8630]}, "attributes": {"public_deposits": False},
    })
    page = _history(world, language)
    assert words["name.fr"] in _row(page, "name.fr")
    assert words["categories"] in _row(page, "categories") and "community-garden" not in _row(page, "categories")
    assert words["status"] in _row(page, "status")
    geometry = _row(page, "geometry")
    assert words["geometry"] in geometry and "openstreetmap.org/?mlat=50.863000" in geometry and "'type'" not in geometry
    deposits = _row(page, "attributes.public_deposits")
    assert words["attributes.public_deposits"] in deposits and f"<del>{words['yes']}</del>" in deposits and f"<ins>{words['no']}</ins>" in deposits
    history = page.split('id="history"')[1]
    labels = re.findall(r'<th scope="row">([^<]+)</th>', history)
    assert labels and not [label for label in labels if "." in label or "_" in label], labels
    for raw in ("['", "True", "False", "{'type'"):
        assert raw not in history, raw
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d{6}", page.split('id="history"')[1])  # no ISO timestamps with microseconds shown


def test_a_moderator_s_acceptance_and_the_person_behind_an_import_are_named(world):
    from foodcommons.imports.models import Source
    from foodcommons.imports.services import runs

    update_place(public_id=world.place.public_id, base_version=1, author=world.users["member"], patch={"opening_hours": "Su 10:00-12:00"},
                 comment="Summer hours — accepted by moda")
    source = Source.objects.create(slug="gasaps", name="GASAP list", licence="CC0-1.0", attribution="GASAP")
    runs.import_file(data=b"id;name;type;lat;lon\ng-1;GASAP Josaphat;csa;50.8620;4.3800\n", source=source, file_format="csv",
                     author=world.users["editor"])
    page = _history(world, "fr")
    assert "proposé par member, accepté par moda" in page and "Summer hours" in page
    from foodcommons.places.models import Place

    imported = Place.objects.get(name_fr="GASAP Josaphat")
    page = world.client.get(f"/places/{imported.public_id}/history", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "editor, via een import van ‘GASAP list’" in page and "anoniem" not in page


def test_platform_comments_are_read_apart_from_a_person_s_words():
    assert read_comment("Import run 4 of GASAP list (merged: same name, close (20 m))").values == {
        "run": "4", "source": "GASAP list", "reasons": "same name, close (20 m)"}
    accepted = read_comment("Please check — accepted by moda")
    assert (accepted.kind, accepted.values, accepted.words) == ("accepted", {"moderator": "moda"}, "Please check")
    assert read_comment("Summer hours").words == "Summer hours" and read_comment("Summer hours").kind == ""
