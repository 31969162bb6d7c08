"""In headless Chromium, in French and Dutch, on a laptop and a phone: a signed-in volunteer opens "Add a place" from the
header, types an address, nudges the pin, picks GASAP and its delivery day, and submits; the form has no serious
accessibility violation. The moderator then sees the suggested point on a small map."""

import os
import re

import pytest

from tests.browser.conftest import AXE, SCREENSHOTS
from tests.own_thread import run_on_own_thread

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
DEVICES = {
    "laptop": {"viewport": {"width": 1366, "height": 768}},
    "phone": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
}
WORDS = {
    "fr": {"locale": "fr-BE", "add": "Ajouter un lieu", "address": "Rue Josse Impens 12, 1030 Schaerbeek", "group": "Circuits courts",
           "day": "Mardi", "name": "name_fr"},
    "nl": {"locale": "nl-BE", "add": "Een plek toevoegen", "address": "Josse Impensstraat 12, 1030 Schaarbeek", "group": "Korte keten",
           "day": "Dinsdag", "name": "name_nl"},
}
PASSWORD = "a long volunteer passphrase"


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    """A real server for this module, without base-map tiles (nothing may leave the machine)."""
    from tests.opendata.live import Instance

    server = Instance(tmp_path_factory.mktemp("add-place"), "addplace")
    server.serve_options = ("--no-worker",)
    server.env.update(FOODCOMMONS_TILE_URL="", FOODCOMMONS_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def volunteer(instance):
    """A plain signed-up account (no role anywhere) and a platform moderator on the module's server."""
    script = ("from django.contrib.auth import get_user_model; U = get_user_model(); "
              f"U.objects.create_user('vol', 'vol@example.org', '{PASSWORD}'); U.objects.create_superuser('modo', 'modo@example.org', '{PASSWORD}')")
    done = instance.command("shell", "-c", script)
    assert done.returncode == 0, done.stderr
    return "vol"


def _serious(page) -> list:
    page.evaluate(AXE.read_text())  # not a script tag: the Content-Security-Policy refuses inline scripts
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations if v["impact"] in ("serious", "critical")]


def _save(page, name: str, full_page: bool) -> None:
    image = page.screenshot(full_page=full_page)
    assert image.startswith(b"\x89PNG")
    if os.environ.get("FOODCOMMONS_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / name).write_bytes(image)


@pytest.mark.parametrize("device", ["laptop", "phone"])
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_volunteer_adds_a_gasap_by_its_address_and_a_nudged_pin(instance, volunteer, language, device):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (scripts/test installs it when run as root)")
    if not AXE.exists():
        pytest.skip("axe-core is installed by `npm ci`")
    run_on_own_thread(_scenario, instance, language, device)


def _log_in(page, url):
    page.goto(url + "/accounts/login")
    page.fill("#id_username", "vol")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/accounts/profile$"))


def _scenario(instance, language, device):
    from playwright.sync_api import sync_playwright

    words = WORDS[language]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(**DEVICES[device], locale=words["locale"], extra_http_headers={"Accept-Language": language})
        page = context.new_page()
        outside = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "about:")) else None)
        _log_in(page, instance.url)
        page.goto(instance.url + "/")
        link = page.locator("header .add-place")
        assert link.is_visible() and link.get_attribute("aria-label") == words["add"]
        link.click()
        page.wait_for_selector("#pin-map")
        assert page.locator("[name=lon]").is_hidden()  # the pin fills it

        page.fill("#geocode-q", words["address"])
        page.click("#geocode-go")
        page.wait_for_selector("#pin-map[data-pin]")
        assert page.get_attribute("#pin-map", "data-approximate") == "true"
        assert "1030" in page.inner_text("#geocode-status")
        assert page.input_value("[name=postcode]") == "1030" and page.input_value("[name=house_number]") == "12"
        first = page.get_attribute("#pin-map", "data-pin")
        pin = page.locator("#pin-map .leaflet-marker-icon")
        pin.scroll_into_view_if_needed()
        box = pin.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 4
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 20, y + 12, steps=6)
        page.mouse.up()
        page.wait_for_function("(first) => document.querySelector('#pin-map').dataset.pin !== first", arg=first)
        assert page.get_attribute("#pin-map", "data-approximate") == "false"
        lon, lat = float(page.input_value("[name=lon]")), float(page.input_value("[name=lat]"))
        assert 4.3 < lon < 4.45 and 50.8 < lat < 50.9

        page.fill(f"[name={words['name']}]", f"GASAP des Lilas {device} {language}")
        delivery = page.locator("[name=attr_delivery_day]")
        assert delivery.is_hidden()  # until GASAP is chosen
        page.locator("summary", has_text=words["group"]).click()
        page.locator("input[name=categories][value=csa]").check()
        assert delivery.is_visible()
        delivery.select_option(label=words["day"])
        page.locator("#hours .hours-days label", has_text=words["day"].lower()).click()
        page.click("#hours-add")
        assert page.input_value("[name=opening_hours]") == "Tu 09:00-17:00"
        assert words["day"].lower() in page.inner_text("#hours-words")
        page.evaluate("window.scrollTo(0, 0)")
        # The laptop's whole form in one picture; the phone's first screen of it (map and pin).
        _save(page, f"{device}-add-place-{language}.png", full_page=device == "laptop")
        assert not _serious(page)

        page.click("main button[type=submit].primary")
        page.wait_for_load_state()
        assert page.locator("#suggestion-status, .message").count() or "/history" in page.url, page.inner_text("main")
        assert not outside, outside
        browser.close()


def test_the_moderator_sees_the_suggested_point_on_a_map(instance, volunteer):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (scripts/test installs it when run as root)")
    run_on_own_thread(_moderator, instance)


def _moderator(instance):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(locale="fr-BE", viewport={"width": 1366, "height": 768})
        page.goto(instance.url + "/accounts/login")
        page.fill("#id_username", "modo")
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(re.compile(r".*/accounts/profile$"))
        page.goto(instance.url + "/moderation/")
        page.locator("#suggestions a", has_text="GASAP des Lilas").first.click()
        page.wait_for_selector("#suggestion-map[data-shown='1'] .form-pin")
        browser.close()
