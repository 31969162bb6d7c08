import json

import pytest
from django.core.management import call_command

from foodcommons.core.problems import InvalidInput
from foodcommons.imports.models import FieldClaim, ImportRun, MatchCandidate, Source, SourceRecord
from foodcommons.imports.services import review, runs
from foodcommons.places import services as places
from foodcommons.places.models import Place, PlaceRevision

pytestmark = pytest.mark.django_db

HEADER = "id;name;type;street;number;postcode;city;lat;lon;email;phone\n"
JOSAPHAT = "1;GASAP Josaphat;gasap;Rue Josaphat;12;1030;Schaerbeek;50.8624;4.3780;josaphat@gasap.be;\n"
CAILLES = "2;GASAP du Chant des Cailles;gasap;Avenue de la Houlette;3;1170;Watermael-Boitsfort;50.8060;4.4240;;\n"
POTAGER = "3;Potager du Parc;potager;Rue du Parc;1;1000;Bruxelles;50.8450;4.3650;;\n"


def csv(*rows: str) -> bytes:
    return (HEADER + "".join(rows)).encode()


def source(slug="gasap-network", **extra) -> Source:
    return Source.objects.create(slug=slug, name=slug, licence="CC0-1.0", attribution=f"© {slug}", **extra)


def run_import(data: bytes, src: Source, **options) -> ImportRun:
    return runs.import_file(data=data, source=src, file_format="csv", **options)


def test_an_import_creates_places_with_records_revisions_and_provenance():
    src = source()
    run = run_import(csv(JOSAPHAT, CAILLES), src)
    assert run.status == "done" and run.counts["created"] == 2 and run.errors == []
    record = SourceRecord.objects.get(source=src, external_id="1")
    place = record.place
    assert place.name_fr == "GASAP Josaphat" and place.commune_id == "21015" and place.licence == "CC0-1.0"
    assert PlaceRevision.objects.get(place=place).comment == f"Import run {run.pk} of gasap-network"
    assert FieldClaim.objects.filter(place=place, field="name.fr", source=src).get().value == "GASAP Josaphat"


def test_the_same_file_twice_changes_nothing():
    src = source()
    run_import(csv(JOSAPHAT, CAILLES), src)
    revisions = PlaceRevision.objects.count()
    again = run_import(csv(JOSAPHAT, CAILLES), src)
    assert again.counts["created"] == 0 and again.counts["unchanged"] == 2 and again.counts["updated"] == 0
    assert PlaceRevision.objects.count() == revisions and Place.objects.count() == 2


def test_a_dry_run_reports_and_writes_nothing():
    src = source()
    run = run_import(csv(JOSAPHAT, CAILLES), src, dry_run=True)
    assert run.status == "dry_run" and run.counts["created"] == 2
    assert [d["action"] for d in run.decisions] == ["created", "created"]
    assert Place.objects.count() == 0 and SourceRecord.objects.count() == 0
    assert ImportRun.objects.get(pk=run.pk).status == "dry_run"


def test_a_broken_file_leaves_nothing_half_imported():
    src = source()
    with pytest.raises(InvalidInput):
        runs.import_file(data=b'{"type": "FeatureCollection", "features": [', source=src, file_format="geojson")
    assert Place.objects.count() == 0
    assert ImportRun.objects.get(source=src).status == "failed"


def test_an_interruption_after_places_were_written_rolls_the_whole_run_back():
    src = source()
    run_import(csv(JOSAPHAT), src)

    def interrupt(stage, done, total):
        # Raised once some places exist, as a Ctrl-C in the progress bar would.
        if stage == "match" and Place.objects.count() >= 1 and done == total:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_import(csv(JOSAPHAT.replace(";12;", ";14;"), CAILLES, POTAGER), src, progress=interrupt)
    assert Place.objects.count() == 1 and Place.objects.get().house_number == "12"
    assert SourceRecord.objects.count() == 1 and ImportRun.objects.count() == 1


def test_bad_rows_are_reported_with_row_field_and_reason_and_the_others_imported():
    src = source()
    bad = "4;;gasap;;;1030;;50.86;4.37;;\n5;Ferme X;gasap;;;;;95;4.37;;\n"
    run = run_import(csv(JOSAPHAT, bad), src)
    assert run.counts["created"] == 1 and run.counts["errors"] == 2
    assert {e["row"] for e in run.errors} == {3, 4}
    assert {e["field"].split(".")[0] for e in run.errors} == {"name", "geometry"} and all(e["reason"] for e in run.errors)


