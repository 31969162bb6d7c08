"""A real foodcommons server with the demo places, and headless Debian Chromium driven by Playwright."""

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """`foodcommons serve` with the demo data on SQLite, without base-map tiles (no network), few places per view."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (scripts/test installs it when run as root)")
    data = tmp_path_factory.mktemp("browser-site")
    port = _free_port()
    env = {**os.environ, "FOODCOMMONS_DATA_DIR": str(data), "FOODCOMMONS_TILE_URL": "", "FOODCOMMONS_MAP_RAW_LIMIT": "20"}
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    # The child writes to its own copy of the descriptor, so ours can close once it has started.
    with open(data / "serve.log", "ab") as log:
        process = subprocess.Popen([str(ROOT / ".venv" / "bin" / "foodcommons"), "serve", "--port", str(port)], env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(url + "/map/boundaries.geojson", timeout=2).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError((data / "serve.log").read_text()) from None
            time.sleep(0.3)
    yield url
    process.terminate()
    process.wait(timeout=10)


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
