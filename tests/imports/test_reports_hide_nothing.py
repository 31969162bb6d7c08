"""An import's report hides nothing: each value left out or changed, each row skipped, each location to check, per row."""

import csv
import io

import pytest
from django.utils import translation

from foodcommons.imports.domain import checks
from foodcommons.imports.models import ImportRun, Source
from foodcommons.imports.services import runs
from foodcommons.places.models import Place
from tests.imports.test_web_imports import database_queue_and_data_dir, editor, network  # noqa: F401 fixtures

pytestmark = pytest.mark.django_db

HEADER = "Identifiant;Nom;Type;Rue;Numéro;Code postal;Commune;Latitude;Longitude;Courriel;Téléphone;Horaires\n"
ROWS = (
    "1;GASAP Josaphat;gasap;Rue Josaphat;12;1030;Schaerbeek;50.8624;4.3780;pas-une-adresse;12;lundi matin\n"
    "2;GASAP Cailles;gasap;Avenue de la Houlette;3;99999;Watermael-Boitsfort;50.8060;4.4240;;;\n"
    "3;GASAP Somalie;gasap;Rue du Parc;1;1000;Bruxelles;4.3650;50.8450;;;\n"
    "4;GASAP sans lieu;gasap;Rue Haute;5;1000;Bruxelles;;;;;\n"
    "5;Brocante du dimanche;brocante;Place du Jeu de Balle;1;1000;Bruxelles;50.8370;4.3460;;;\n"
    "6;GASAP Paris;gasap;Rue de Rivoli;1;1000;Bruxelles;48.8566;2.3522;;;\n"
    "7;GASAP illisible;gasap;Rue Neuve;1;1000;Bruxelles;cinquante;4,35;;;\n"
)


def network_list(slug="gasap-list") -> Source:
    return Source.objects.create(slug=slug, name=slug, licence="CC0-1.0", attribution=slug)


def imported(**options) -> ImportRun:
    return runs.import_file(data=(HEADER + ROWS).encode(), source=network_list(), file_format="csv", **options)


def notices_by_row(run: ImportRun) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for notice in run.notices:
        found.setdefault(notice["row"], set()).add(notice["code"])
    return found


def test_each_value_left_out_changed_or_to_check_has_its_line_with_the_value_as_read():
    run = imported()
    assert notices_by_row(run) == {
        2: {"invalid_email", "invalid_phone", "invalid_hours"}, 3: {"invalid_postcode"}, 4: {"swapped_coordinates"},
        5: {"no_location"}, 6: {"no_category"}, 7: {"outside_belgium"}, 8: {"unreadable_coordinates"},
    }
    email = next(n for n in run.notices if n["code"] == "invalid_email")
    assert email == {"row": 2, "field": "email", "value": "pas-une-adresse", "code": "invalid_email", "outcome": "dropped", "fix": ""}
    swapped = next(n for n in run.notices if n["code"] == "swapped_coordinates")
    assert swapped["value"] == "4.36500, 50.84500" and swapped["fix"] == "50.84500, 4.36500"
    assert run.counts["to_locate"] == 2 and run.counts["skipped"] == 1


def test_swapped_coordinates_are_put_back_in_brussels_and_a_row_without_location_is_not_on_the_map():
    imported()
    somalia = Place.objects.get(name_fr="GASAP Somalie")
    assert somalia.geometry()["coordinates"] == [4.365, 50.845]
    unplaced = Place.objects.get(name_fr="GASAP sans lieu")
    assert unplaced.geometry() is None


def test_a_dry_run_shows_every_notice_before_anything_is_written():
    run = imported(dry_run=True)
    assert run.status == ImportRun.Status.DRY_RUN and len(run.notices) == 9 and not Place.objects.exists()


@pytest.mark.parametrize(("language", "said"), [
    ("fr", "pas une adresse e-mail valide"), ("nl", "geen geldig e-mailadres"),
])
def test_the_report_page_says_each_notice_in_the_page_s_language(client, editor, language, said):  # noqa: F811
    run = imported()
    run.source.organisation = editor.memberships.get().organisation
    run.source.save()
    page = client.get(f"/imports/runs/{run.pk}", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert said in page and "pas-une-adresse" in page
    assert 'data-notice="swapped_coordinates"' in page and "50.84500, 4.36500" in page


def test_the_problems_download_as_csv_in_the_list_s_own_columns(client, editor):  # noqa: F811
    run = imported()
    run.source.organisation = editor.memberships.get().organisation
    run.source.save()
    response = client.get(f"/imports/runs/{run.pk}/problems.csv", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0] == [*HEADER.strip().split(";"), "Ligne", "Problèmes"]
    by_id = {row[0]: row for row in table[1:]}
    assert set(by_id) == {"1", "2", "3", "4", "5", "6", "7"}
    assert by_id["1"][9] == "pas-une-adresse" and "adresse e-mail" in by_id["1"][-1] and by_id["1"][-2] == "2"


def test_another_organisation_may_not_download_the_problems(client, editor):  # noqa: F811
    run = imported()
    assert client.get(f"/imports/runs/{run.pk}/problems.csv").status_code == 403


def test_the_command_line_report_lists_the_notices():
    from foodcommons.imports.selectors import run_summary

    with translation.override("en"):
        summary = run_summary(imported())
    assert "dropped   row 2 email 'pas-une-adresse': invalid email" in summary
    assert "changed   row 4 location '4.36500, 50.84500': swapped coordinates -> 50.84500, 4.36500" in summary


@pytest.mark.parametrize(("lon", "lat", "code"), [(4.35, 50.85, None), (50.85, 4.35, "swapped_coordinates"), (2.35, 48.85, "outside_belgium"),
                                                  (None, None, "no_location"), (5.97, 49.5, None)])
def test_locations_are_checked_against_belgium(lon, lat, code):
    _, _, notices = checks.checked_location(lon, lat)
    assert [n.code for n in notices] == ([code] if code else [])