def test_records_missing_from_a_new_file_are_flagged_not_deleted():
    src = source()
    run_import(csv(JOSAPHAT, CAILLES), src)
    run = run_import(csv(JOSAPHAT), src)
    assert run.counts["flagged"] == 1
    record = SourceRecord.objects.get(external_id="2")
    assert record.missing_since is not None and not record.place.is_deleted
    run_import(csv(JOSAPHAT, CAILLES), src)
    record.refresh_from_db()
    assert record.missing_since is None


def test_a_changed_record_updates_its_place():
    src = source()
    run_import(csv(JOSAPHAT), src)
    run = run_import(csv(JOSAPHAT.replace("Rue Josaphat;12", "Rue Josaphat;14")), src)
    assert run.counts["updated"] == 1
    place = SourceRecord.objects.get(external_id="1").place
    assert place.house_number == "14" and place.version == 2


def test_a_person_s_edit_beats_a_later_import():
    src = source()
    run_import(csv(JOSAPHAT), src)
    place = SourceRecord.objects.get(external_id="1").place
    places.update_place(public_id=place.public_id, patch={"name": {"fr": "GASAP Josaphat (Schaerbeek)"}}, base_version=1, comment="fix")
    run_import(csv(JOSAPHAT.replace("Rue Josaphat;12", "Rue Josaphat;14")), src)
    place.refresh_from_db()
    assert place.name_fr == "GASAP Josaphat (Schaerbeek)" and place.house_number == "14"
    people = FieldClaim.objects.get(place=place, field="name.fr", source__isnull=True)
    assert people.value == "GASAP Josaphat (Schaerbeek)"


def test_a_source_may_be_configured_to_override_people():
    src = source(overrides_people=True)
    run_import(csv(JOSAPHAT), src)
    place = SourceRecord.objects.get(external_id="1").place
    places.update_place(public_id=place.public_id, patch={"name": {"fr": "Autre nom"}}, base_version=1)
    run_import(csv(JOSAPHAT.replace("GASAP Josaphat", "GASAP Josaphat asbl")), src)
    place.refresh_from_db()
    assert place.name_fr == "GASAP Josaphat asbl"


def test_between_sources_the_higher_priority_wins_then_the_more_recent():
    low, high = source("low", priority=1), source("high", priority=5)
    run_import(csv(JOSAPHAT), high)
    run = run_import(csv(JOSAPHAT.replace("Rue Josaphat;12", "Rue Josaphat;16").replace("1;", "a;", 1)), low)
    assert run.counts["merged"] == 1
    place = Place.objects.get()
    assert place.house_number == "12"  # the higher priority keeps its value
    assert set(place.source_records.values_list("source__slug", flat=True)) == {"low", "high"}
    other = source("other", priority=5)
    run_import(csv(JOSAPHAT.replace("Rue Josaphat;12", "Rue Josaphat;18").replace("1;", "b;", 1)), other)
    place.refresh_from_db()
    assert place.house_number == "18"  # same priority: the more recent wins


def test_the_same_actor_from_a_second_source_is_merged_and_the_decision_explained():
    run_import(csv(JOSAPHAT, CAILLES), source("a"))
    variant = "x9;Gasap Josaphat asbl;gasap;Rue Josaphat;12;1030;Schaerbeek;50.86245;4.37805;Josaphat@Gasap.be;\n"
    run = run_import(csv(variant), source("b"))
    assert run.counts["merged"] == 1 and run.counts["created"] == 0
    [decision] = run.decisions
    assert decision["action"] == "merged" and "same e-mail" in decision["reasons"]
    assert Place.objects.count() == 2


def test_a_doubtful_match_goes_to_review_and_keep_apart_is_remembered(api):
    run_import(csv(CAILLES), source("a"))
    doubtful = "z;Chant des Cailles;gasap;;;;;50.8200;4.4240;;\n"
    run = run_import(csv(doubtful), source("b"))
    assert run.counts["review"] == 1 and run.counts["created"] == 1
    [candidate] = json.loads(api.get("/api/imports/candidates").content)
    assert candidate["score"] > 0 and candidate["reasons"]
    assert api.post(f"/api/imports/candidates/{candidate['id']}/keep-apart").status_code == 200
    assert api.post(f"/api/imports/candidates/{candidate['id']}/keep-apart").status_code == 409
    assert json.loads(api.post("/api/imports/candidates/scan").content) == {"queued": 0}
    assert MatchCandidate.objects.get().status == "kept_apart"


