"""In headless Chromium: an anonymous visitor suggests a place, confirms it by the e-mailed link, a moderator accepts it."""

import os
import re

import pytest

from tests.own_thread import run_on_own_thread

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]


def _new_mail(instance, before: set) -> str:
    assert instance.command("db_worker", "--batch", "--no-startup-delay").returncode == 0
    return "\n".join(p.read_text() for p in set(instance.mail.glob("*")) - before)


@pytest.mark.browser
def test_an_anonymous_suggestion_confirmed_by_email_and_accepted_appears_with_its_history(instance):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (scripts/test installs it when run as root)")
    run_on_own_thread(_scenario, instance)


def _scenario(instance):
    from playwright.sync_api import sync_playwright

    instance.env["DJANGO_SUPERUSER_PASSWORD"] = "a long moderator passphrase"
    assert instance.command("createsuperuser", "--noinput", "--username", "moda", "--email", "moda@example.org").returncode == 0
    before = set(instance.mail.glob("*")) if instance.mail.exists() else set()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page()
        page.goto(instance.url + "/places/new")
        page.fill("#id_name_fr", "Potager des Lilas")
        page.locator("details.category-group:has(input[value=community-garden]) summary").click()
        page.check("input[name=categories][value=community-garden]")
        page.fill("#geocode-q", "1030")
        page.click("#geocode-go")
        page.wait_for_selector("#pin-map[data-pin]")
        page.fill("#id_opening_hours", "Sa 10:00-12:00")
        page.fill("#id_email", "visitor@example.org")
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        assert "visitor@example.org" not in page.content(), page.inner_text("main")
        link = re.search(r"http://\S+/contributions/confirm/\S+", _new_mail(instance, before)).group(0)
        page.goto(instance.url + "/contributions/confirm/" + link.rsplit("/", 1)[1])
        page.click("main button[type=submit]")
        page.wait_for_selector("#suggestion-status")

        moderator = browser.new_page()
        moderator.goto(instance.url + "/accounts/login")
        moderator.fill("#id_username", "moda")
        moderator.fill("#id_password", "a long moderator passphrase")
        moderator.click("main button[type=submit]")
        moderator.wait_for_url(re.compile(r".*/accounts/profile$"))
        moderator.goto(instance.url + "/moderation/")
        assert moderator.query_selector("#suggestions a"), moderator.url + moderator.inner_text("main")
        moderator.click("#suggestions a")
        moderator.wait_for_selector("table.diff")
        assert "Potager des Lilas" in moderator.content()
        moderator.select_option("#id_decision", "accept")
        moderator.fill("#id_comment", "Welcome!")
        moderator.click("main button[type=submit]")
        moderator.wait_for_url(re.compile(r".*/moderation/$"))
        assert "visitor@example.org" in _new_mail(instance, before)

        found = instance.get("/api/places?q=Lilas")["places"]
        assert [p["name"]["fr"] for p in found] == ["Potager des Lilas"]
        place_id = found[0]["id"]
        page.goto(f"{instance.url}/places/{place_id}")
        assert "Potager des Lilas" in page.content()
        page.goto(f"{instance.url}/places/{place_id}/history")
        history = page.inner_text("#history")
        assert "Sa 10:00-12:00" in history and "Welcome" not in history
        assert "visitor@example.org" not in page.content()
        browser.close()
