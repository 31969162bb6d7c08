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
