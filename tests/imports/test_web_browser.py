"""In headless Chromium, against a real server and its database queue's worker: upload a small CSV and follow it to the report."""

import os
import re

import pytest

from tests.opendata.live import ROOT, Instance, serving
from tests.own_thread import run_on_own_thread

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
CSV = (b"id;name;type;street;number;postcode;city;lat;lon\n"
       b"1;GASAP Josaphat;gasap;Rue Josaphat;12;1030;Schaerbeek;50.8624;4.3780\n"
       b"2;Potager du Parc;potager;Rue du Parc;1;1000;Bruxelles;50.8450;4.3650\n")


class QueueOnlyInstance(Instance):
    """A server whose jobs wait until the test runs `db_worker`, so the page is seen while the job is queued."""

    serve_options = ("--no-worker",)


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    yield from serving(tmp_path_factory, "webimport", QueueOnlyInstance)


@pytest.mark.browser
def test_an_uploaded_csv_shows_its_progress_then_its_report(instance):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (scripts/test installs it when run as root)")
    run_on_own_thread(_scenario, instance)


def _scenario(instance):
    from playwright.sync_api import sync_playwright

    instance.env["DJANGO_SUPERUSER_PASSWORD"] = "a long importer passphrase"
    assert instance.command("createsuperuser", "--noinput", "--username", "importer", "--email", "importer@example.org").returncode == 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(locale="en-GB")
        page.goto(instance.url + "/accounts/login")
        page.fill("#id_username", "importer")
        page.fill("#id_password", "a long importer passphrase")
        page.click("main button[type=submit]")
        page.wait_for_url(re.compile(r".*/accounts/profile$"))

        page.goto(instance.url + "/imports/")
        assert not _serious_violations(page)
        page.set_input_files("#id_file", {"name": "gasaps.csv", "mimeType": "text/csv", "buffer": CSV})
        page.fill("#id_new_name", "Browser list")
        page.fill("#id_new_licence", "CC0-1.0")
        page.uncheck("#id_dry_run")
        page.click("main button[type=submit]")
        page.wait_for_url(re.compile(r".*/imports/jobs/[0-9a-f]{32}$"))
        assert page.inner_text("#import-status").strip() == "queued"
        assert page.get_attribute("#import-bar", "max") == "2"

        # The page polls while the database queue's real worker runs the job.
        worker = instance.command("db_worker", "--batch", "--no-startup-delay", timeout=120)
        assert worker.returncode == 0, worker.stderr
        page.wait_for_url(re.compile(r".*/imports/runs/\d+$"), timeout=30_000)
        assert page.inner_text("#run-status").strip() == "done"
        assert page.inner_text('tr[data-count="created"] td') == "2"
        assert page.query_selector("text=Revert the run")
        assert not _serious_violations(page)
        browser.close()


def _serious_violations(page) -> list:
    """The serious and critical accessibility violations axe-core finds (none checked when axe-core is not installed)."""
    if not AXE.exists():
        return []
    page.evaluate(AXE.read_text())  # not a script tag: the pages' Content-Security-Policy refuses inline scripts
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations if v["impact"] in ("serious", "critical")]


# A network coordinator, in French, cleans the network's list with the platform's help.
SPREADSHEET = ("Identifiant;Nom;Type;Rue;Numéro;Code postal;Commune;Latitude;Longitude;Courriel\n"
               "1;GASAP Josaphat;gasap;Rue Josaphat;12;1030;Schaerbeek;50.8624;4.3780;pas-une-adresse\n"
               "2;GASAP des Cailles;gasap;Avenue de la Houlette;3;1170;Watermael-Boitsfort;4.4240;50.8060;\n"
               "3;Potager du Parc;potager;Rue du Parc;1;1000;Bruxelles;50.8450;4.3650;\n")
FIXED = (SPREADSHEET.replace("pas-une-adresse", "josaphat@gasap.be").replace("4.4240;50.8060", "50.8060;4.4240"))
SECOND_LIST = ("id;name;type;street;number;postcode;city;lat;lon\n"
               "9;GASAP Josaphat bis;gasap;Rue Josaphat;40;1030;Schaerbeek;50.8640;4.3790\n")
SETUP = """
from django.contrib.auth import get_user_model
from foodcommons.collaboration.models import Membership, Organisation
network = Organisation.objects.create(slug="gasap-network", name="Réseau des GASAP")
user = get_user_model().objects.create_user("coralie", password="a long coordinator passphrase")
Membership.objects.create(organisation=network, user=user, role="editor")
get_user_model().objects.create_user("vera")
"""
CORRECTION = """
from django.contrib.auth import get_user_model
from foodcommons.places import services
from foodcommons.places.models import Place
place = Place.objects.get(name_fr="Potager du Parc")
services.update_place(public_id=place.public_id, patch={"name": {"fr": "Potager collectif du Parc"}}, base_version=place.version,
                      author=get_user_model().objects.get(username="vera"), comment="Son vrai nom, sur la grille")
"""


