"""The public map on a 375 x 812 touch phone (and a 320 px one), and that the laptop layout stays good, in French and Dutch."""

from contextlib import contextmanager

import pytest

from tests.browser.conftest import AXE, screenshot

pytestmark = pytest.mark.browser
SCHAERBEEK = "lat=50.8650&lon=4.3850&z=15"
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
LOCALES = {"fr": "fr-BE", "nl": "nl-BE"}
TAP = 44

# Every element a person can tap, seen as the tap target: a checkbox is tapped through its label.
TARGETS_TOO_SMALL = """(minimum) => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], .leaflet-marker-icon';
  const small = [];
  for (const element of document.querySelectorAll(selector)) {
    if (!element.checkVisibility({ visibilityProperty: true }) || element.closest('[inert], .visually-hidden')) continue;
    const target = (element.type === 'checkbox' || element.type === 'radio') && element.closest('label') || element;
    const box = target.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= 0 || box.left >= innerWidth) continue;  // the skip link waits off screen
    if (box.width < minimum - 0.5 || box.height < minimum - 0.5) {
      const text = (element.textContent || element.title || '').trim().slice(0, 30);
      small.push(`${element.tagName} ${element.id || element.className} "${text}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}"""


@contextmanager
def browsing(chromium, device, language, **options):
    """A page in its own browser context (a phone or a laptop) that may not reach beyond the machine."""
    context = chromium.new_context(**device, locale=LOCALES[language], **options)
    page = context.new_page()
    outside = []
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith(("http://127.0.0.1", "data:", "about:")) else None)
    try:
        yield page
    finally:
        context.close()
    assert not outside, f"requests left loopback: {outside}"


def wait_for_view(page):
    page.wait_for_selector("#map[data-mode]:not([aria-busy])")
    return int(page.get_attribute("#map", "data-total"))


def document_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def assert_no_serious_violation(page):
    if not AXE.exists():
        pytest.skip("axe-core is installed by `npm ci` (scripts/test does it when npm is present)")
    page.evaluate(AXE.read_text())  # not a script tag: the Content-Security-Policy refuses inline scripts
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious


def first_place_path(page, site):
    page.goto(f"{site}/?{SCHAERBEEK}")
    wait_for_view(page)
    return page.get_attribute("#list-items .place-item a >> nth=0", "href")


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_on_a_phone_the_map_is_the_first_screen_and_nothing_overflows(chromium, site, language):
    with browsing(chromium, PHONE, language) as page:
        page.goto(site + "/")
        assert wait_for_view(page) == 320
        box = page.locator("#map").bounding_box()
        assert box["y"] <= 150 and box["y"] + box["height"] <= 812
        assert page.locator("#f-category").is_hidden()  # the filters wait in their panel
        assert document_width(page) <= 375
        # The page goes on below the map: a swipe outside it (or on it, with one finger) scrolls to the list.
        assert page.evaluate("document.documentElement.scrollHeight") > 812
        page.wait_for_selector("#map[data-boundaries=shown]")
        screenshot(page, f"phone-map-{language}.png")


