"""A real foodcommons server with the demo places, and headless Debian Chromium driven by Playwright."""

import os

import pytest

from tests.browser.server import ROOT, server_env, serving

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """`foodcommons serve` with the demo data on SQLite, without base-map tiles (no network), few places per view."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (scripts/test installs it when run as root)")
    data = tmp_path_factory.mktemp("browser-site")
    with serving(data, ready="/map/boundaries.geojson", env=server_env(data, FOODCOMMONS_MAP_RAW_LIMIT="20")) as url:
        yield url


@pytest.fixture(scope="module")
def chromium(site):
    """Chromium for one module: Playwright's sync API runs an event loop that must end before other browser tests."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="fr-BE")
    page = context.new_page()
    # Nothing may leave the machine: any request off loopback fails the test.
    outside = []
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith(("http://127.0.0.1", "data:", "about:")) else None)
    yield page
    context.close()
    assert not outside, f"requests left loopback: {outside}"


def screenshot(page, name: str) -> None:
    """Take a screenshot (the page renders); with FOODCOMMONS_SCREENSHOTS=1, save it into docs/screenshots."""
    image = page.screenshot()
    assert image.startswith(b"\x89PNG")
    if os.environ.get("FOODCOMMONS_SCREENSHOTS") == "1":  # a test run must not change the working tree
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / name).write_bytes(image)
