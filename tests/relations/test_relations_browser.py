"""In a real browser, in French and Dutch: a GASAP's team declares its relation profile and it shows; a visitor compares
the short chains of Brussels on "intermediaries" and "who sets the price"; a resident on a phone finds food aid open now
without referral."""

import os
import re

import pytest

from tests.browser.conftest import AXE, CHROMIUM, CHROMIUM_ARGS, screenshot
from tests.own_thread import run_on_own_thread

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
PASSWORD = "a long gasap passphrase"
SETUP = f"""
from foodcommons.collaboration.models import Membership, Organisation, PlaceMaintainer
from foodcommons.places.services import create_place
from django.contrib.auth import get_user_model
team = Organisation.objects.create(slug="gasap-parvis", name="GASAP du Parvis")
user = get_user_model().objects.create_user("gaelle", "gaelle@example.org", "{PASSWORD}")
Membership.objects.create(user=user, organisation=team, role="editor")
def point(lon, lat):
    return {{"type": "Point", "coordinates": [lon, lat]}}
gasap = create_place(data={{"name": {{"fr": "GASAP du Parvis"}}, "categories": ["csa"], "geometry": point(4.3452, 50.8270)}}).place
PlaceMaintainer.objects.create(place=gasap, organisation=team)
create_place(data={{"name": {{"fr": "Marché des Tanneurs"}}, "categories": ["market"], "geometry": point(4.3465, 50.8375)}})
address = {{"street": "Rue Haute", "house_number": "12", "postcode": "1000", "locality": "Bruxelles"}}
create_place(data={{"name": {{"fr": "Épicerie Sociale Haute"}}, "categories": ["social-grocery"], "geometry": point(4.3517, 50.8366),
    "address": address, "opening_hours": "Mo-Su 00:00-24:00", "attributes": {{"referral_required": False, "price": "symbolic",
    "price_per": "visit", "price_amount": 2, "documents_required": "Carte d'identité", "languages_spoken": ["fr", "nl", "ar"],
    "access_modality": ["no_condition"]}}}})
create_place(data={{"name": {{"fr": "Colis du CPAS"}}, "categories": ["food-parcels"], "geometry": point(4.3530, 50.8400),
    "opening_hours": "Mo-Su 00:00-24:00", "attributes": {{"referral_required": True, "referral_by": "CPAS"}}}})
print(gasap.public_id)
"""
WORDS = {
    "fr": {"publish": "Publier ces faits", "sentence": "Le producteur fixe le prix.", "direct": "Vente directe",
           "producer": "Le producteur", "unknown": "pas encore déclaré", "no_referral": "Aucune orientation nécessaire."},
    "nl": {"publish": "Deze feiten publiceren", "sentence": "De producent bepaalt de prijs.", "direct": "Rechtstreekse verkoop",
           "producer": "De producent", "unknown": "nog niet opgegeven", "no_referral": "Geen doorverwijzing nodig."},
}


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    """`serve` without demo places, with a GASAP whose team has an editor, a market, and two food-aid places of Brussels."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    from tests.opendata.live import Instance

    server = Instance(tmp_path_factory.mktemp("relations"), "relations")
    server.env["FOODCOMMONS_TILE_URL"] = ""
    server.start()
    made = server.command("shell", "-c", SETUP)
    assert made.returncode == 0, made.stderr
    server.gasap = made.stdout.strip().splitlines()[-1]
    yield server
    server.stop()


def _serious(page) -> list:
    if not AXE.exists():
        return []
    page.evaluate(AXE.read_text())
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [(v["id"], v["impact"]) for v in violations if v["impact"] in ("serious", "critical")]


def _browser(scenario, *args):
    def run():
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                scenario(browser, *args)
            finally:
                browser.close()
    run_on_own_thread(run)


def _context(browser, language: str, device: dict):
    return browser.new_context(**device, locale=f"{language}-BE", extra_http_headers={"Accept-Language": language})


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_gasap_team_declares_its_profile_and_it_shows(instance, language):
    def scenario(browser):
        words = WORDS[language]
        page = _context(browser, language, LAPTOP).new_page()
        page.goto(instance.url + "/accounts/login")
        page.fill("#id_username", "gaelle")
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(re.compile(r".*/accounts/profile$"))
        page.goto(f"{instance.url}/places/{instance.gasap}")
        page.locator(".relation-invite a").first.click()
        page.select_option("#id_chain", "direct")
        page.select_option("#id_price_setter", "producer")
        page.select_option("#id_commitment", "season_prefinancing")
        page.locator("input[name=direct_contact][value=farm_visits]").check()
        assert not _serious(page)
        page.get_by_role("button", name=words["publish"]).click()
        page.wait_for_url(re.compile(r".*/places/\w+#relations$"))
        profile = page.inner_text("#relations")
        assert words["sentence"] in profile and words["direct"] in profile
        screenshot(page, f"relations-profile-{language}.png")
    _browser(scenario)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_visitor_compares_the_short_chains_of_brussels_on_intermediaries_and_who_sets_the_price(instance, language):
    def scenario(browser):
        words = WORDS[language]
        page = _context(browser, language, LAPTOP).new_page()
        page.goto(instance.url + "/relations/compare")
        for box in page.locator("input[name=criteria]").all():
            box.set_checked(box.get_attribute("value") in ("chain", "price_setter"))
        page.select_option("#territory", "04000")
        page.locator(".compare-filter button[type=submit]").click()
        page.wait_for_url(re.compile(r".*criteria=chain&criteria=price_setter.*|.*territory=04000.*"))
        table = page.locator(".compare-table")
        assert table.locator("thead th").count() == 3
        rows = {row.locator("th").inner_text(): row.inner_text() for row in table.locator("tbody tr").all()}
        assert set(rows) == {"GASAP du Parvis", "Marché des Tanneurs"}
        assert words["producer"] in rows["GASAP du Parvis"] and words["unknown"] in rows["Marché des Tanneurs"]
        assert not _serious(page)
        screenshot(page, f"relations-compare-{language}.png")
    _browser(scenario)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_resident_finds_food_aid_open_now_without_referral_on_a_phone(instance, language):
    def scenario(browser):
        words = WORDS[language]
        page = _context(browser, language, PHONE).new_page()
        page.goto(instance.url + "/food-aid/now?territory=04000")
        items = page.locator(".food-aid-item")
        assert items.count() == 1 and "Épicerie Sociale Haute" in items.first.inner_text()
        assert words["no_referral"] in items.first.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert not _serious(page)
        screenshot(page, f"food-aid-now-{language}-phone.png")
        items.first.locator("h2 a").click()
        page.wait_for_selector("#food-aid-access")
        assert words["no_referral"] in page.inner_text("#food-aid-access")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        screenshot(page, f"food-aid-place-{language}-phone.png")
    _browser(scenario)


FIELD = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "Champ de Neerpede"}, "geometry": {
    "type": "Polygon", "coordinates": [[[4.2700, 50.8250], [4.2714, 50.8250], [4.2714, 50.8259], [4.2700, 50.8259], [4.2700, 50.8250]]]}}]}
STAGE_WORDS = {"fr": ("1 champ(s) publié(s)", "enquête publique"), "nl": ("1 veld(en) gepubliceerd", "openbaar onderzoek")}


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_volunteer_reports_a_threatened_field_and_it_shows_with_its_stage_and_commune(instance, language, tmp_path):
    import json

    path = tmp_path / f"neerpede-{language}.geojson"
    path.write_text(json.dumps(FIELD))

    def scenario(browser):
        published, stage = STAGE_WORDS[language]
        page = _context(browser, language, PHONE).new_page()
        page.goto(instance.url + "/accounts/login")
        page.fill("#id_username", "gaelle")
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(re.compile(r".*/accounts/profile$"))
        page.goto(instance.url + "/land/")
        page.set_input_files("#land-file", str(path))
        page.select_option("#land-threat", "urbanisation")
        page.select_option("#land-stage", "public_inquiry")
        page.fill("#land-from", "2026-11-02")
        page.locator(".land-layer button[type=submit]").click()
        page.wait_for_selector("[role=status]")
        assert published in page.inner_text("[role=status]")
        assert "Anderlecht" in page.inner_text(".compare-table")
        assert not _serious(page)
        screenshot(page, f"land-{language}-phone.png")
        page.locator(".land-list a").first.click()
        assert stage in page.inner_text("main")
    _browser(scenario)
