"""An editor publishes a territorial diagnostic (a real PDF) and a visitor finds it by a word inside it; a visitor finds
a project of their territory — in French and in Dutch, on a laptop and a phone."""

import os
import subprocess
import time
import urllib.request

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, screenshot
from tests.browser.server import free_port
from tests.browser.test_events_browser import LAPTOP, LOCALES, PHONE, _no_serious_axe_violations
from tests.knowledge.conftest import pdf_bytes
from tests.own_thread import run_on_own_thread

pytestmark = pytest.mark.browser
FOODCOMMONS = str(ROOT / ".venv" / "bin" / "foodcommons")
PASSWORD = "a long password 123"
SETUP = f"""
from django.contrib.auth import get_user_model
from foodcommons.collaboration.models import Membership, Organisation
from foodcommons.knowledge.models import WorkStream
from foodcommons.knowledge.services import create_project
from foodcommons.territories.models import Territory
user = get_user_model().objects.create_user("edith", "edith@example.org", "{PASSWORD}")
organisation = Organisation.objects.create(slug="ceinture-namur", name="Ceinture alimentaire namuroise")
Membership.objects.create(user=user, organisation=organisation, role="editor")
create_project(author=None, check_role=False, data={{"title_fr": "Halle maraîchère de Ciney", "title_nl": "Groentehal van Ciney",
    "organisations": [organisation], "territories": [Territory.objects.get(code="91030")],
    "work_streams": [WorkStream.objects.get(slug="legumeries")]}})
"""
WORDS = {
    "fr": {"nav": "Projets et ressources", "library": "Bibliothèque de documents", "publish": "Publier un document", "title": "Titre en français",
           "file": "Fichier (PDF, ODT, DOCX, XLSX, PNG, JPEG ou WebP)", "send": "Publier", "search": "Rechercher", "words": "Mots dans les documents",
           "projects": "Projets", "territory": "Territoire", "show": "Afficher", "project": "Halle maraîchère de Ciney",
           "document": "Diagnostic alimentaire du Condroz", "inside": "topinambours"},
    "nl": {"nav": "Projecten en bronnen", "library": "Documentenbibliotheek", "publish": "Een document publiceren", "title": "Titel in het Frans",
           "file": "Bestand (PDF, ODT, DOCX, XLSX, PNG, JPEG of WebP)", "send": "Publiceren", "search": "Zoeken", "words": "Woorden in de documenten",
           "projects": "Projecten", "territory": "Gebied", "show": "Tonen", "project": "Groentehal van Ciney",
           "document": "Voedseldiagnose van de Condroz", "inside": "aardperen"},
}


@pytest.fixture(scope="module")
def knowledge_site(tmp_path_factory):
    """`foodcommons serve` without demo places, an editor of an organisation and one project in Ciney (province of Namur)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    data = tmp_path_factory.mktemp("knowledge-site")
    port = free_port()
    env = {**os.environ, "FOODCOMMONS_DATA_DIR": str(data), "FOODCOMMONS_TILE_URL": ""}
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    with open(data / "serve.log", "ab") as log:
        process = subprocess.Popen([FOODCOMMONS, "serve", "--no-demo", "--port", str(port)], env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(url + "/knowledge/", timeout=2).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError((data / "serve.log").read_text()) from None
            time.sleep(0.3)
    subprocess.run([FOODCOMMONS, "shell", "-c", SETUP], env=env, check=True, capture_output=True)
    yield url, data
    process.terminate()
    process.wait(timeout=10)


def _publish(browser, url, data, language):
    words = WORDS[language]
    context = browser.new_context(locale=LOCALES[language], **LAPTOP)
    page = context.new_page()
    page.goto(f"{url}/accounts/login?next=/knowledge/documents/")
    page.locator("input[name=username]").fill("edith")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.get_by_role("link", name=words["publish"]).click()
    page.get_by_label(words["title"]).fill(words["document"])
    page.locator("select[name=organisation]").select_option(label="Ceinture alimentaire namuroise")
    page.locator("select[name=kind]").select_option("diagnostic")
    page.locator("select[name=language]").select_option(language)
    pdf = data / f"diagnostic-{language}.pdf"
    pdf.write_bytes(pdf_bytes(f"{words['document']}", f"Les {words['inside']} du plateau, 2021"))
    page.get_by_label(words["file"]).set_input_files(str(pdf))
    page.get_by_role("button", name=words["send"], exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == words["document"]
    screenshot(page, f"laptop-document-{language}.png")
    context.close()


def _visit(browser, url, language, device, options):
    words = WORDS[language]
    context = browser.new_context(locale=LOCALES[language], **options)
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "about:")) else None)
    page.goto(url + "/knowledge/documents/")
    page.get_by_label(words["words"]).fill(words["inside"])
    page.get_by_role("button", name=words["search"]).click()
    page.get_by_role("link", name=words["document"]).click()
    assert page.get_by_role("heading", level=1).inner_text() == words["document"]
    _no_serious_axe_violations(page)
    page.goto(url + "/")
    if device == "phone" and page.get_by_role("button", name="Menu").is_visible():
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name=words["nav"]).click()
    page.locator("main").get_by_role("link", name=words["projects"], exact=True).click()
    page.get_by_label(words["territory"], exact=True).select_option("90000")
    page.locator("main form").get_by_role("button", name=words["show"]).click()
    page.get_by_role("link", name=words["project"]).click()
    assert page.get_by_role("heading", level=1).inner_text() == words["project"]
    _no_serious_axe_violations(page)
    screenshot(page, f"{device}-project-{language}.png")
    page.goto(url + "/knowledge/projects/map")
    page.locator(".leaflet-marker-icon").first.click()
    assert page.locator(".leaflet-popup").get_by_role("link", name=words["project"]).is_visible()
    screenshot(page, f"{device}-project-map-{language}.png")
    if device == "phone":
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling on a phone"
    context.close()
    assert not outside, f"requests left loopback: {outside}"


def _scenario(chromium_path, url, data, language):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        _publish(browser, url, data, language)
        for device, options in (("laptop", LAPTOP), ("phone", PHONE)):
            _visit(browser, url, language, device, options)
        browser.close()


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_an_editor_publishes_a_diagnostic_found_by_a_word_inside_it_and_a_visitor_finds_a_project_of_their_territory(knowledge_site, language):
    url, data = knowledge_site
    run_on_own_thread(_scenario, CHROMIUM, url, data, language)
