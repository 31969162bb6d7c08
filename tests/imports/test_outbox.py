"""Corrections flow back to the source: people's changes to a source's values reach its outbox, and settle."""

import csv
import io
import json

import pytest

from foodcommons.accounts.tokens import create_token
from foodcommons.collaboration.models import Membership, Organisation
from foodcommons.imports.models import Correction, Source
from foodcommons.imports.services import review, runs
from foodcommons.places import services as places
from foodcommons.places.models import Place

pytestmark = pytest.mark.django_db

HEADER = "id;name;type;street;number;postcode;city;lat;lon;hours;phone\n"


def row(hours="Mo 10:00-12:00", phone="") -> str:
    return f"1;GASAP Josaphat;gasap;Rue Josaphat;12;1030;Schaerbeek;50.8624;4.3780;{hours};{phone}\n"


@pytest.fixture
def network():
    return Organisation.objects.create(slug="gasap-network", name="Réseau des GASAP")


@pytest.fixture
def source(network):
    return Source.objects.create(slug="gasap-list", name="GASAP list", licence="CC0-1.0", attribution="©", organisation=network)


@pytest.fixture
def volunteer(django_user_model):
    return django_user_model.objects.create_user("vera")


def imported(source, text: str):
    return runs.import_file(data=(HEADER + text).encode(), source=source, file_format="csv")


def corrected(volunteer, hours="Sa 09:00-12:00") -> Place:
    place = Place.objects.get()
    places.update_place(public_id=place.public_id, patch={"opening_hours": hours}, base_version=place.version, author=volunteer,
                        comment="They moved to Saturday")
    return place


def test_a_person_s_change_of_a_sourced_value_reaches_the_source_s_outbox(source, volunteer):
    imported(source, row())
    place = corrected(volunteer)
    correction = Correction.objects.get()
    assert (correction.source, correction.place, correction.field) == (source, place, "opening_hours")
    assert (correction.source_value, correction.new_value) == ("Mo 10:00-12:00", "Sa 09:00-12:00")
    assert (correction.author, correction.comment, correction.status) == (volunteer, "They moved to Saturday", "open")
    assert correction.record.external_id == "1"


def test_a_second_change_of_the_same_field_updates_the_open_correction(source, volunteer):
    imported(source, row())
    corrected(volunteer)
    corrected(volunteer, hours="Sa 10:00-13:00")
    assert list(Correction.objects.values_list("new_value", "status")) == [("Sa 10:00-13:00", "open")]


def test_a_re_import_that_brings_the_new_value_closes_the_correction(source, volunteer):
    imported(source, row())
    corrected(volunteer)
    imported(source, row(hours="Sa 09:00-12:00"))
    correction = Correction.objects.get()
    assert (correction.status, correction.closed_because) == ("closed", "source_agrees")


def test_a_re_import_that_brings_the_old_value_back_shows_the_conflict_and_people_s_value_stays(source, volunteer):
    imported(source, row())
    place = corrected(volunteer)
    run = imported(source, row(phone="02 218 00 00"))  # the record changed, its hours did not
    correction = Correction.objects.get()
    assert correction.status == "open" and correction.conflict["value"] == "Mo 10:00-12:00" and correction.conflict["run"] == run.pk
    place.refresh_from_db()
    assert place.opening_hours == "Sa 09:00-12:00"


def test_a_source_that_overrides_people_publishes_its_value_and_the_conflict_shows(source, volunteer):
    source.overrides_people = True
    source.save()
    imported(source, row())
    place = corrected(volunteer)
    imported(source, row(phone="02 218 00 00"))
    place.refresh_from_db()
    assert place.opening_hours == "Mo 10:00-12:00"
    assert Correction.objects.get().conflict["value"] == "Mo 10:00-12:00"


def test_putting_the_source_s_value_back_closes_the_correction(source, volunteer):
    imported(source, row())
    corrected(volunteer)
    corrected(volunteer, hours="Mo 10:00-12:00")
    correction = Correction.objects.get()
    assert (correction.status, correction.closed_because) == ("closed", "put_back")


def test_the_imports_own_writes_open_no_correction(source, volunteer):
    imported(source, row())
    run = imported(source, row(hours="Tu 10:00-12:00"))
    runs.revert_run(run_id=run.pk, author=volunteer)
    assert not Correction.objects.exists()


def test_a_merge_of_duplicates_opens_no_correction(source, volunteer):
    from django.utils import timezone

    from foodcommons.imports.models import MatchCandidate
    from tests.conftest import compost

    imported(source, row())
    other = places.create_place(data=compost(name={"fr": "GASAP Josaphat bis"})).place
    pair = MatchCandidate.objects.create(place_a=other, place_b=Place.objects.get(name_fr="GASAP Josaphat"), score=5, created_at=timezone.now())
    review.merge_candidate(candidate_id=pair.pk, keep="a", author=volunteer)
    assert not Correction.objects.exists()


