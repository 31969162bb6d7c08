"""A visitor finds an event, registers without an account, confirms by the e-mailed link and downloads the .ics, in French and Dutch."""

import json
import os
import re
import subprocess
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tests.browser.conftest import AXE, CHROMIUM, CHROMIUM_ARGS, screenshot
from tests.browser.server import FOODCOMMONS, server_env, serving
from tests.own_thread import run_on_own_thread

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
LOCALES = {"fr": "fr-BE", "nl": "nl-BE"}


@pytest.fixture(scope="module")
def events_site(tmp_path_factory):
    """`foodcommons serve` without demo places (territories only), its worker writing e-mails under the data folder, and one event."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    data = tmp_path_factory.mktemp("events-site")
    env = server_env(data)
    with serving(data, "--no-demo", ready="/events/", env=env) as url:
        yield from _with_one_event(url, data, env)


def _with_one_event(url, data, env):
    """Yield the site with one event of alice's, published through the API."""
    token = subprocess.run([FOODCOMMONS, "token", "create", "alice"], env=env, capture_output=True, text=True, check=True).stdout.strip().split()[-1]
    day = (datetime.now(ZoneInfo("Europe/Brussels")) + timedelta(days=20)).replace(hour=13, minute=0, second=0, microsecond=0)
    body = {"title": {"fr": "Atelier des alternatives bruxelloises", "nl": "Atelier van de Brusselse alternatieven"},
            "description": {"fr": "Co-créer une plateforme en open data.", "nl": "Samen een open-dataplatform bouwen."},
            "starts_at": day.isoformat(), "ends_at": (day + timedelta(hours=5)).isoformat(), "capacity": 30, "territory": "21015",
            "address": "Grafik, Avenue Louis Bertrand 30, 1030 Schaerbeek", "questions": ["Quelle alternative représentez-vous ?"],
            "programme": [{"title": {"fr": "Petit mot d'introduction", "nl": "Korte inleiding"}, "starts_at": day.isoformat(),
                           "ends_at": (day + timedelta(minutes=30)).isoformat()},
                          {"title": {"fr": "Une carte ? Pour partager quoi ?", "nl": "Een kaart? Om wat te delen?"},
                           "starts_at": (day + timedelta(minutes=100)).isoformat()}]}
    request = urllib.request.Request(url + "/api/events", data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        event = json.loads(response.read())
    yield url, data, event


def _mail_link(folder, email: str, kind: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(folder.glob("*")) if folder.exists() else []:
            for message in path.read_text(errors="replace").split("-" * 79):
                if f"To: {email}" in message and (found := re.search(rf"https?://\S+/events/{kind}/\S+", message)):
                    return found[0]
        time.sleep(0.3)
    raise AssertionError(f"no e-mail to {email} with a {kind} link")


def _no_serious_axe_violations(page):
    if not AXE.exists():
        pytest.skip("axe-core is installed by `npm ci`")
    page.evaluate(AXE.read_text())
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious


WORDS = {"fr": {"register": "S’inscrire", "almost": "Presque fini", "confirmed": "Votre inscription est confirmée", "ics": "Ajouter à mon agenda",
                "title": "Atelier des alternatives bruxelloises", "answer": "Quelle alternative représentez-vous ?"},
         "nl": {"register": "Inschrijven", "almost": "Bijna klaar", "confirmed": "Uw inschrijving is bevestigd", "ics": "Toevoegen aan mijn agenda",
                "title": "Atelier van de Brusselse alternatieven", "answer": "Quelle alternative représentez-vous ?"}}


def _scenario(chromium_path, url, data, event, language):
    from playwright.sync_api import sync_playwright

    words, email = WORDS[language], f"visitor-{language}@example.org"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        for device, options in (("laptop", LAPTOP), ("phone", PHONE)):
            context = browser.new_context(locale=LOCALES[language], accept_downloads=True, **options)
            page = context.new_page()
            outside = []
            page.on("request", lambda r, outside=outside: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "about:")) else None)
            page.goto(f"{url}/events/?territory=04000")
            page.get_by_role("link", name=words["title"]).click()
            assert page.get_by_role("heading", level=1).inner_text() == words["title"]
            _no_serious_axe_violations(page)
            screenshot(page, f"{device}-event-{language}.png")
            if device == "phone":
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling on a phone"
                context.close()
                assert not outside
                continue
            with page.expect_download() as download:
                page.get_by_role("link", name=re.compile(words["ics"])).click()
            cal = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
            (vevent,) = cal.walk("VEVENT")
            assert vevent["DTSTART"].params["TZID"] == "Europe/Brussels" and vevent["DTSTART"].dt.hour == 13
            page.get_by_label(re.compile("nom|naam", re.I)).fill("Visiteuse")
            page.get_by_label(re.compile("e-mail", re.I)).fill(email)
            page.get_by_label(words["answer"]).fill("Un GASAP")
            page.get_by_role("button", name=words["register"]).click()
            assert words["almost"] in page.locator("main").inner_text()
            _no_serious_axe_violations(page)
            page.goto(_mail_link(data / "mail", email, "confirm"))
            assert words["confirmed"] in page.locator("main").inner_text()
            _no_serious_axe_violations(page)
            assert "/events/cancel/" in _mail_link(data / "mail", email, "cancel")
            context.close()
            assert not outside, f"requests left loopback: {outside}"
        browser.close()


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_visitor_registers_without_an_account_and_confirms_by_the_emailed_link(events_site, language):
    url, data, event = events_site
    run_on_own_thread(_scenario, CHROMIUM, url, data, event, language)
