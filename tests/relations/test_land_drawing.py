"""A threatened field drawn on the map or typed corner by corner: the outline read (either order, GeoJSON pasted), refused
in the page's language when it crosses itself, lies outside Belgium or is too small or too large (nothing written),
and published with its surface, threat, stage with dates and references, shown on the land layer with its stage."""

import pytest

from foodcommons.places.models import Place
from foodcommons.relations.domain.land import OutlineError, outline_problem, parse_outline

# About 1 ha in Neerpede (Anderlecht), typed as map sites copy it: "latitude, longitude".
NEERPEDE = "50.8250, 4.2700\n50.8250, 4.2714\n50.8259, 4.2714\n50.8259, 4.2700"
BOWTIE = "50.8250, 4.2700\n50.8259, 4.2714\n50.8250, 4.2714\n50.8259, 4.2700"
LILLE = "50.6300, 3.0500\n50.6300, 3.0600\n50.6400, 3.0600\n50.6400, 3.0500"
SPECK = "50.82500, 4.27000\n50.82500, 4.27001\n50.82501, 4.27001"
HUGE = "50.70, 4.30\n50.70, 4.80\n50.90, 4.80\n50.90, 4.30"


def test_corners_are_read_in_either_order_with_decimal_commas_or_as_geojson():
    expected = [(4.27, 50.825), (4.2714, 50.825), (4.2714, 50.8259)]
    assert parse_outline("50.825, 4.27\n50.825 4.2714\n\n50,8259; 4,2714") == expected
    assert parse_outline("4.27, 50.825\n4.2714, 50.825\n4.2714, 50.8259\n4.27, 50.825") == expected  # closed ring, lon first
    geojson = '{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[4.27, 50.825], [4.2714, 50.825], [4.2714, 50.8259], [4.27, 50.825]]]}}'
    assert parse_outline(geojson) == expected


@pytest.mark.parametrize(("text", "code", "line"), [
    ("", "empty", 0), ("50.825, 4.27\nhere\n50.8259, 4.2714", "unreadable", 2), ("50.825, 4.27\n50.8259, 4.2714", "too_few_corners", 0),
    ('{"type": "Point", "coordinates": [4.27, 50.825]}', "not_polygon", 0), ("{not json", "unreadable", 0),
])
def test_an_outline_that_cannot_be_read_says_why(text, code, line):
    with pytest.raises(OutlineError) as refused:
        parse_outline(text)
    assert (refused.value.code, refused.value.line) == (code, line)


def test_an_outline_is_refused_outside_belgium_crossing_itself_or_of_a_wrong_size():
    assert outline_problem(simple=True, surface_ha=1.0, in_belgium=True) is None
    assert outline_problem(simple=True, surface_ha=1.0, in_belgium=False) == "outside_belgium"
    assert outline_problem(simple=False, surface_ha=0.0, in_belgium=True) == "self_intersecting"
    assert outline_problem(simple=True, surface_ha=0.001, in_belgium=True) == "too_small"
    assert outline_problem(simple=True, surface_ha=5000, in_belgium=True) == "too_large"


def _draw(client, outline: str, language: str = "fr", **extra):
    data = {"outline": outline, "name": "Champ de Neerpede", "threat": "urbanisation", "stage": "public_inquiry",
            "stage_from": "2026-11-02", "stage_to": "2026-12-02", "permit_reference": "PU/2026/118",
            "reference_link": "https://urbanisme.example.be/pu-2026-118", "followed_by": "Comité de Neerpede", **extra}
    return client.post("/land/draw", data, HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.django_db
def test_an_editor_draws_a_field_and_it_is_published_with_its_surface_stage_and_references(client, staff):
    client.force_login(staff)
    answer = _draw(client, NEERPEDE)
    assert answer.status_code == 302
    place = Place.objects.get(public_id=answer["Location"].rsplit("/", 1)[-1])
    assert place.geometry()["type"] == "Polygon" and place.commune_id == "21001"
    attributes = place.attributes
    assert attributes["surface_ha"] == pytest.approx(1.0, abs=0.15) and attributes["threat"] == "urbanisation"
    assert attributes["land_stages"] == [{"stage": "public_inquiry", "from": "2026-11-02", "to": "2026-12-02"}]
    assert (attributes["permit_reference"], attributes["followed_by"]) == ("PU/2026/118", "Comité de Neerpede")
    assert attributes["reference_link"] == "https://urbanisme.example.be/pu-2026-118" and place.name_fr == "Champ de Neerpede"
    layer = client.get("/land/fields.geojson", HTTP_ACCEPT_LANGUAGE="nl").json()["features"]
    assert [(f["properties"]["name"], f["properties"]["stage"], f["properties"]["until"]) for f in layer] == [
        ("Champ de Neerpede", "openbaar onderzoek", "2026-12-02")]
    assert layer[0]["geometry"]["type"] == "Polygon"


@pytest.mark.django_db
def test_someone_outside_any_organisation_sends_the_drawn_field_to_the_moderators(client, django_user_model):
    from foodcommons.collaboration.models import Suggestion

    client.force_login(django_user_model.objects.create_user("vera", "vera@example.org", "a long password 123"))
    answer = _draw(client, NEERPEDE, language="nl")
    assert answer.status_code == 200 and "moderatoren" in answer.content.decode()
    assert not Place.objects.exists() and Suggestion.objects.get().payload["attributes"]["threat"] == "urbanisation"


REFUSALS = {
    "self_intersecting": (BOWTIE, "Le contour se croise", "De omtrek kruist zichzelf"),
    "outside_belgium": (LILLE, "hors de Belgique", "buiten België"),
    "too_small": (SPECK, "plus petit que 100 m²", "kleiner dan 100 m²"),
    "too_large": (HUGE, "plus grand que 1 000 ha", "groter dan 1.000 ha"),
    "unreadable": ("50.8250, 4.2700\nici\n50.8259, 4.2714", "La ligne 2 ne peut pas être lue", "Regel 2 kan niet worden gelezen"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("why", sorted(REFUSALS))
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_bad_outline_is_refused_in_the_page_language_and_nothing_is_written(client, staff, why, language):
    outline, french, dutch = REFUSALS[why]
    client.force_login(staff)
    answer = _draw(client, outline, language=language)
    page = answer.content.decode().replace("\xa0", " ").replace("&nbsp;", " ")
    assert answer.status_code == 400 and (french if language == "fr" else dutch) in page
    assert outline.splitlines()[0] in page  # what was typed stays in the form
    assert not Place.objects.exists()


@pytest.mark.django_db
def test_a_stage_without_its_start_or_ending_before_it_is_refused_in_dutch(client, staff):
    client.force_login(staff)
    assert "Geef de dag" in _draw(client, NEERPEDE, language="nl", stage_from="").content.decode()
    answer = _draw(client, NEERPEDE, language="nl", stage_to="2026-10-01")
    assert answer.status_code == 400 and "Het einde komt op of na het begin" in answer.content.decode()
    assert not Place.objects.exists()


@pytest.mark.django_db
def test_drawing_asks_to_log_in_and_the_page_offers_the_typed_way_to_everyone_signed_in(client, staff):
    assert _draw(client, NEERPEDE)["Location"].startswith("/accounts/login")
    assert not Place.objects.exists()
    client.force_login(staff)
    page = client.get("/land/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'name="outline"' in page and "Een bedreigd veld tekenen" in page and "relations/land.js" in page
