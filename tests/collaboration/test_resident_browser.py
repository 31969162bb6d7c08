"""In headless Chromium, in French and Dutch, on a laptop and a phone: a resident reads a place page, a visitor reports it closed,
a moderator closes it in one click, and the history reads as sentences; axe-core finds nothing serious."""

import os
import re

import pytest

from tests.browser.conftest import AXE, CHROMIUM_ARGS, SCREENSHOTS, screenshot
from tests.own_thread import run_on_own_thread

CHROMIUM = "/usr/bin/chromium"
DEVICES = {
    "laptop": {"viewport": {"width": 1366, "height": 768}},
    "phone": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
}
LOCALES = {"fr": "fr-BE", "nl": "nl-BE"}
WORDS = {
    "fr": {"summary": "Épicerie sociale à Schaerbeek", "street": "Rue Josse Impens 3", "phone": "Téléphone", "access": "Pas besoin d’orientation",
           "hours": "Mardi et jeudi : de 10 h 00 à 16 h 00", "maps": "Ouvrir dans une application de cartes", "history": "proposé par",
           "fresh": "Pas encore confirmé par son équipe"},
    "nl": {"summary": "Sociale kruidenier in Schaarbeek", "street": "Josse Impensstraat 3", "phone": "Telefoon", "access": "Geen doorverwijzing nodig",
           "hours": "Dinsdag en donderdag: van 10.00 u tot 16.00 u", "maps": "Openen in een kaartenapp", "history": "voorgesteld door",
           "fresh": "Nog niet bevestigd door het team"},
}
PLACE = {
    "name": {"fr": "Épicerie solidaire Josse", "nl": "Solidaire kruidenier Josse"},
    "description": {"fr": "Ouvert le **mardi** et le jeudi, sans rendez-vous.", "nl": "Open op **dinsdag** en donderdag, zonder afspraak."},
    "categories": ["social-grocery"],
    "geometry": {"type": "Point", "coordinates": [4.3812, 50.8668]},
    "address": {"street": "Rue Josse Impens", "house_number": "3", "postcode": "1030", "locality": "Schaerbeek"},
    "contacts": [{"kind": "phone", "value": "02 244 75 11"}, {"kind": "email", "value": "josse@example.org"}],
    "opening_hours": "Tu,Th 10:00-16:00",
    "attributes": {"referral_required": False, "price": "symbolic"},
    "comment": "Liste des épiceries sociales — accepted by moda",
}


def _whole_page(page, name: str) -> None:
    """Take a screenshot of the whole page (the place page is read by scrolling); saved with FOODCOMMONS_SCREENSHOTS=1."""
    image = page.screenshot(full_page=True)
    assert image.startswith(b"\x89PNG")
    if os.environ.get("FOODCOMMONS_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / name).write_bytes(image)


def _axe(page) -> None:
    if not AXE.exists():
        pytest.skip("axe-core is installed by `npm ci`")
    page.evaluate(AXE.read_text())  # not a script tag: the Content-Security-Policy refuses inline scripts
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, (page.url, serious)


@pytest.mark.browser
def test_a_resident_reads_a_place_a_visitor_reports_it_closed_and_a_moderator_closes_it_in_one_click(instance):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    run_on_own_thread(_scenario, instance)


def _scenario(instance):
    from playwright.sync_api import sync_playwright

    instance.env["DJANGO_SUPERUSER_PASSWORD"] = "a long moderator passphrase"
    assert instance.command("createsuperuser", "--noinput", "--username", "moda", "--email", "moda@example.org").returncode == 0
    place = instance.send("POST", "/api/places", instance.token(), PLACE)
    path = f"/places/{place['id']}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for device, options in DEVICES.items():
            for language, words in WORDS.items():
                context = browser.new_context(**options, locale=LOCALES[language])
                page = context.new_page()
                page.goto(instance.url + path)
                page.wait_for_load_state("networkidle")
                main = page.inner_text("main")
                for key in ("summary", "street", "phone", "access", "hours", "maps", "fresh"):
                    assert words[key] in main, (device, language, key, main)
                assert page.is_visible("#open-now") and page.inner_text("#open-now").strip()
                assert page.get_attribute("a.contact-phone", "href") == "tel:+3222447511" and page.inner_text("a.contact-phone") == "02 244 75 11"
                assert page.get_attribute("a.contact-email", "href") == "mailto:josse@example.org"
                assert re.match(r"geo:50\.866800,4\.381200", page.get_attribute(".directions a >> nth=0", "href"))
                assert page.query_selector(".description strong") and "**" not in main
                assert not page.is_visible(".field-origins") and not page.evaluate("document.querySelector('#provenance').open")
                assert page.evaluate("document.documentElement.scrollWidth") <= options["viewport"]["width"]
                _axe(page)
                _whole_page(page, f"{device}-place-{language}.png")
                page.goto(instance.url + path + "/history")
                assert words["history"] in page.inner_text("#history") and "accepted by" not in page.inner_text("#history")
                _axe(page)
                _whole_page(page, f"{device}-history-{language}.png")
                context.close()

        visitor = browser.new_context(locale="fr-BE").new_page()
        for comment in ("Le local est vide depuis juin.", "Fermé pour de bon, panneau sur la porte."):
            visitor.goto(instance.url + path + "/report")
            visitor.select_option("#id_reason", "closed")
            visitor.fill("#id_comment", comment)
            visitor.click("main button[type=submit]")
            visitor.wait_for_load_state()
            assert "/history" in visitor.url, visitor.inner_text("main")

        moderator = browser.new_context(**DEVICES["phone"], locale="nl-BE").new_page()
        moderator.goto(instance.url + "/accounts/login")
        moderator.fill("#id_username", "moda")
        moderator.fill("#id_password", "a long moderator passphrase")
        moderator.click("main button[type=submit]")
        moderator.wait_for_url(re.compile(r".*/accounts/profile$"))
        moderator.goto(instance.url + "/moderation/")
        reports = moderator.inner_text("#reports")
        assert "2 keer gemeld" in reports and "Le local est vide" in reports
        _axe(moderator)
        screenshot(moderator, "phone-moderation-nl.png")
        moderator.click("button.close-place")
        moderator.wait_for_url(re.compile(r".*/moderation/$"))
        assert "Nog niet" not in moderator.inner_text("#reports") and "De plek als gesloten aanduiden" not in moderator.content()
        assert instance.get(f"/api/places/{place['id']}")["status"] == "closed"
        moderator.goto(instance.url + path)
        assert "Deze plek is gesloten." in moderator.inner_text("main") and not moderator.query_selector("#open-now")
        moderator.goto(instance.url + path + "/history")
        latest = moderator.inner_text("#v2")
        assert "moda, die de plek sloot na een melding" in latest and "gesloten" in latest
        browser.close()