@pytest.mark.parametrize("path", ["/", "/directory/04000", "PLACE"])
def test_nothing_overflows_sideways_on_a_320_px_phone(chromium, site, path):
    with browsing(chromium, {**PHONE, "viewport": {"width": 320, "height": 640}}, "fr") as page:
        if path == "PLACE":
            path = first_place_path(page, site)
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
        assert document_width(page) <= 320
        if page.locator("#filters-toggle").count():
            page.click("#filters-toggle")
            page.click("#filters-panel summary")
            assert document_width(page) <= 320


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_every_control_on_the_phone_is_at_least_44_px(chromium, site, language):
    with browsing(chromium, PHONE, language) as page:
        place = first_place_path(page, site)
        assert page.locator(".place-marker").count() > 0
        assert page.evaluate(TARGETS_TOO_SMALL, TAP) == []
        page.click(".menu-toggle")
        assert page.locator("#site-menu nav a").first.is_visible()
        assert page.evaluate(TARGETS_TOO_SMALL, TAP) == []
        page.click(".menu-toggle")
        page.click("#filters-toggle")
        page.click("#filters-panel summary")
        assert page.evaluate(TARGETS_TOO_SMALL, TAP) == []
        for path in (place, "/directory/04000"):
            page.goto(site + path)
            page.wait_for_load_state("networkidle")
            assert page.evaluate(TARGETS_TOO_SMALL, TAP) == [], path


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_the_filters_panel_opens_and_closes_with_the_keyboard(chromium, site, language):
    with browsing(chromium, PHONE, language) as page:
        page.goto(site + "/")
        before = wait_for_view(page)
        toggle = page.locator("#filters-toggle")
        for _ in range(10):  # Tab from the top of the page until the Filters button
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "filters-toggle":
                break
        assert page.evaluate("document.activeElement.id") == "filters-toggle"
        page.keyboard.press("Enter")
        assert toggle.get_attribute("aria-expanded") == "true"
        assert page.locator("#f-category").is_visible()
        assert page.get_attribute("#filters-panel", "role") == "dialog"
        assert page.evaluate("document.activeElement.closest('#filters-panel') !== null")
        for _ in range(25):  # Tab reaches nothing behind the open panel (past its end, the browser's own controls)
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement === document.body || document.activeElement.closest('#filters-panel') !== null")
        page.select_option("#f-category", "compost-recovery")
        page.wait_for_function(f"() => document.querySelector('#map').dataset.total != '{before}' && !document.querySelector('#map').hasAttribute('aria-busy')")
        assert page.inner_text("#filters-count") == "1"
        screenshot(page, f"phone-filters-{language}.png")
        page.keyboard.press("Escape")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert page.locator("#f-category").is_hidden()
        assert page.evaluate("document.activeElement.id") == "filters-toggle"
        assert page.evaluate("document.querySelector('main').inert || document.querySelector('.map-layout').inert") is False
        page.keyboard.press("Enter")
        page.click(".panel-done")
        assert page.locator("#f-category").is_hidden() and toggle.get_attribute("aria-expanded") == "false"


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_tapping_a_marker_opens_its_popup_and_a_cluster_zooms_in(chromium, site, language):
    with browsing(chromium, PHONE, language) as page:
        page.goto(f"{site}/?{SCHAERBEEK}")
        wait_for_view(page)
        marker = page.locator(".place-marker").first
        marker.tap()
        popup = page.locator(".leaflet-popup")
        popup.wait_for()
        assert popup.locator("a[href^='/places/']").count() == 1
        close = {"fr": "Fermer", "nl": "Sluiten"}[language]
        assert popup.locator(".leaflet-popup-close-button").get_attribute("aria-label") == close
        assert page.get_attribute(".leaflet-control-zoom-in", "aria-label") == {"fr": "Zoom avant", "nl": "Inzoomen"}[language]
        page.goto(site + "/")
        wait_for_view(page)
        zoom = page.evaluate("new URLSearchParams(location.search).get('z')")
        page.locator(".cluster").first.tap()
        page.wait_for_function(f"() => new URLSearchParams(location.search).get('z') != '{zoom}'")


def swipe(cdp, fingers, start_y, distance):
    """Move `fingers` fingers up the screen by `distance` px, as a touch screen reports it."""
    def points(y):
        return [{"x": 120 + 100 * n, "y": y, "id": n} for n in range(fingers)]
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points(start_y)})
    for step in range(1, 16):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": points(start_y - step * distance / 15)})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_one_finger_on_the_map_scrolls_the_page_and_two_fingers_move_the_map(chromium, site):
    with browsing(chromium, PHONE, "fr") as page:
        page.goto(site + "/")
        wait_for_view(page)
        assert page.get_attribute("#map", "data-gestures") == "cooperative"
        centre = page.evaluate("new URLSearchParams(location.search).get('lat')")
        cdp = page.context.new_cdp_session(page)
        swipe(cdp, 1, 500, 300)
        page.wait_for_timeout(500)
        assert page.evaluate("window.scrollY") > 100
        assert page.evaluate("new URLSearchParams(location.search).get('lat')") == centre
        assert page.locator(".map-hint").count() == 1
        page.evaluate("window.scrollTo(0, 0)")
        swipe(cdp, 2, 500, 200)
        page.wait_for_function(f"() => new URLSearchParams(location.search).get('lat') != '{centre}'")


