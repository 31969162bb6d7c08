"""A resident on a laptop and a phone, in French and Dutch: food aid open now (and why there is none), a compost near 1030, the language switch."""

import re

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_phone_browser import LAPTOP, PHONE, assert_no_serious_violation, browsing, wait_for_view

pytestmark = pytest.mark.browser
DEVICES = {"laptop": LAPTOP, "phone": PHONE}
EMPTY_CATEGORY = {"fr": "Aucun lieu « Aide alimentaire » n'a encore été ajouté", "nl": "Er is nog geen plek ‘Voedselhulp’ toegevoegd"}
OPEN_NOW_LEAVES_OUT = {"fr": "« Ouvert maintenant » écarte", "nl": "‘Nu open’ laat"}
CHANGE_TO = {"fr": "NL", "nl": "FR"}


def open_filters(page, device):
    if device == "phone":
        page.click("#filters-toggle")


def close_filters(page, device):
    if device == "phone":
        page.click(".panel-done")


@pytest.mark.parametrize("device", ["laptop", "phone"])
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_food_aid_open_now_says_why_there_is_none_and_what_to_do(chromium, site, language, device):
    with browsing(chromium, DEVICES[device], language) as page:
        page.goto(site + "/")
        wait_for_view(page)
        open_filters(page, device)
        page.select_option("#f-category", "food-aid")
        page.check("input[name=open]")
        close_filters(page, device)
        page.wait_for_selector("#empty-help .empty-title")
        assert wait_for_view(page) == 0
        help = page.locator("#empty-help")
        assert help.get_attribute("aria-live") == "polite"
        text = help.inner_text()
        assert EMPTY_CATEGORY[language] in text
        assert page.locator("#empty-help a.add-place").first.get_attribute("href") == "/places/new?category=food-aid"
        assert page.locator("#empty-help button[data-way=drop-category]").is_visible()
        help.scroll_into_view_if_needed()
        assert_no_serious_violation(page)
        screenshot(page, f"empty-food-aid-{device}-{language}.png")
        # Dropping the category (the filter that removed everything) brings places back, open now kept.
        page.click("#empty-help button[data-way=drop-category]")
        page.wait_for_function("() => document.querySelector('#f-category').value === ''")
        total = wait_for_view(page)
        if total == 0:  # nothing open at this hour in view: the help now names what "open now" leaves out
            page.wait_for_selector("#empty-help button[data-way=drop-open]")
            assert OPEN_NOW_LEAVES_OUT[language] in page.locator("#empty-help").inner_text()


@pytest.mark.parametrize("device", ["laptop", "phone"])
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_resident_finds_a_compost_near_1030_and_opens_it(chromium, site, language, device):
    with browsing(chromium, DEVICES[device], language) as page:
        page.goto(site + "/")
        wait_for_view(page)
        open_filters(page, device)
        # An unknown postcode says so, also to a screen reader.
        page.fill("#f-near", "0000")
        page.press("#f-near", "Tab")
        page.wait_for_selector("#f-near[aria-invalid=true]")
        assert "0000" in page.inner_text("#f-near-error") and "0000" in page.inner_text("#map-status")
        page.fill("#f-near", "1030")
        page.press("#f-near", "Tab")
        page.wait_for_selector("#f-near:not([aria-invalid])")
        assert "0000" not in page.inner_text("#map-status")
        page.select_option("#f-category", "neighbourhood-compost")
        close_filters(page, device)
        page.wait_for_function("() => new URLSearchParams(location.search).get('near') && new URLSearchParams(location.search).get('category')")
        assert wait_for_view(page) > 0
        page.wait_for_selector("#list-items .place-item .distance")
        if device == "phone":
            page.click(".view-toggle button[data-view=list]")
        assert_no_serious_violation(page)
        screenshot(page, f"compost-near-1030-{device}-{language}.png")
        first = page.locator("#list-items .place-item a").first
        name = first.inner_text()
        first.click()
        page.wait_for_selector("h1")
        assert page.inner_text("h1").strip() == name.strip()
        assert_no_serious_violation(page)


@pytest.mark.parametrize("device", ["laptop", "phone"])
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_language_switch_keeps_the_filters_and_the_view(chromium, site, language, device):
    with browsing(chromium, DEVICES[device], language) as page:
        page.goto(site + "/map?lat=50.86500&lon=4.38500&z=15")
        wait_for_view(page)
        open_filters(page, device)
        page.select_option("#f-category", "neighbourhood-compost")
        page.fill("#f-q", "compost")
        close_filters(page, device)
        page.wait_for_function("() => new URLSearchParams(location.search).get('q') === 'compost'")
        wait_for_view(page)
        page.evaluate("location.hash = 'list'")
        before = page.url
        if device == "phone":
            page.click(".menu-toggle")
        page.click(f"form.languages button[value={CHANGE_TO[language].lower()}]")
        page.wait_for_load_state("load")
        page.wait_for_selector(f"html[lang={CHANGE_TO[language].lower()}]")
        wait_for_view(page)
        after = page.url
        assert after.split("#")[1] == "list"
        query = dict(re.findall(r"([a-z]+)=([^&#]*)", after.split("?")[1]))
        assert query["category"] == "neighbourhood-compost" and query["q"] == "compost"
        assert (query["lat"], query["lon"], query["z"]) == ("50.86500", "4.38500", "15"), (before, after)
        assert page.input_value("#f-category") == "neighbourhood-compost" and page.input_value("#f-q") == "compost"
        screenshot(page, f"language-switch-{device}-{language}.png")


@pytest.mark.parametrize("device", ["laptop", "phone"])
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_open_data_page_is_reached_from_the_footer_and_names_each_licence(chromium, site, language, device):
    with browsing(chromium, DEVICES[device], language) as page:
        page.goto(site + "/directory")
        page.click("footer a[href='/open-data']")
        page.wait_for_selector("h1")
        assert page.locator("a[href='/api/dumps/latest']").count() >= 1
        text = page.inner_text("main")
        assert "ODbL-1.0" in text and "GPL-3.0-only" in text  # the demo mixes OSM (ODbL) and Schaerbeek (GPL) records
        assert page.evaluate("document.documentElement.scrollWidth") <= DEVICES[device]["viewport"]["width"]
        assert_no_serious_violation(page)
        screenshot(page, f"open-data-{device}-{language}.png")
