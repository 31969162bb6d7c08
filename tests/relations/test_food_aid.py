"""Food-aid access in full: its attributes and dated closures, open now without referral (page and API, both databases),
the access card of a place's page, and the Open Referral HSDS export validated against the published schemas."""

import csv
import datetime
import io
import json
import zipfile
from pathlib import Path

import pytest
from frictionless import Package
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from foodcommons.core.problems import InvalidInput
from foodcommons.places.services import update_place
from tests.relations.conftest import make_place

pytestmark = pytest.mark.django_db
HSDS = Path(__file__).parent / "hsds"
ALWAYS = "Mo-Su 00:00-24:00"
TODAY = datetime.date.today()


def food_aid(name, *, hours=ALWAYS, coordinates=(4.3517, 50.8466), contacts=(), **attributes):
    return make_place(name, categories=("social-grocery",), coordinates=coordinates, opening_hours=hours, contacts=list(contacts),
                      address={"street": "Rue Haute", "house_number": "12", "postcode": "1000", "locality": "Bruxelles"},
                      attributes=attributes)


@pytest.fixture
def places():
    return {
        "open": food_aid("Épicerie ouverte", referral_required=False, price="symbolic", price_per="visit", price_amount=2,
                         access_modality=["no_condition"], languages_spoken=["fr", "ar"], documents_required="Une pièce d'identité",
                         publics_welcome="unconditional", offer=["social_grocery"], diets=["halal"], wheelchair_access=True,
                         pets_allowed=False, minimum_age=18),
        "referral": food_aid("Colis sur orientation", referral_required=True, referral_by="CPAS de Bruxelles", price="free"),
        "unknown": food_aid("Sans réponse"),
        "closed_hours": food_aid("Fermé la nuit", hours="Mo 10:00-10:01", referral_required=False),
        "on_holiday": food_aid("En congé", referral_required=False, temporary_closures=[
            {"from": (TODAY - datetime.timedelta(days=1)).isoformat(), "to": (TODAY + datetime.timedelta(days=6)).isoformat(), "reason": "holidays"}]),
        "wallonia": food_aid("À Namur", coordinates=(4.8671, 50.4669), referral_required=False),
    }


def test_food_aid_attributes_are_validated_as_the_grid_says(places):
    with pytest.raises(InvalidInput) as refused:
        update_place(public_id=places["unknown"].public_id, base_version=1,
                     patch={"attributes": {"publics_welcome": "everyone",
                                           "temporary_closures": [{"from": "2026-12-10", "to": "2026-12-01", "reason": "holidays"}]}})
    fields = {e.field for e in refused.value.errors}
    assert fields == {"attributes.publics_welcome", "attributes.temporary_closures"}


def test_open_now_without_referral_leaves_out_referrals_unknowns_closed_hours_and_dated_closures(client, places):
    answer = client.get("/api/food-aid/open-now", {"territory": "04000"})
    assert answer.status_code == 200
    assert [p["name"]["fr"] for p in answer.json()] == ["Épicerie ouverte"]
    wider = client.get("/api/food-aid/open-now", {"territory": "04000", "without_referral": "false"}).json()
    assert sorted(p["name"]["fr"] for p in wider) == ["Colis sur orientation", "Sans réponse", "Épicerie ouverte"]