def test_the_list_and_the_map_take_turns_on_a_phone(chromium, site):
    with browsing(chromium, PHONE, "nl") as page:
        page.goto(f"{site}/?{SCHAERBEEK}")
        total = wait_for_view(page)
        page.click(".view-toggle button[data-view=list]")
        assert page.locator("#map").is_hidden()
        assert page.locator("#list-items .place-item").count() == total
        assert page.locator("#list-title").bounding_box()["y"] < 200
        assert page.get_attribute(".view-toggle button[data-view=list]", "aria-pressed") == "true"
        page.click(".view-toggle button[data-view=map]")
        assert page.locator("#map").is_visible() and page.locator(".place-marker").count() == total


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_my_location_is_asked_only_on_request_and_shows_you_are_here(chromium, site, language):
    options = {"geolocation": {"latitude": 50.8676, "longitude": 4.3737, "accuracy": 30}, "permissions": ["geolocation"]}
    with browsing(chromium, PHONE, language, **options) as page:
        page.add_init_script("""(() => { const ask = navigator.geolocation.getCurrentPosition.bind(navigator.geolocation);
          window.positionRequests = 0;
          navigator.geolocation.getCurrentPosition = (...args) => { window.positionRequests += 1; return ask(...args); }; })()""")
        page.goto(site + "/")
        wait_for_view(page)
        assert page.evaluate("window.positionRequests") == 0
        page.click(".map-toolbar .locate")
        page.wait_for_selector(".you-are-here")
        assert page.evaluate("window.positionRequests") == 1
        page.wait_for_function("() => new URLSearchParams(location.search).get('near')")
        assert page.inner_text("#map-status") == {"fr": "Vous êtes ici", "nl": "U bent hier"}[language]
        assert page.get_attribute(".you-are-here", "title") == page.inner_text("#map-status")
        if language == "nl":
            screenshot(page, "phone-location-nl.png")


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_on_a_laptop_the_filters_stay_above_the_map_and_the_list_beside_it(chromium, site, language):
    with browsing(chromium, LAPTOP, language) as page:
        page.goto(site + "/")
        wait_for_view(page)
        assert page.locator("#f-category").is_visible() and page.locator("#filters-toggle").is_hidden()
        assert page.locator(".menu-toggle").is_hidden() and page.locator("#site-menu nav a").first.is_visible()
        map_box, list_box = page.locator("#map").bounding_box(), page.locator("#list").bounding_box()
        assert map_box["y"] + map_box["height"] <= 768 and list_box["x"] > map_box["x"] + map_box["width"] - 1
        assert document_width(page) <= 1366
        page.wait_for_selector("#map[data-boundaries=shown]")
        screenshot(page, f"laptop-map-{language}.png")


@pytest.mark.parametrize("language", ["fr", "nl"])
@pytest.mark.parametrize("path", ["/", "FILTERS", "/directory/04000", "PLACE"])
def test_phone_pages_have_no_serious_accessibility_violation(chromium, site, language, path):
    with browsing(chromium, PHONE, language) as page:
        if path == "PLACE":
            path = first_place_path(page, site)
        page.goto(site + ("/" if path == "FILTERS" else path))
        page.wait_for_load_state("networkidle")
        if path == "FILTERS":
            page.click("#filters-toggle")
        assert_no_serious_violation(page)
