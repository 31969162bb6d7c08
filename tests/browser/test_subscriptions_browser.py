"""A visitor follows a territory (laptop) and a place (phone) and confirms by the e-mailed link; a visitor subscribes to the
newsletter, an editor composes an issue from what is new with one click and sends it, the subscriber receives it in their
language, and the issue has its public page — in French and in Dutch."""

import re
import subprocess
import time

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, screenshot
from tests.browser.server import FOODCOMMONS, server_env, serving
from tests.browser.test_events_browser import LAPTOP, LOCALES, PHONE, _no_serious_axe_violations
from tests.own_thread import run_on_own_thread

pytestmark = pytest.mark.browser
PASSWORD = "a long password 123"
SETUP = f"""
from django.contrib.auth import get_user_model
from foodcommons.collaboration.models import Membership, Organisation
from foodcommons.places.services import create_place
user = get_user_model().objects.create_user("edith", "edith@example.org", "{PASSWORD}")
organisation = Organisation.objects.create(slug="manger-demain", name="Manger Demain")
Membership.objects.create(user=user, organisation=organisation, role="editor")
create_place(data={{"name": {{"fr": "Compost de quartier Josaphat", "nl": "Buurtcompost Josaphat"}}, "categories": ["neighbourhood-compost"],
    "geometry": {{"type": "Point", "coordinates": [4.3779782, 50.8624152]}}}})
"""
NEW_PROJECT = """
from foodcommons.collaboration.models import Organisation
from foodcommons.knowledge.services import create_project
create_project(author=None, check_role=False, data={{"title_fr": "{fr}", "title_nl": "{nl}", "summary_fr": "Des repas locaux dans les écoles.",
    "summary_nl": "Lokale maaltijden in de scholen.", "organisations": [Organisation.objects.get(slug="manger-demain")]}})
"""
WORDS = {
    "fr": {"follow": "Suivre", "email": "Votre adresse e-mail", "almost": "presque fini", "following": "Vous le suivez désormais",
           "subscribe": "S’abonner", "subscribed": "Vous êtes abonné·e", "newsletter": "La lettre d’information", "start": "Commencer un nouveau numéro",
           "add": "Ajouter", "title": "Titre (français)", "send": "Enregistrer et envoyer", "issue": "Lettre des communs, juin",
           "project": "Cantines locales de Namur", "project_nl": "Lokale kantines van Namen", "territory": "Schaerbeek",
           "place": "Compost de quartier Josaphat"},
    "nl": {"follow": "Volgen", "email": "Uw e-mailadres", "almost": "Bijna klaar", "following": "U volgt het nu",
           "subscribe": "Abonneren", "subscribed": "U bent geabonneerd", "newsletter": "De nieuwsbrief", "start": "Een nieuw nummer beginnen",
           "add": "Toevoegen", "title": "Titel (Nederlands)", "send": "Opslaan en versturen", "issue": "Nieuwsbrief van de commons, juni",
           "project": "Cantines locales de Liège", "project_nl": "Lokale kantines van Luik", "territory": "Schaarbeek", "place": "Buurtcompost Josaphat"},
}


@pytest.fixture(scope="module")
def subscriptions_site(tmp_path_factory):
    """`foodcommons serve` without demo places, its worker writing e-mails under the data folder; an editor and one place in Schaerbeek."""
    import os

    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    data = tmp_path_factory.mktemp("subscriptions-site")
    env = server_env(data)
    with serving(data, "--no-demo", ready="/knowledge/", env=env) as url:
        subprocess.run([FOODCOMMONS, "shell", "-c", SETUP], env=env, check=True, capture_output=True)
        yield url, data, env


