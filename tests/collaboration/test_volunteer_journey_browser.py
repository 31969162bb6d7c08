"""The whole first journey of a volunteer, in Dutch on a phone, on the platform as the README's first command starts it
(default e-mail delivery to files, the job worker beside the server): sign up, activate the account by the link in the
e-mail file, add a GASAP by its address with its delivery day; a moderator accepts it; it is then in the directory, in
search and in the map's list."""

import os
import re
import time

import pytest

from tests.browser.conftest import AXE
from tests.own_thread import run_on_own_thread

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
PASSWORD = "a long volunteer passphrase"
NAME = "GASAP van de Seringen"


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    """`serve` with its defaults: mail into files under the data folder, the job worker it supervises; no tiles."""
    from tests.opendata.live import Instance

    server = Instance(tmp_path_factory.mktemp("journey"), "journey")
    for name in ("FOODCOMMONS_BASE_URL", "FOODCOMMONS_EMAIL_BACKEND", "FOODCOMMONS_EMAIL_FILE_PATH", "FOODCOMMONS_TASKS_BACKEND"):
        server.env.pop(name, None)
    server.env["FOODCOMMONS_TILE_URL"] = ""
    server.start()
    script = f"from django.contrib.auth import get_user_model; get_user_model().objects.create_superuser('modo', 'modo@example.org', '{PASSWORD}')"
    assert server.command("shell", "-c", script).returncode == 0
    yield server
    server.stop()


def test_a_volunteer_signs_up_adds_a_gasap_and_once_accepted_people_find_it(instance):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (scripts/test installs it when run as root)")
    run_on_own_thread(_journey, instance)


def _mail_link(folder, pattern: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = "".join(path.read_text() for path in sorted(folder.glob("*"))) if folder.exists() else ""
        found = re.search(pattern, text)
        if found:
            return found.group(0)
        time.sleep(0.3)
    raise AssertionError(f"no e-mail with {pattern} under {folder}")


def _serious(page) -> list:
    if not AXE.exists():
        return []
    page.evaluate(AXE.read_text())
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [(v["id"], v["impact"]) for v in violations if v["impact"] in ("serious", "critical")]


def _log_in(page, url: str, username: str) -> None:
    page.goto(url + "/accounts/login")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/accounts/profile$"))


def _journey(instance):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        volunteer = browser.new_context(**PHONE, locale="nl-BE", extra_http_headers={"Accept-Language": "nl"}).new_page()
        volunteer.goto(instance.url + "/accounts/signup")
        volunteer.fill("#id_username", "sara")
        volunteer.fill("#id_email", "sara@example.org")
        volunteer.fill("#id_password", PASSWORD)
        volunteer.select_option("#id_language", "nl")
        volunteer.click("main button[type=submit]")
        assert "sara@example.org" in volunteer.inner_text("main")

        link = _mail_link(instance.dir / "mail", r"https?://\S+/accounts/activate/\S+")
        assert link.startswith(instance.url + "/"), "the link points to the address served"
        volunteer.goto(link)
        volunteer.click("main button[type=submit]")
        _log_in(volunteer, instance.url, "sara")

        volunteer.goto(instance.url + "/")
        volunteer.locator("header .add-place").click()
        volunteer.wait_for_selector("#pin-map")
        volunteer.fill("#geocode-q", "Josse Impensstraat 12, 1030 Schaarbeek")
        volunteer.click("#geocode-go")
        volunteer.wait_for_selector("#pin-map[data-pin]")
        volunteer.fill("[name=name_nl]", NAME)
        volunteer.locator("summary", has_text="Korte keten").click()
        volunteer.locator("input[name=categories][value=csa]").check()
        volunteer.locator("[name=attr_delivery_day]").select_option(label="Dinsdag")
        assert not _serious(volunteer)
        volunteer.click("main button[type=submit].primary")
        volunteer.wait_for_load_state()

        moderator = browser.new_context(locale="nl-BE", viewport={"width": 1366, "height": 768}).new_page()
        _log_in(moderator, instance.url, "modo")
        moderator.goto(instance.url + "/moderation/")
        moderator.locator("#suggestions a", has_text=NAME).first.click()
        moderator.select_option("#id_decision", "accept")
        moderator.click("main form button[type=submit]")
        moderator.wait_for_load_state()

        visitor = browser.new_context(**PHONE, locale="nl-BE", extra_http_headers={"Accept-Language": "nl"}).new_page()
        visitor.goto(instance.url + "/directory?q=Seringen")
        assert NAME in visitor.inner_text("main"), "the accepted place is in the directory and found by its name"
        found = visitor.request.get(instance.url + "/api/places?q=seringen").json()
        (place,) = found["places"]
        assert place["categories"] == ["csa"] and place["attributes"]["delivery_day"] == "tu"
        visitor.goto(instance.url + "/?q=Seringen")
        visitor.click("button[data-view=list]")
        visitor.wait_for_selector(f"#list-items >> text={NAME}")
        browser.close()