def test_the_open_now_page_says_what_to_bring_and_the_price_in_the_page_language(client, places):
    page = client.get("/food-aid/now", {"territory": "04000"}, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Épicerie ouverte" in page and "Colis sur orientation" not in page and "En congé" not in page
    assert "Geen doorverwijzing nodig." in page and "Symbolische bijdrage: 2 € / bezoek" in page and "Une pièce d&#x27;identité" in page
    assert "Arabisch" in page


def test_the_open_now_page_says_what_to_do_when_nothing_is_open(client, db):
    page = client.get("/food-aid/now", {"territory": "04000"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No food aid is known to be open right now here" in page and "/?category=food-aid" in page


def test_a_food_aid_page_starts_with_who_may_come_and_its_closure(client, places):
    page = client.get(f"/places/{places['on_holiday'].public_id}", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    card = page[page.index('id="food-aid-access"'):]
    assert "Fermé jusqu" in card and "congés" in card and "Aucune orientation nécessaire." in card
    assert page.index('id="food-aid-access"') < page.index('class="visit"')
    referral = client.get(f"/places/{places['referral'].public_id}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "A referral by a social service is needed. CPAS de Bruxelles" in referral


def _validator():
    """The HSDS service schema, its references to the other published schemas resolved by file name."""
    schemas = {p.name: json.loads(p.read_text()) for p in HSDS.glob("*.json") if p.name != "datapackage.json"}
    registry = Registry().with_resources((name, DRAFT202012.create_resource(s)) for name, s in schemas.items())
    return Draft202012Validator(schemas["service.json"], registry=registry)


def test_the_hsds_json_export_is_valid_against_the_published_service_schema(client, places):
    services = client.get("/api/food-aid/hsds.json").json()
    assert len(services) == len(places)
    validator = _validator()
    for service in services:
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(service)]
        assert errors == [], service["name"]
    grocery = next(s for s in services if s["name"] == "Épicerie ouverte")
    assert grocery["cost_options"][0]["amount"] == 2 and grocery["cost_options"][0]["currency"] == "EUR"
    assert {lang["code"] for lang in grocery["languages"]} == {"fr", "ar"} and grocery["minimum_age"] == 18
    assert grocery["service_at_locations"][0]["location"]["addresses"][0]["state_province"] == "Brussels-Capital Region"
    holiday = next(s for s in services if s["name"] == "En congé")
    assert "holidays" in holiday["alert"]


def test_a_broken_record_fails_the_schema_so_the_validation_can_fail(client, places):
    service = client.get("/api/food-aid/hsds.json").json()[0]
    del service["status"]
    assert list(_validator().iter_errors(service))


def _hsds_package(tmp_path) -> tuple[Package, int]:
    published = json.loads((HSDS / "datapackage.json").read_text())
    resources = [r for r in published["resources"] if (tmp_path / r["path"]).exists()]
    names = {r["name"] for r in resources}
    for resource in resources:
        # Foreign keys to tables the export does not publish (programs, phones, contacts…) cannot be checked.
        keys = resource["schema"].get("foreignKeys", [])
        resource["schema"]["foreignKeys"] = [k for k in keys if k["reference"].get("resource", resource["name"]) in names | {""}]
    return Package({**published, "resources": resources}, basepath=str(tmp_path)), len(resources)


def test_the_hsds_csv_export_is_valid_against_the_published_tabular_package(client, places, tmp_path):
    answer = client.get("/api/food-aid/hsds.zip")
    assert answer["Content-Type"] == "application/zip"
    zipfile.ZipFile(io.BytesIO(answer.content)).extractall(tmp_path)
    package, count = _hsds_package(tmp_path)
    report = package.validate()
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])[:8]
    assert count == 10
    services = list(csv.DictReader((tmp_path / "services.csv").open()))
    assert len(services) == len(places)


def test_a_services_table_without_a_status_fails_the_package(client, places, tmp_path):
    zipfile.ZipFile(io.BytesIO(client.get("/api/food-aid/hsds.zip").content)).extractall(tmp_path)
    text = (tmp_path / "services.csv").read_text().replace(",active,", ",,")
    (tmp_path / "services.csv").write_text(text)
    assert not _hsds_package(tmp_path)[0].validate().valid


def test_the_hsds_export_shows_no_private_contact(client, db):
    food_aid("Privé", contacts=[{"kind": "phone", "value": "+3225550000", "private": True}, {"kind": "email", "value": "secret@example.org", "private": True}])
    text = client.get("/api/food-aid/hsds.json").content.decode() + client.get("/api/food-aid/hsds.zip").content.decode("latin-1")
    assert "secret@example.org" not in text and "5550000" not in json.dumps(text)


def test_an_unknown_territory_is_a_404(client, db):
    assert client.get("/api/food-aid/open-now", {"territory": "99999"}).status_code == 404


def test_the_closures_are_said_in_words_in_how_to_take_part(client, places):
    page = client.get(f"/places/{places['on_holiday'].public_id}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Temporary closures: " in page and "(holidays)" in page and "{&#x27;" not in page
