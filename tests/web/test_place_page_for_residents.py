"""The place page serves the resident first: what it is, open now in words, how to take part, contacts, directions, in FR and NL."""

import datetime
import re

import pytest
from django.utils import timezone

from foodcommons.web import place_words

pytestmark = pytest.mark.django_db


def _page(client, place, language: str) -> str:
    response = client.get(f"/places/{place.public_id}", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def food_aid(make_place):
    return make_place(
        name={"fr": "Épicerie solidaire Josse", "nl": "Solidaire kruidenier Josse"},
        categories=["social-grocery"],
        address={"street": "Rue Josse Impens", "house_number": "3", "postcode": "1030", "locality": "Schaerbeek"},
        description={"fr": "Ouvert **mardi** et jeudi."},
        contacts=[{"kind": "phone", "value": "02 244 75 11"}, {"kind": "email", "value": "josse@example.org"}],
        opening_hours="Tu,Th 10:00-16:00",
        attributes={"referral_required": False, "price": "symbolic"},
    )


@pytest.mark.parametrize(("language", "expected"), [
    ("fr", ["Épicerie sociale à Schaerbeek", "Pas besoin d’orientation", "Participation symbolique", "Rue Josse Impens 3, 1030 Schaerbeek",
            "Téléphone", "02 244 75 11", "Pas encore confirmé par son équipe", "D'où viennent ces données", "Retour à la carte"]),
    ("nl", ["Sociale kruidenier in Schaarbeek", "Geen doorverwijzing nodig", "Symbolische bijdrage", "Josse Impensstraat 3, 1030 Schaarbeek",
            "Telefoon", "02 244 75 11", "Nog niet bevestigd door het team", "Waar deze gegevens vandaan komen", "Terug naar de kaart"]),
])
def test_the_place_page_says_what_it_is_how_to_come_and_how_to_reach_it_in_the_page_s_language(client, food_aid, language, expected):
    html = _page(client, food_aid, language)
    for words in expected:
        assert words in html, words
    assert 'href="tel:+3222447511"' in html and 'href="mailto:josse@example.org"' in html
    assert "<strong>mardi</strong>" in html and "**mardi**" not in html
    assert re.search(r'href="geo:50\.\d+,4\.\d+\?q=', html) and "openstreetmap.org/directions?to=50." in html
    assert '<details class="provenance"' in html and "Last confirmed" not in html and "never" not in html
    assert 'id="share" href="http://testserver/places/' in html and 'id="back-to-map" href="/?lat=50.' in html


def test_markdown_of_a_description_cannot_script(client, make_place):
    place = make_place(description={"fr": "Bonjour <script>alert(1)</script> [lien](javascript:alert(1))"})
    html = _page(client, place, "fr")
    assert "<script>alert" not in html and "javascript:alert" not in html


@pytest.mark.parametrize(("language", "moment", "value", "expected"), [
    ("fr", (2026, 12, 1, 11, 0), "Tu,Th 10:00-16:00", "Ouvert maintenant, ferme à 16 h 00."),
    ("nl", (2026, 12, 1, 11, 0), "Tu,Th 10:00-16:00", "Nu open, sluit om 16.00 u."),
    ("fr", (2026, 12, 1, 17, 0), "Tu,Th 10:00-16:00", "Fermé maintenant, ouvre jeudi à 10 h 00."),
    ("nl", (2026, 12, 1, 17, 0), "Tu,Th 10:00-16:00", "Nu gesloten, opent donderdag om 10.00 u."),
    ("fr", (2026, 12, 1, 8, 0), "Tu,Th 10:00-16:00", "Fermé maintenant, ouvre aujourd’hui à 10 h 00."),
    ("nl", (2026, 12, 2, 17, 0), "Tu,Th 10:00-16:00", "Nu gesloten, opent morgen om 10.00 u."),
    ("en", (2026, 12, 1, 11, 0), "24/7", "Open now, day and night."),
])
def test_open_now_is_said_in_words_with_when_it_next_changes(language, moment, value, expected):
    from django.utils import translation

    with translation.override(language):
        now = timezone.make_aware(datetime.datetime(*moment))
        assert place_words.open_now(value, language, now)["text"] == expected


def test_hours_beyond_the_reader_say_nothing_rather_than_a_guess():
    assert place_words.open_now("", "fr") is None
    assert place_words.open_now("not hours", "fr") is None


def test_a_phone_number_is_shown_as_people_write_it_and_dialled_in_full():
    rows = place_words.contact_rows([{"kind": "phone", "value": "+32475123456"}, {"kind": "phone", "value": "+33142685300"},
                                     {"kind": "website", "value": "https://example.org/"}])
    assert [(r["text"], r["href"]) for r in rows] == [("0475 12 34 56", "tel:+32475123456"), ("+33 1 42 68 53 00", "tel:+33142685300"),
                                                      ("example.org", "https://example.org/")]