@pytest.fixture
def editor(client, django_user_model, network):
    user = django_user_model.objects.create_user("eddie")
    Membership.objects.create(organisation=network, user=user, role="editor")
    client.force_login(user)
    return user


def test_the_network_s_editor_reads_the_outbox_marks_a_correction_applied_and_downloads_it(client, editor, source, volunteer):
    imported(source, row())
    corrected(volunteer)
    page = client.get("/imports/sources/gasap-list/outbox", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "They moved to Saturday" in page and "Sa 09:00-12:00" in page and "vera" in page
    exported = client.get("/imports/sources/gasap-list/outbox?format=csv", HTTP_ACCEPT_LANGUAGE="fr").content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(exported)))
    assert table[1][0] == "1" and table[1][3] == "Mo 10:00-12:00" and table[1][4] == "Sa 09:00-12:00"
    client.post("/imports/sources/gasap-list/outbox", {"correction": Correction.objects.get().pk, "status": "applied"})
    correction = Correction.objects.get()
    assert (correction.status, correction.decided_by) == ("applied", editor)


def test_the_outbox_page_says_so_when_nobody_corrected_anything(client, editor, source):
    page = client.get("/imports/sources/gasap-list/outbox", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Niemand heeft nog een waarde van deze lijst verbeterd" in page


def test_another_organisation_s_editor_may_not_read_the_outbox(client, django_user_model, source):
    stranger = django_user_model.objects.create_user("otto")
    Membership.objects.create(organisation=Organisation.objects.create(slug="other", name="Other"), user=stranger, role="editor")
    client.force_login(stranger)
    assert client.get("/imports/sources/gasap-list/outbox").status_code == 403


def test_the_api_lists_and_decides_corrections_for_the_source_s_maintainers(client, editor, source, volunteer):
    imported(source, row())
    corrected(volunteer)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {create_token(user=editor)}"}
    listed = json.loads(client.get("/api/sources/gasap-list/outbox", **headers).content)
    assert [(c["field"], c["new_value"], c["external_id"], c["status"]) for c in listed] == [("opening_hours", "Sa 09:00-12:00", "1", "open")]
    answer = client.post(f"/api/corrections/{listed[0]['id']}", {"status": "declined"}, content_type="application/json", **headers)
    assert answer.status_code == 200 and json.loads(answer.content)["status"] == "declined"
    again = client.post(f"/api/corrections/{listed[0]['id']}", {"status": "applied"}, content_type="application/json", **headers)
    assert again.status_code == 400


def test_corrections_of_an_openstreetmap_list_export_for_mappers_with_the_object_and_the_tags(client, editor, network, volunteer):
    from foodcommons.imports.domain.osm_tags import suggested_tags

    osm = Source.objects.create(slug="osm", name="OpenStreetMap", licence="ODbL-1.0", attribution="© OpenStreetMap", organisation=network)
    element = {"type": "node", "id": 123, "lat": 50.8624, "lon": 4.378,
               "tags": {"name": "GASAP Josaphat", "shop": "farm", "opening_hours": "Mo 10:00-12:00"}}
    runs.import_file(data=json.dumps({"elements": [element]}).encode(), source=osm, file_format="osm")
    corrected(volunteer)
    exported = json.loads(client.get("/imports/sources/osm/outbox?format=geojson").content)
    (feature,) = exported["features"]
    assert feature["geometry"]["coordinates"] == [4.378, 50.8624]
    assert feature["properties"]["osm"] == "https://www.openstreetmap.org/node/123"
    assert feature["properties"]["suggested_tags"] == {"opening_hours": "Sa 09:00-12:00"}
    assert suggested_tags("contacts", [{"kind": "phone", "value": "+3222180000"}]) == {"phone": "+3222180000"}
    assert suggested_tags("geometry", {"type": "Point", "coordinates": [4, 50]}) == {}


def test_a_contact_made_private_never_reaches_the_outbox(source, volunteer):
    imported(source, row(phone="02 512 34 56"))
    place = Place.objects.get()
    contacts = [{**c, "private": True} for c in place.contacts] + [{"kind": "email", "value": "secret@example.org", "private": True}]
    places.update_place(public_id=place.public_id, patch={"contacts": contacts}, base_version=place.version, author=volunteer)
    correction = Correction.objects.get(field="contacts")
    assert correction.new_value == [] and "secret@example.org" not in json.dumps(correction.source_value)