def mail_to(folder, email: str, pattern: str, timeout: float = 60) -> tuple[str, str]:
    """Wait for the e-mail to `email` whose text matches `pattern`; return (the message, the match)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(folder.glob("*")) if folder.exists() else []:
            for message in path.read_text(errors="replace").split("-" * 79):
                if f"To: {email}" in message and (found := re.search(pattern, message)):
                    return message, found[0]
        time.sleep(0.3)
    raise AssertionError(f"no e-mail to {email} matching {pattern}")


def _follow(browser, url, data, language, device, target):
    words, email = WORDS[language], f"{device}-{language}@example.org"
    context = browser.new_context(locale=LOCALES[language], **(PHONE if device == "phone" else LAPTOP))
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "about:")) else None)
    page.goto(url + "/directory/21015")
    assert page.get_by_role("heading", level=1).inner_text() == words["territory"]
    if target == "place":
        page.locator("main").get_by_role("link", name=words["place"]).first.click()
        assert page.get_by_role("heading", level=1).inner_text() == words["place"]
    page.locator("main").get_by_role("link", name=words["follow"]).click()
    page.get_by_label(words["email"]).fill(email)
    _no_serious_axe_violations(page)
    screenshot(page, f"{device}-follow-{target}-{language}.png")
    page.locator("main form").get_by_role("button", name=words["follow"]).click()
    assert words["almost"].lower() in page.locator("main").inner_text().lower()
    message, link = mail_to(data / "mail", email, r"https?://\S+/follow/confirm/\S+")
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in message
    page.goto(link)
    assert words["following"] in page.locator("main").inner_text()
    screenshot(page, f"{device}-followed-{language}.png")
    if device == "phone":
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling on a phone"
    context.close()
    assert not outside, f"requests left loopback: {outside}"


def _subscribe(browser, url, data, language):
    words, email = WORDS[language], f"reader-{language}@example.org"
    context = browser.new_context(locale=LOCALES[language], **PHONE)
    page = context.new_page()
    page.goto(url + "/knowledge/newsletter/")
    page.locator("main").get_by_role("link", name=words["subscribe"]).first.click()
    page.get_by_label(words["email"]).fill(email)
    page.locator("main form").get_by_role("button", name=words["subscribe"]).click()
    page.goto(mail_to(data / "mail", email, r"https?://\S+/follow/confirm/\S+")[1])
    assert words["subscribed"] in page.locator("main").inner_text()
    context.close()
    return email


def _compose_and_send(browser, url, language, device):
    words = WORDS[language]
    context = browser.new_context(locale=LOCALES[language], **(PHONE if device == "phone" else LAPTOP))
    page = context.new_page()
    page.goto(f"{url}/accounts/login?next=/knowledge/newsletter/")
    page.locator("input[name=username]").fill("edith")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.get_by_role("button", name=words["start"]).click()
    candidate = page.locator("#candidates ~ ul li", has_text=words["project_nl"] if language == "nl" else words["project"])
    candidate.get_by_role("button", name=words["add"]).click()
    page.get_by_label(words["title"], exact=True).first.fill(words["issue"])
    _no_serious_axe_violations(page)
    screenshot(page, f"{device}-newsletter-compose-{language}.png")
    page.get_by_role("button", name=re.compile(words["send"])).click()
    assert page.get_by_role("heading", level=1).inner_text() == words["issue"]
    screenshot(page, f"{device}-newsletter-issue-{language}.png")
    if device == "phone":
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling on a phone"
    context.close()


def _scenario(chromium_path, url, data, env, language):
    from playwright.sync_api import sync_playwright

    words = WORDS[language]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        _follow(browser, url, data, language, "laptop", "territory")
        _follow(browser, url, data, language, "phone", "place")
        reader = _subscribe(browser, url, data, language)
        subprocess.run([FOODCOMMONS, "shell", "-c", NEW_PROJECT.format(fr=words["project"], nl=words["project_nl"])], env=env, check=True, capture_output=True)
        _compose_and_send(browser, url, language, "laptop" if language == "fr" else "phone")
        message, _ = mail_to(data / "mail", reader, re.escape(words["issue"]))
        assert (words["project_nl"] if language == "nl" else words["project"]) in message
        assert "/follow/unsubscribe/" in message and "List-Unsubscribe:" in message
        browser.close()


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_visitor_follows_a_territory_and_a_place_and_the_newsletter_reaches_its_subscriber_in_their_language(subscriptions_site, language):
    url, data, env = subscriptions_site
    run_on_own_thread(_scenario, CHROMIUM, url, data, env, language)
