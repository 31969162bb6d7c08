"""From the map, a right click offers "add a place here": the form opens with its pin on that point (French and Dutch)."""

import pytest

pytestmark = pytest.mark.browser
WORDS = {"fr": ("fr-BE", "Ajouter un lieu ici"), "nl": ("nl-BE", "Hier een plek toevoegen")}


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_right_click_on_the_map_opens_the_form_with_the_pin_there(chromium, site, language):
    locale, words = WORDS[language]
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale=locale, extra_http_headers={"Accept-Language": language})
    page = context.new_page()
    try:
        page.goto(f"{site}/?lat=50.8650&lon=4.3850&z=15")
        page.wait_for_selector("#map[data-mode]:not([aria-busy])")
        box = page.locator("#map").bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, button="right")
        link = page.locator(".add-here")
        assert link.inner_text() == words
        link.click()
        page.wait_for_selector("#pin-map[data-pin]")
        lon, lat = (float(v) for v in page.get_attribute("#pin-map", "data-pin").split(","))
        assert abs(lon - 4.385) < 0.01 and abs(lat - 50.865) < 0.01
    finally:
        context.close()