def test_a_scan_queues_duplicates_among_existing_places_once(api, make_place):
    make_place()
    make_place(name={"fr": "Compost Josaphat"})
    assert review.scan_duplicates() == 1
    assert review.scan_duplicates() == 0
    [candidate] = json.loads(api.get("/api/imports/candidates").content)
    assert "same spot (0 m)" in candidate["reasons"]


def test_a_reviewer_merges_two_places_into_one(api):
    run_import(csv(CAILLES), source("a"))
    run_import(csv("z;Chant des Cailles;gasap;;;;;50.8200;4.4240;;\n"), source("b"))
    [candidate] = json.loads(api.get("/api/imports/candidates").content)
    response = api.post(f"/api/imports/candidates/{candidate['id']}/merge", {"keep": "a"})
    assert response.status_code == 200
    survivor = Place.objects.get(public_id=candidate["a"]["id"])
    other = Place.objects.get(public_id=candidate["b"]["id"])
    assert other.is_deleted and other.revisions.last().comment == f"Merged into {survivor.public_id}"
    assert set(survivor.source_records.values_list("source__slug", flat=True)) == {"a", "b"}
    assert json.loads(api.get("/api/imports/candidates").content) == []


def test_a_whole_run_can_be_reverted(api):
    src = source()
    run_import(csv(JOSAPHAT), src)
    second = run_import(csv(JOSAPHAT.replace("Rue Josaphat;12", "Rue Josaphat;14"), CAILLES), src)
    response = api.post(f"/api/imports/runs/{second.pk}/revert")
    assert response.status_code == 200 and json.loads(response.content)["status"] == "reverted"
    josaphat = SourceRecord.objects.get(external_id="1").place
    assert josaphat.house_number == "12" and josaphat.revisions.last().action == "revert"
    cailles = Place.objects.get(name_fr="GASAP du Chant des Cailles")
    assert cailles.is_deleted and not SourceRecord.objects.filter(external_id="2").exists()
    assert api.post(f"/api/imports/runs/{second.pk}/revert").status_code == 400
    again = run_import(csv(JOSAPHAT.replace("Rue Josaphat;12", "Rue Josaphat;14"), CAILLES), src)
    assert again.counts["updated"] == 1 and again.counts["created"] == 1


def test_the_api_shows_provenance_source_records_and_filters_by_source(api, client):
    run_import(csv(JOSAPHAT), source("a"))
    run_import(csv(JOSAPHAT.replace("1;", "q;", 1).replace("Rue Josaphat;12", "Rue Josaphat;12A")), source("b"))
    place = Place.objects.get()
    detail = json.loads(client.get(f"/api/places/{place.public_id}").content)
    assert {(s["source"], s["external_id"]) for s in detail["sources"]} == {("a", "1"), ("b", "q")}
    provenance = json.loads(client.get(f"/api/places/{place.public_id}/provenance").content)
    address = {c["source"]: c for c in provenance["fields"]["address"]}
    assert address["a"]["attribution"] == "© a" and address["a"]["licence"] == "CC0-1.0"
    assert address["b"]["published"] and not address["a"]["published"]
    listed = json.loads(client.get("/api/places", {"source": "b"}).content)
    assert [p["id"] for p in listed["places"]] == [place.public_id]


def test_imports_through_the_api_need_a_staff_token(api, client, django_user_model):
    response = api.client.post("/api/imports?source=web&format=csv", csv(JOSAPHAT), content_type="text/csv", HTTP_AUTHORIZATION=f"Bearer {api.token}")
    assert response.status_code == 200 and json.loads(response.content)["counts"]["created"] == 1
    assert client.post("/api/imports?source=web", csv(JOSAPHAT), content_type="text/csv").status_code == 401
    broken = api.client.post("/api/imports?source=web&format=geojson", b"{", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {api.token}")
    assert broken.status_code == 400 and broken["Content-Type"] == "application/problem+json"


def test_the_import_command_registers_the_source_detects_the_format_and_reports(tmp_path, capsys):
    path = tmp_path / "gasaps.csv"
    path.write_bytes(csv(JOSAPHAT, CAILLES))
    call_command("import", str(path), "--dry-run")
    assert "created: 2" in capsys.readouterr().out and Place.objects.count() == 0
    call_command("import", str(path), "--source", "gasaps", "--licence", "CC-BY-4.0")
    assert Source.objects.get(slug="gasaps").licence == "CC-BY-4.0" and Place.objects.count() == 2
    assert ImportRun.objects.filter(source__slug="gasaps", status="done").count() == 1
