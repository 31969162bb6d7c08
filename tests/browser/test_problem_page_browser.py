"""The problem page on a phone, in French and Dutch: the visitor reads what happened and finds a way on."""

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 812}
WORDS = {"fr-BE": ("Cette page n’existe pas", "Vers la page d’accueil"), "nl-BE": ("Deze pagina bestaat niet", "Naar de startpagina")}


@pytest.mark.parametrize("locale", sorted(WORDS))
def test_a_missing_place_is_a_readable_page_in_the_visitor_s_language_with_a_way_home(chromium, site, locale):
    context = chromium.new_context(viewport=PHONE, locale=locale, is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    try:
        answer = page.goto(site + "/places/NO-SUCH-PLACE/history")
        heading, home = WORDS[locale]
        assert answer.status == 404
        assert page.locator("h1").inner_text() == heading
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing to scroll sideways
        screenshot(page, f"problem-{locale[:2]}.png")
        page.get_by_role("link", name=home).click()
        page.wait_for_url(site + "/")
    finally:
        context.close()
