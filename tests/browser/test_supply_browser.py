"""A canteen publishes a demand; the producer gets the e-mailed alert and answers; the canteen sees the ranked producers
with their reasons and the answer; anyone then finds the territory coverage of the commune from the supply page; in French
and in Dutch, on a laptop and on a phone."""

import os
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
SETUP = """
from foodcommons.accounts.models import Profile
from foodcommons.collaboration.models import Membership, Organisation, PlaceMaintainer
from foodcommons.places.services import create_place
from foodcommons.supply.services import create_offer, register_buyer
from django.contrib.auth import get_user_model
User = get_user_model()
for lang in ("fr", "nl"):
    farm = Organisation.objects.create(slug=f"ferme-{lang}", name=f"Ferme du Chemin {lang}")
    place = create_place(data={"name": {"fr": f"Ferme du Chemin {lang}"}, "categories": ["farm-shop"], "licence": "CC0-1.0",
                               "geometry": {"type": "Point", "coordinates": [4.70, 50.56]}}).place
    PlaceMaintainer.objects.create(place=place, organisation=farm)
    grower = User.objects.create_user(f"grower-{lang}", f"grower-{lang}@example.org", PASSWORD)
    Profile.objects.update_or_create(user=grower, defaults={"language": lang})
    Membership.objects.create(user=grower, organisation=farm, role="editor")
    create_offer(data={"organisation": farm, "place": place, "product": "carrot", "volume": 60, "volume_unit": "kg", "volume_period": "week",
                       "delivery_radius_km": 40}, author=grower)
    school = Organisation.objects.create(slug=f"ecole-{lang}", name=f"École communale {lang}")
    cook = User.objects.create_user(f"cook-{lang}", f"cook-{lang}@example.org", PASSWORD)
    Profile.objects.update_or_create(user=cook, defaults={"language": lang})
    Membership.objects.create(user=cook, organisation=school, role="editor")
    register_buyer(organisation=school, kind="school", author=cook)
""".replace("PASSWORD", repr(PASSWORD))


@pytest.fixture(scope="module")
def supply_site(tmp_path_factory):
    """`foodcommons serve` without demo places, its worker writing e-mails under the data folder; a farm with an offer and a school."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    data = tmp_path_factory.mktemp("supply-site")
    env = server_env(data)
    with serving(data, "--no-demo", ready="/supply/", env=env) as url:
        subprocess.run([FOODCOMMONS, "shell", "-c", SETUP], env=env, check=True, capture_output=True)
        yield url, data



def _alert_link(folder, email: str, demand_id: str, timeout: float = 60) -> tuple[str, str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(folder.glob("*")) if folder.exists() else []:
            for message in path.read_text(errors="replace").split("-" * 79):
                if f"To: {email}" in message and (found := re.search(rf"https?://\S+/supply/demands/{demand_id}/answer", message)):
                    return found[0], message
        time.sleep(0.3)
    raise AssertionError(f"no alert e-mail to {email}")


def _sign_in(page, url, username):
    page.goto(f"{url}/accounts/login")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


WORDS = {"fr": {"publish": "Publier la demande", "season": "Saison", "sent": "Réponse envoyée", "answers": "Réponses des producteurs",
                "subject": "Une cantine demande", "send": "Envoyer ma réponse", "coverage": "Couverture d’un territoire par les producteurs locaux",
                "show": "Voir la couverture", "families": "Par famille de produits", "family": "légume", "empty": "Choisissez un territoire ci-dessus"},
         "nl": {"publish": "De vraag publiceren", "season": "Seizoen", "sent": "Antwoord verzonden", "answers": "Antwoorden van producenten",
                "subject": "Een kantine vraagt", "send": "Mijn antwoord versturen", "coverage": "Dekking van een gebied door lokale producenten",
                "show": "Dekking tonen", "families": "Per productfamilie", "family": "groente", "empty": "Kies hierboven een gebied"}}


def _scenario(chromium_path, url, data, language):
    from playwright.sync_api import sync_playwright

    words = WORDS[language]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        canteen = browser.new_context(locale=LOCALES[language], **LAPTOP)
        page = canteen.new_page()
        outside = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "about:")) else None)
        _sign_in(page, url, f"cook-{language}")
        page.goto(f"{url}/supply/demands/new")
        page.select_option("#id_organisation", label=f"École communale {language}")
        page.select_option("#id_kind", "school")
        page.fill("#id_title", f"Soupes d'hiver {language}")
        page.fill("#id_lat", "50.4669")
        page.fill("#id_lon", "4.8665")
        page.select_option("#id_product_0", "carrot")
        page.fill("#id_quantity_0", "25")
        page.select_option("#id_from_0", "10")
        page.select_option("#id_to_0", "3")
        _no_serious_axe_violations(page)
        page.get_by_role("button", name=words["publish"]).click()
        page.wait_for_url(re.compile(r"/supply/demands/\w+$"))
        demand_url = page.url

        link, message = _alert_link(data / "mail", f"grower-{language}@example.org", demand_url.rsplit("/", 1)[-1])
        assert words["subject"] in message
        producer = browser.new_context(locale=LOCALES[language], **LAPTOP)
        answer = producer.new_page()
        _sign_in(answer, url, f"grower-{language}")
        answer.goto(link)
        answer.fill("#id_message", f"Carottes lavées possibles ({language})")
        answer.fill("#id_price", "1.70")
        answer.get_by_role("button", name=words["send"]).click()
        assert words["sent"] in answer.locator("main").inner_text()
        producer.close()

        page.goto(demand_url)
        page.locator("ol.ranking summary").first.click()
        main = page.locator("main").inner_text()
        assert f"Ferme du Chemin {language}" in main and words["season"] in main and words["answers"] in main
        assert f"Carottes lavées possibles ({language})" in main and "1,70" in main
        _no_serious_axe_violations(page)
        screenshot(page, f"laptop-supply-demand-{language}.png")
        canteen.close()
        assert not outside, f"requests left loopback: {outside}"

        phone = browser.new_context(locale=LOCALES[language], **PHONE)
        small = phone.new_page()
        _sign_in(small, url, f"cook-{language}")
        small.goto(demand_url)
        small.locator("ol.ranking summary").first.click()
        assert small.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling on a phone"
        screenshot(small, f"phone-supply-demand-{language}.png")
        _territory_coverage(small, url, words, language, "phone")
        phone.close()
        laptop = browser.new_context(locale=LOCALES[language], **LAPTOP)
        _territory_coverage(laptop.new_page(), url, words, language, "laptop")
        laptop.close()
        browser.close()


def _territory_coverage(page, url, words, language, device):
    # From the supply page to the coverage of Namur, where the demand was published: its share, family and producer.
    page.goto(f"{url}/supply/")
    page.get_by_role("link", name=words["coverage"]).first.click()
    assert words["empty"] in page.locator("main").inner_text()
    page.select_option("#territory", "92094")
    page.fill("#km", "30")
    page.get_by_role("button", name=words["show"]).click()
    page.wait_for_url(re.compile(r"territory=92094"))
    main = page.locator("main").inner_text()
    assert words["families"] in main and words["family"] in main.lower() and "Ferme du Chemin" in main
    assert re.search(r"\d+ %", main), main
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling"
    _no_serious_axe_violations(page)
    screenshot(page, f"{device}-supply-coverage-{language}.png")


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_canteen_publishes_a_demand_a_producer_answers_and_the_canteen_sees_reasons_and_answer(supply_site, language):
    url, data = supply_site
    run_on_own_thread(_scenario, CHROMIUM, url, data, language)