@pytest.mark.browser
def test_a_coordinator_fixes_the_list_from_its_problems_reviews_a_pair_and_exports_the_outbox(instance, tmp_path):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (scripts/test installs it when run as root)")
    run_on_own_thread(_coordinator, instance, tmp_path)


def _import(page, instance, data: str, *, new: bool) -> None:
    page.goto(instance.url + "/imports/")
    page.set_input_files("#id_file", {"name": "gasaps.csv", "mimeType": "text/csv", "buffer": data.encode()})
    if new:
        page.fill("#id_new_name", "Liste du réseau")
        page.fill("#id_new_licence", "CC0-1.0")
        page.select_option("#id_new_organisation", "gasap-network")
    else:
        page.select_option("#id_source", "liste-du-reseau")
    page.uncheck("#id_dry_run")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/imports/jobs/[0-9a-f]{32}$"))
    worker = instance.command("db_worker", "--batch", "--no-startup-delay", timeout=120)
    assert worker.returncode == 0, worker.stderr
    page.wait_for_url(re.compile(r".*/imports/runs/\d+$"), timeout=30_000)


def _coordinator(instance, tmp_path):
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import SCREENSHOTS

    assert instance.command("shell", "-c", SETUP).returncode == 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(locale="fr-BE", viewport={"width": 1366, "height": 768}, accept_downloads=True)
        page.goto(instance.url + "/accounts/login")
        page.fill("#id_username", "coralie")
        page.fill("#id_password", "a long coordinator passphrase")
        page.click("main button[type=submit]")
        page.wait_for_url(re.compile(r".*/accounts/profile$"))

        _import(page, instance, SPREADSHEET, new=True)
        report = page.inner_text("main")
        assert "pas une adresse e-mail valide" in report and "latitude et longitude inversées" in report
        assert page.query_selector('tr[data-notice="swapped_coordinates"]')
        assert not _serious_violations(page)
        if os.environ.get("FOODCOMMONS_SCREENSHOTS"):
            page.screenshot(path=str(SCREENSHOTS / "laptop-import-report-fr.png"), full_page=True)
        with page.expect_download() as download:
            page.click("text=Télécharger les lignes à problème")
        problems = (tmp_path / "problems.csv")
        download.value.save_as(problems)
        text = problems.read_text(encoding="utf-8-sig")
        assert text.splitlines()[0] == "Identifiant,Nom,Type,Rue,Numéro,Code postal,Commune,Latitude,Longitude,Courriel,Ligne,Problèmes"
        assert "pas-une-adresse" in text

        _import(page, instance, FIXED, new=False)  # the coordinator fixed the spreadsheet and imports it again
        assert not page.query_selector('tr[data-notice="invalid_email"]') and not page.query_selector('tr[data-notice="swapped_coordinates"]')

        _import(page, instance, SECOND_LIST, new=False)
        page.click("text=doublon possible à examiner")
        assert page.query_selector("tr.differs") and not _serious_violations(page)
        if os.environ.get("FOODCOMMONS_SCREENSHOTS"):
            page.screenshot(path=str(SCREENSHOTS / "laptop-import-review-fr.png"), full_page=True)
        page.wait_for_selector(".pair-map .pair-marker")  # both points on the pair's small map, marked A and B
        assert page.eval_on_selector_all(".pair-map .pair-marker", "nodes => nodes.map(n => n.textContent)") == ["A", "B"]
        page.check('input[name="field:address"][value="b"]')
        asked = []
        page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))  # a merge is asked before it is done
        page.click("text=Fusionner avec les valeurs choisies")
        page.wait_for_load_state()
        assert asked and asked[0].startswith("Fusionner ces deux lieux en un seul ?")
        assert "Plus rien à examiner" in page.inner_text("main")

        assert instance.command("shell", "-c", CORRECTION).returncode == 0  # a volunteer corrects a value the list gives
        page.goto(instance.url + "/imports/")
        page.click("text=Corrections à reprendre")
        outbox = page.inner_text("main")
        assert "Son vrai nom, sur la grille" in outbox and "Potager collectif du Parc" in outbox and not _serious_violations(page)
        if os.environ.get("FOODCOMMONS_SCREENSHOTS"):
            page.screenshot(path=str(SCREENSHOTS / "laptop-import-outbox-fr.png"), full_page=True)
        with page.expect_download() as download:
            page.click("text=Télécharger les corrections ouvertes")
        exported = tmp_path / "outbox.csv"
        download.value.save_as(exported)
        assert "3,Potager collectif du Parc,Nom (Français),Potager du Parc,Potager collectif du Parc,vera" in exported.read_text(encoding="utf-8-sig")
        page.click("text=Appliquée dans notre liste")
        page.wait_for_load_state()
        assert "appliquée" in page.inner_text("table.outbox")
        browser.close()
