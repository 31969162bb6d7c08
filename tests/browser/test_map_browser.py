import re
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import AXE, screenshot

pytestmark = pytest.mark.browser
SCHAERBEEK = "lat=50.8650&lon=4.3850&z=14"


def wait_for_view(page):
    page.wait_for_selector("#map[data-mode]:not([aria-busy])")
    return int(page.get_attribute("#map", "data-total"))


def test_the_map_loads_and_shows_clusters_over_our_own_boundaries(page, site):
    page.goto(site + "/")
    total = wait_for_view(page)
    assert total == 320  # the demo: Luxembourg shops, Schaerbeek composts, farmshops.eu of Brussels and Wallonia
    assert page.get_attribute("#map", "data-mode") == "aggregate"
    assert page.locator(".cluster").count() > 1
    page.wait_for_selector("#map[data-boundaries=shown]")
    assert page.get_attribute("#map", "data-tiles") == "none"
    assert page.locator("path.leaflet-interactive, svg path").count() >= 11
    screenshot(page, "map.png")


def test_a_category_filter_changes_the_visible_count_and_the_url(page, site):
    page.goto(site + "/")
    before = wait_for_view(page)
    page.select_option("#f-category", "compost-recovery")
    page.wait_for_function(f"() => document.querySelector('#map').dataset.total != '{before}' && !document.querySelector('#map').hasAttribute('aria-busy')")
    after = int(page.get_attribute("#map", "data-total"))
    assert 0 < after < before
    assert parse_qs(urlparse(page.url).query)["category"] == ["compost-recovery"]
    page.reload()
    assert wait_for_view(page) == after  # the URL alone restores the view


def test_the_list_follows_the_map(page, site):
    page.goto(site + "/")
    wait_for_view(page)
    assert page.locator("#list-items .cluster-item").count() == page.locator(".cluster").count()
    page.goto(f"{site}/?{SCHAERBEEK}")
    total = wait_for_view(page)
    assert page.get_attribute("#map", "data-mode") == "places"
    assert page.locator("#list-items .place-item").count() == total > 0
    assert re.search(r"\d+", page.inner_text("#count"))


def test_a_place_opens_from_the_list_with_the_keyboard(page, site):
    page.goto(f"{site}/?{SCHAERBEEK}")
    wait_for_view(page)
    link = page.locator("#list-items .place-item a").first
    name = link.inner_text()
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("article.place h1")
    assert page.inner_text("article.place h1") == name
    # The contribute links once each (the freshness note also invites a correction, through the same edit page).
    assert page.locator("nav.actions a[href$='/edit']").count() == 1 and page.locator("nav.actions a[href$='/report']").count() == 1
    page.wait_for_selector("#place-map .leaflet-interactive")
    screenshot(page, "place.png")


def test_the_language_switch_changes_the_interface(page, site):
    page.goto(site + "/")
    assert page.inner_text("nav[aria-label] a >> nth=0") == "Carte"
    page.click("button[name=language][value=nl]")
    page.wait_for_selector("html[lang=nl]")
    assert page.inner_text("nav[aria-label] a >> nth=0") == "Kaart"
    assert page.inner_text("label[for=f-category]") == "Categorie"
    page.click("button[name=language][value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.inner_text("label[for=f-category]") == "Category"


def test_the_widget_page_renders_a_snippet_and_a_preview(page, site):
    page.goto(site + "/widget")
    from playwright.sync_api import expect

    page.select_option("#w-category", "compost-recovery")
    expect(page.locator("#snippet")).to_have_value(re.compile(r"embed\?category=compost-recovery"))
    # The preview reloads with the new category: wait for the new document, not the old one.
    frame = page.frame_locator("#preview")
    expect(frame.locator("#f-category")).to_have_value("compost-recovery")
    frame.locator("#map[data-mode]").wait_for()
    page.wait_for_timeout(300)
    screenshot(page, "widget.png")


def test_the_first_thing_the_keyboard_reaches_is_the_skip_link(page, site):
    page.goto(site + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    assert page.locator("main#main").count() == 1 and page.locator("header").count() >= 1
    for control in page.locator("#filters select, #filters input:not([type=hidden])").all():
        control_id = control.get_attribute("id")
        labelled = control_id and page.locator(f"label[for='{control_id}']").count()
        assert labelled or control.evaluate("e => !!e.closest('label')")


@pytest.mark.parametrize("path", ["/", "/directory/04000", "/widget", "PLACE", "/places/NO-SUCH-PLACE/history"])
def test_pages_have_no_serious_accessibility_violation(page, site, path):
    if not AXE.exists():
        pytest.skip("axe-core is installed by `npm ci` (scripts/test does it when npm is present)")
    if path == "PLACE":
        page.goto(f"{site}/?{SCHAERBEEK}")
        wait_for_view(page)
        path = page.get_attribute("#list-items .place-item a >> nth=0", "href")
    page.goto(site + path)
    page.wait_for_load_state("networkidle")
    page.evaluate(AXE.read_text())  # not a script tag: the pages' Content-Security-Policy refuses inline scripts
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious


def test_the_map_counts_in_french_with_the_singular_for_zero_and_one(page, site):
    page.goto(site + "/?q=zzzz-nothing-matches")
    assert wait_for_view(page) == 0
    assert page.inner_text("#count") == "(0 lieu)"
    assert page.evaluate("() => new Intl.PluralRules('fr').select(1) + ' ' + new Intl.PluralRules('nl').select(0)") == "one other"
