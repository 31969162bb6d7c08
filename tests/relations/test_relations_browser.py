"""In a real browser, in French and Dutch: a GASAP's team declares its relation profile and it shows; a visitor compares
the short chains of Brussels on "intermediaries" and "who sets the price"; a resident on a phone finds food aid open now
without referral; a volunteer draws a threatened field on the map and it shows on the land layer with its stage."""

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
for fridge_name in ("Frigo du Parvis", "Frigo de la Porte de Hal"):
    fridge = create_place(data={{"name": {{"fr": fridge_name}}, "categories": ["community-fridge"], "geometry": point(4.3460, 50.8275),
        "opening_hours": "Mo-Su 00:00-24:00"}}).place
    PlaceMaintainer.objects.create(place=fridge, organisation=team)
    print(fridge.public_id)
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
    *_, fridge_fr, fridge_nl, server.gasap = made.stdout.strip().splitlines()
    server.fridges = {"fr": (fridge_fr, "Frigo du Parvis"), "nl": (fridge_nl, "Frigo de la Porte de Hal")}
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
        page.locator(".upload-form button[type=submit]").click()
        page.wait_for_selector("[role=status]")
        assert published in page.inner_text("[role=status]")
        assert "Anderlecht" in page.inner_text(".compare-table")
        assert not _serious(page)
        screenshot(page, f"land-{language}-phone.png")
        page.locator(".land-list a").first.click()
        assert stage in page.inner_text("main")
    _browser(scenario)


GEOMAN = AXE.parent.parent / "@geoman-io" / "leaflet-geoman-free" / "dist" / "leaflet-geoman.min.js"
DRAW_WORDS = {
    "fr": {"outside": "Le champ est hors de Belgique", "stage": "enquête publique", "since": "depuis le 2026-11-02"},
    "nl": {"outside": "Het veld ligt buiten België", "stage": "openbaar onderzoek", "since": "sinds 2026-11-02"},
}
LILLE = "50.6300, 3.0500\n50.6300, 3.0600\n50.6400, 3.0600\n50.6400, 3.0500"


def _log_in(page, url: str) -> None:
    page.goto(url + "/accounts/login")
    page.fill("#id_username", "gaelle")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/accounts/profile$"))


def _settled_box(page, selector: str) -> dict:
    """The element's box once a scroll has ended (two readings 100 ms apart agree)."""
    box = page.locator(selector).bounding_box()
    for _ in range(30):
        page.wait_for_timeout(100)
        again = page.locator(selector).bounding_box()
        if again == box:
            return box
        box = again
    return box


def _tap(page, device: str, x: float, y: float) -> None:
    if device == "phone":
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)


@pytest.mark.parametrize("device", ["laptop", "phone"])
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_volunteer_draws_a_threatened_field_and_it_appears_on_the_map_with_its_stage(instance, language, device):
    if not GEOMAN.exists():
        pytest.skip("leaflet-geoman is installed by `npm ci`")
    name = f"Champ dessiné {language} {device}"
    # Each run draws in its own spot of Neerpede (Anderlecht), at a zoom where 120 px is about 90 m.
    lon = 4.2600 + 0.004 * ["fr", "nl"].index(language) + 0.002 * ["laptop", "phone"].index(device)
    view = f"/land/?lat=50.8300&lon={lon:.4f}&z=17"

    def scenario(browser):
        words = DRAW_WORDS[language]
        page = _context(browser, language, PHONE if device == "phone" else LAPTOP).new_page()
        _log_in(page, instance.url)
        page.goto(instance.url + view + "#draw")
        # Typed corners outside Belgium are refused in the page's language, and nothing is written.
        page.fill("#id_outline", LILLE)
        page.locator("#draw-form button[type=submit]").click()
        assert words["outside"] in page.inner_text("#draw-form")
        page.goto(instance.url + view + "#draw")
        page.wait_for_selector(".draw-buttons:not([hidden])")
        page.click("#draw-start")
        box = _settled_box(page, "#land-map")  # "Draw on the map" scrolls the map into view first
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        corners = [(cx - 60, cy - 60), (cx + 60, cy - 60), (cx + 60, cy + 60), (cx - 60, cy + 60)]
        for x, y in corners:
            _tap(page, device, x, y)
            page.wait_for_timeout(150)
        if device == "phone":
            screenshot(page, f"land-drawing-{language}-phone.png")
            page.click("#draw-finish")  # a finger finishes with the button under the map
        else:
            _tap(page, device, *corners[0])  # back on the first corner closes the outline
        page.wait_for_selector("#land-map[data-drawn]")
        assert len(page.input_value("#id_outline").splitlines()) == 4
        screenshot(page, f"land-draw-{language}-{device}.png")
        page.fill("#id_name", name)
        page.select_option("#id_threat", "urbanisation")
        page.select_option("#id_stage", "public_inquiry")
        page.fill("#id_stage_from", "2026-11-02")
        page.fill("#id_stage_to", "2026-12-02")
        page.fill("#id_permit_reference", "PU/2026/118")
        assert not _serious(page)
        page.locator("#draw-form button[type=submit]").click()
        page.wait_for_url(re.compile(r".*/places/\w+$"))
        assert words["stage"] in page.inner_text("main") and "PU/2026/118" in page.inner_text("main")
        # On the land layer's map the field is drawn; its popup gives its stage with its dates.
        page.goto(instance.url + view)
        page.wait_for_selector("#land-map[data-fields]")
        page.wait_for_selector("#land-map path.leaflet-interactive")
        box = _settled_box(page, "#land-map")
        _tap(page, device, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        popup = page.wait_for_selector(".leaflet-popup-content")
        assert name in popup.inner_text() and words["stage"] in popup.inner_text() and words["since"] in popup.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= (375 if device == "phone" else 1366)
        screenshot(page, f"land-layer-{language}-{device}.png")
    _browser(scenario)


CLOSURE_WORDS = {"fr": ("Fermé aujourd'hui (congés)", "Retour le lundi"), "nl": ("Vandaag gesloten (vakantie)", "Terug op maandag")}


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_team_closes_its_food_aid_place_for_holidays_and_open_now_leaves_it_out_on_a_phone(instance, language):
    import datetime

    today = datetime.date.today()

    def scenario(browser):
        closed, note = CLOSURE_WORDS[language]
        fridge, name = instance.fridges[language]
        page = _context(browser, language, PHONE).new_page()
        _log_in(page, instance.url)
        page.goto(f"{instance.url}/food-aid/now?territory=04000&referral=any")
        assert name in page.inner_text("main")
        page.goto(f"{instance.url}/places/{fridge}")
        page.locator(".closures-invite a").click()
        page.fill("#id_start", today.isoformat())
        page.fill("#id_end", (today + datetime.timedelta(days=4)).isoformat())
        page.select_option("#id_reason", "holidays")
        page.fill(f"#id_note_{language}", note)
        assert not _serious(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        screenshot(page, f"closures-form-{language}-phone.png")
        page.locator(".closures-form button[type=submit]").click()
        page.wait_for_url(re.compile(r".*/places/\w+#food-aid-access$"))
        assert closed in page.inner_text("#open-now").replace("\u2019", "'")
        assert note in page.inner_text("#food-aid-access")
        screenshot(page, f"closures-place-{language}-phone.png")
        page.goto(f"{instance.url}/food-aid/now?territory=04000&referral=any")
        assert name not in page.inner_text("main")
    _browser(scenario)
