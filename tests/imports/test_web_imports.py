"""Imports from the web: the form, the job on the database queue, progress, the report, dry runs applied, reverts, errors."""

import io
import json
import re
from pathlib import Path

import pytest

from foodcommons.collaboration.models import Membership, Organisation
from foodcommons.imports.models import ImportJob, ImportRun, MatchCandidate, Source
from foodcommons.places.models import Place

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[3] / "shared" / "data"

HEADER = "id;name;type;street;number;postcode;city;lat;lon;email\n"
ROWS = (
    "1;GASAP Josaphat;gasap;Rue Josaphat;12;1030;Schaerbeek;50.8624;4.3780;josaphat@gasap.be\n"
    "2;GASAP du Chant des Cailles;gasap;Avenue de la Houlette;3;1170;Watermael-Boitsfort;50.8060;4.4240;\n"
    "3;Potager du Parc;potager;Rue du Parc;1;1000;Bruxelles;50.8450;4.3650;\n"
    "4;Sans lieu;gasap;;;1000;Bruxelles;95;4.3650;\n"
)


def csv_file(text: str = HEADER + ROWS, name: str = "gasaps.csv") -> io.BytesIO:
    upload = io.BytesIO(text.encode())
    upload.name = name
    return upload


@pytest.fixture(autouse=True)
def database_queue_and_data_dir(settings, tmp_path, client):
    """Jobs go to the database queue (run below by the real worker); kept files go to a fresh storage; pages in English."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.DATA_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "files"


def work() -> None:
    """Run every queued job of the database queue with its own worker's code (its loop would close the test's connection)."""
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False, max_tasks=None,
                    worker_id="test-worker", excluded_queue_names=[])
    while (queued := DBTaskResult.objects.ready().first()) is not None:
        queued.claim(worker.worker_id)
        worker.run_task(queued)


@pytest.fixture
def network(db):
    return Organisation.objects.create(slug="gasap-network", name="Réseau des GASAP")


@pytest.fixture
def editor(client, django_user_model, network):
    user = django_user_model.objects.create_user("eddie")
    Membership.objects.create(organisation=network, user=user, role="editor")
    client.force_login(user)
    return user


def _organisation(slug: str) -> Organisation:
    return Organisation.objects.get_or_create(slug=slug, defaults={"name": slug})[0]


def new_source_form(**extra) -> dict:
    return {"source": "", "new_name": "GASAP network list", "new_licence": "CC-BY-4.0", "new_attribution": "© Réseau des GASAP",
            "new_organisation": "gasap-network", "format": "", "field_mapping": "", "default_category": "", **extra}


def start(client, **fields) -> str:
    """Post the import form; return the job page it redirects to."""
    response = client.post("/imports/", {"file": csv_file(), **new_source_form(), **fields})
    assert response.status_code == 302, response.content.decode()[:3000]
    return response["Location"]


def test_an_editor_uploads_a_file_follows_the_job_reads_the_report_and_reverts_the_run(client, editor):
    job_page = start(client)
    assert re.fullmatch(r"/imports/jobs/[0-9a-f]{32}", job_page)
    queued = client.get(job_page)
    assert queued.status_code == 200 and "imports/progress.js" in queued.content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in queued.content.decode()  # without JavaScript
    state = client.get(job_page + ".json").json()
    assert state["status"] == "queued" and state["total"] == 4 and state["report"] is None
    assert not Place.objects.exists()

    work()

    state = client.get(job_page + ".json").json()
    assert state["status"] == "done" and state["done"] == state["total"] == 4
    report_page = client.get(job_page)
    assert report_page.status_code == 302 and report_page["Location"] == state["report"]
    report = client.get(state["report"]).content.decode()
    run = ImportRun.objects.get()
    assert run.status == "done" and run.counts["created"] == 3 and run.author == editor
    assert re.search(r'data-count="created"><th scope="row">[^<]+</th><td>3</td>', report)
    assert "<td>5</td><td>geometry.coordinates</td><td>latitude 95.0 is out of range" in report  # row as a spreadsheet shows it, field, why
    assert Source.objects.get(slug="gasap-network-list").organisation.slug == "gasap-network"
    assert Place.objects.filter(deleted_at__isnull=True).count() == 3

    reverted = client.post(f"/imports/runs/{run.pk}/revert", {"confirmed": "1"})
    assert reverted.status_code == 302
    run.refresh_from_db()
    assert run.status == "reverted" and Place.objects.filter(deleted_at__isnull=True).count() == 0
    assert "Revert the run" not in client.get(f"/imports/runs/{run.pk}").content.decode()


def test_a_dry_run_says_what_would_happen_writes_nothing_and_runs_for_real_from_its_report(client, editor):
    job_page = start(client, dry_run="on")
    work()
    state = client.get(job_page + ".json").json()
    dry = ImportRun.objects.get(pk=int(state["report"].rsplit("/", 1)[1]))
    assert dry.status == "dry_run" and dry.counts["created"] == 3 and not Place.objects.exists()
    page = client.get(state["report"]).content.decode()
    assert "nothing was written" in page and "would be created" in page and f"/imports/runs/{dry.pk}/apply" in page

    applied = client.post(f"/imports/runs/{dry.pk}/apply")
    assert applied.status_code == 302 and applied["Location"].startswith("/imports/jobs/")
    work()
    real = ImportRun.objects.exclude(pk=dry.pk).get()
    assert real.status == "done" and real.counts["created"] == 3 and Place.objects.count() == 3
    assert client.get(applied["Location"])["Location"] == f"/imports/runs/{real.pk}"


def test_a_column_mapping_is_tried_in_a_dry_run_and_kept_by_the_real_one(client, editor):
    text = "ref;Nom du groupe;kind;lat;lon\n1;GASAP Josaphat;gasap;50.8624;4.3780\n"
    start(client, file=csv_file(text), field_mapping="name = Nom du groupe\nexternal_id = ref", dry_run="on")
    work()
    source = Source.objects.get()
    assert source.field_mapping == {} and ImportRun.objects.get().counts["created"] == 1
    client.post(f"/imports/runs/{ImportRun.objects.get().pk}/apply")
    work()
    source.refresh_from_db()
    assert source.field_mapping == {"name": "Nom du groupe", "external_id": "ref"}
    assert Place.objects.get().name_fr == "GASAP Josaphat"


def test_the_index_lists_the_sources_and_recent_runs_of_the_user_s_organisations_only(client, editor):
    Source.objects.create(slug="someone-else", name="Someone else's list", licence="CC0-1.0", attribution="x", organisation=_organisation("other"))
    start(client)
    work()
    page = client.get("/imports/").content.decode()
    assert "GASAP network list" in page and "CC-BY-4.0" in page and "© Réseau des GASAP" in page
    assert "Someone else" not in page
    assert f'/imports/runs/{ImportRun.objects.get().pk}"' in page


def _run_with_a_pair_to_review(client) -> ImportRun:
    start(client)
    work()
    similar = "id;name;type;street;number;postcode;city;lat;lon\n9;GASAP Josaphat bis;gasap;Rue Josaphat;40;1030;Schaerbeek;50.8640;4.3790\n"
    start(client, file=csv_file(similar), source="gasap-network-list", new_name="")
    work()
    return ImportRun.objects.order_by("-id").first()


def test_the_network_s_editor_reviews_the_pairs_its_import_sent_to_review(client, editor):
    run = _run_with_a_pair_to_review(client)
    assert run.counts["review"] == 1
    report = client.get(f"/imports/runs/{run.pk}").content.decode()
    assert f"/imports/runs/{run.pk}/review" in report
    review = client.get(f"/imports/runs/{run.pk}/review").content.decode()
    assert "GASAP Josaphat bis" in review and 'value="keep_apart"' in review
    candidate = MatchCandidate.objects.get()
    client.post(f"/imports/runs/{run.pk}/review", {"candidate": candidate.pk, "decision": "merge"})
    candidate.refresh_from_db()
    assert candidate.status == "merged" and candidate.decided_by == editor


def test_a_member_of_the_network_sees_the_pairs_but_may_not_decide_them(client, editor, django_user_model, network):
    run = _run_with_a_pair_to_review(client)
    member = django_user_model.objects.create_user("mia")
    Membership.objects.create(organisation=network, user=member, role="member")
    client.force_login(member)
    assert client.get(f"/imports/runs/{run.pk}/review").status_code == 403  # not an importer of the source: nothing to see
    candidate = MatchCandidate.objects.get()
    assert client.post(f"/imports/runs/{run.pk}/review", {"candidate": candidate.pk, "decision": "merge"}).status_code == 403
    candidate.refresh_from_db()
    assert candidate.status == "pending"


def test_another_organisation_s_editor_may_not_decide_the_network_s_pairs(client, editor, django_user_model):
    run = _run_with_a_pair_to_review(client)
    stranger = django_user_model.objects.create_user("otto")
    Membership.objects.create(organisation=_organisation("other-network"), user=stranger, role="editor")
    client.force_login(stranger)
    candidate = MatchCandidate.objects.get()
    assert client.post(f"/imports/runs/{run.pk}/review", {"candidate": candidate.pk, "decision": "merge"}).status_code == 403
    candidate.refresh_from_db()
    assert candidate.status == "pending"


def test_a_pair_of_another_run_cannot_be_decided_through_this_run_s_page(client, editor, django_user_model):
    from django.utils import timezone

    from foodcommons.places.services import create_place
    from tests.conftest import compost

    run = _run_with_a_pair_to_review(client)
    foreign = Source.objects.create(slug="other-list", name="Other list", licence="CC0-1.0", attribution="x", organisation=_organisation("other-network"))
    other_run = ImportRun.objects.create(source=foreign, started_at=timezone.now(), status="done")
    a, b = (create_place(data=compost(name={"fr": name})).place for name in ("Compost A", "Compost A bis"))
    theirs = MatchCandidate.objects.create(place_a=a, place_b=b, score=0.8, run=other_run, created_at=timezone.now())
    client.post(f"/imports/runs/{run.pk}/review", {"candidate": theirs.pk, "decision": "keep_apart"})
    theirs.refresh_from_db()
    assert theirs.status == "pending"


# Permissions: who may import comes from the permission matrix (action import_data).

def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/imports/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login")


@pytest.mark.parametrize("role", ["member", None])
def test_people_who_are_not_editors_get_a_403_page(client, django_user_model, network, role):
    user = django_user_model.objects.create_user("mo")
    if role:
        Membership.objects.create(organisation=network, user=user, role=role)
    client.force_login(user)
    assert client.get("/imports/").status_code == 403
    assert client.post("/imports/", {"file": csv_file(), **new_source_form()}).status_code == 403
    assert not Source.objects.exists()


def test_an_editor_may_not_import_into_another_organisation_s_source_nor_read_its_runs(client, editor):
    other = Source.objects.create(slug="other-list", name="Other list", licence="CC0-1.0", attribution="x", organisation=_organisation("other-network"))
    response = client.post("/imports/", {"file": csv_file(), **new_source_form(source="other-list", new_name="")})
    assert response.status_code == 400 and not ImportRun.objects.exists()
    run = ImportRun.objects.create(source=other, started_at="2026-01-01T00:00:00Z", status="done")
    assert client.get(f"/imports/runs/{run.pk}").status_code == 403
    assert client.post(f"/imports/runs/{run.pk}/revert", {"confirmed": "1"}).status_code == 403


def test_another_organisation_s_editor_may_not_follow_a_job_nor_read_its_state(client, editor, django_user_model):
    job_page = start(client)
    stranger = django_user_model.objects.create_user("stranger")
    Membership.objects.create(organisation=Organisation.objects.create(slug="other", name="Other"), user=stranger, role="editor")
    client.force_login(stranger)
    assert client.get(job_page).status_code == 403
    assert client.get(job_page + ".json").status_code == 403
    assert client.get("/imports/jobs/not-a-job").status_code == 404


def test_a_dry_run_whose_file_is_no_longer_kept_says_so_instead_of_running(client, editor):
    from django.core.files.storage import default_storage

    start(client, dry_run="on")
    work()
    dry = ImportRun.objects.get()
    default_storage.delete(ImportJob.objects.get(run=dry).upload.name)
    assert "no longer kept" in client.get(f"/imports/runs/{dry.pk}").content.decode()
    response = client.post(f"/imports/runs/{dry.pk}/apply", follow=True)
    assert "no longer kept" in response.content.decode() and ImportRun.objects.count() == 1


def test_an_editor_may_not_create_a_source_for_an_organisation_they_do_not_edit(client, editor):
    Organisation.objects.create(slug="elsewhere", name="Elsewhere")
    response = client.post("/imports/", {"file": csv_file(), **new_source_form(new_organisation="elsewhere")})
    assert response.status_code == 400 and not Source.objects.exists()


def test_an_editor_s_new_source_belongs_to_one_of_their_organisations(client, editor):
    assert "Choose the organisation" in _refused(client, file=csv_file(), new_organisation="")


def test_staff_import_into_any_source(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("staffer", is_staff=True))
    Source.objects.create(slug="other-list", name="Other list", licence="CC0-1.0", attribution="x", organisation=_organisation("other-network"))
    job = start(client, source="other-list", new_name="", new_organisation="")
    work()
    assert client.get(job + ".json").json()["status"] == "done"


# Errors: clear form errors, and nothing written.

def _refused(client, **fields) -> str:
    response = client.post("/imports/", {**new_source_form(), **fields})
    assert response.status_code in (400, 413), response.status_code
    assert not Source.objects.exists() and not ImportRun.objects.exists() and not Place.objects.exists()
    return response.content.decode()


def test_an_oversized_upload_is_refused_with_a_form_error(client, editor, settings):
    settings.FOODCOMMONS_IMPORT_MAX_BYTES = 100
    assert "larger than" in _refused(client, file=csv_file())


def test_an_upload_far_too_large_is_refused_before_its_body_is_read(client, editor, settings):
    settings.FOODCOMMONS_IMPORT_MAX_BYTES = 0
    big = csv_file(HEADER + ROWS * 40000)
    response = client.post("/imports/", {**new_source_form(), "file": big})
    assert response.status_code == 413 and "larger than" in response.content.decode()
    assert not Source.objects.exists()


def test_an_unknown_format_is_a_form_error(client, editor):
    assert "Select a valid choice" in _refused(client, file=csv_file(), format="shapefile")


def test_an_unreadable_file_is_a_form_error(client, editor):
    page = _refused(client, file=csv_file('{"type": "FeatureCollection", "features": [', name="broken.geojson"))
    assert "not valid JSON" in page
    assert "submitted file is empty" in _refused(client, file=csv_file("", name="empty.csv"))
    assert "not a readable spreadsheet" in _refused(client, file=csv_file("not a spreadsheet"), format="xlsx")
    assert "no name column" in _refused(client, file=csv_file("just one line\n"))


@pytest.mark.parametrize(("url", "reason"), [
    ("ftp://example.org/list.csv", "expected an http:// or https:// address"),
    ("http://127.0.0.1:9/list.csv", "not a public address"),
    ("http://no-such-host.invalid/list.csv", "unknown host"),
])
def test_bad_urls_are_form_errors(client, editor, url, reason):
    assert reason in _refused(client, url=url)


def test_a_file_and_a_url_together_or_neither_are_refused(client, editor):
    assert "either a file or an address" in _refused(client)
    assert "either a file or an address" in _refused(client, file=csv_file(), url="https://example.org/x.csv")


def test_a_new_source_needs_a_name_and_an_spdx_licence(client, editor):
    page = _refused(client, file=csv_file(), new_name="", new_licence="")
    assert "name the new one" in page and "licence of a new source is required" in page
    assert "SPDX" in _refused(client, file=csv_file(), new_licence="free for all!")


def test_a_bad_mapping_line_is_a_form_error(client, editor):
    assert "Line 1" in _refused(client, file=csv_file(), field_mapping="colour = Kleur")


@pytest.fixture
def file_server():
    """A real HTTP server on loopback serving the shared sample data."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(DATA))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_url_is_fetched_checked_and_imported_and_kept_as_the_source_s_location(client, editor, settings, file_server):
    settings.FOODCOMMONS_FETCH_ALLOW_PRIVATE = True
    url = file_server + "/schaerbeek-compost-de-quartier/compost_de_quartier_schaerbeek.geojson"
    start(client, file="", url=url, new_licence="LicenseRef-schaerbeek", default_category="neighbourhood-compost",
                field_mapping="name = Adresses du bien FR")
    work()
    run = ImportRun.objects.get()
    assert run.status == "done" and run.location == url and run.file_format == "geojson" and run.counts["created"] > 10
    assert Source.objects.get().location == url
    assert "the server answered 404" in _refused_url(client, file_server + "/no/such/file.csv")


def _refused_url(client, url: str) -> str:
    response = client.post("/imports/", {**new_source_form(new_name="Another"), "url": url})
    assert response.status_code == 400
    return response.content.decode()


def test_a_job_that_finds_its_file_bad_fails_clearly_and_writes_nothing(client, editor):
    job_page = start(client, file=csv_file(HEADER + ROWS), format="csv")
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    job = ImportJob.objects.get(pk=job_page.rsplit("/", 1)[1])
    default_storage.delete(job.upload.name)
    default_storage.save(job.upload.name, ContentFile(b"PK\x03\x04 not really a zip"))
    Source.objects.filter(slug="gasap-network-list").update(format="xlsx")
    ImportJob.objects.filter(pk=job.pk).update(file_format="xlsx")
    work()
    page = client.get(job_page)
    assert page.status_code == 422 and "Nothing was imported" in page.content.decode()
    assert not Place.objects.exists()
    assert json.loads(client.get(job_page + ".json").content)["status"] == "failed"


def test_a_job_whose_worker_stopped_mid_run_says_so_instead_of_polling_forever(client, editor):
    from datetime import timedelta

    from django.utils import timezone

    job_page = start(client, file=csv_file(HEADER + ROWS), format="csv")
    job = ImportJob.objects.filter(pk=job_page.rsplit("/", 1)[1])
    job.update(status="running", updated_at=timezone.now() - timedelta(minutes=5))
    assert json.loads(client.get(job_page + ".json").content)["status"] == "running"
    job.update(updated_at=timezone.now() - timedelta(hours=1))
    shown = json.loads(client.get(job_page + ".json").content)
    assert shown["status"] == "failed"
    assert "interrupted" in client.get(job_page).content.decode() and not Place.objects.exists()


def test_an_unknown_organisation_for_a_new_source_is_a_clear_error(db):
    from foodcommons.core.problems import InvalidInput
    from foodcommons.imports.services.sources import register_source

    with pytest.raises(InvalidInput) as refused:
        register_source(slug="orphan", licence="CC0-1.0", organisation="no-such-network")
    assert refused.value.errors[0].field == "organisation" and "unknown organisation 'no-such-network'" in refused.value.errors[0].reason
    assert not Source.objects.exists()


def test_a_job_started_on_one_host_is_run_and_followed_from_another_through_the_database_and_the_storage(client, editor, settings, tmp_path):
    """The web host that took the upload and the worker host share the database and the file storage, not a data folder."""
    settings.DATA_DIR = tmp_path / "web-host"
    job_page = start(client)
    job = ImportJob.objects.get(pk=job_page.rsplit("/", 1)[1])
    assert job.status == "queued" and job.total == 4 and job.upload.storage.exists(job.upload.name)

    settings.DATA_DIR = tmp_path / "worker-host"  # another machine: nothing of the web host's folder is there
    work()
    job.refresh_from_db()
    assert job.status == "done" and job.run.counts["created"] == 3
    assert not job.upload and not (tmp_path / "worker-host").exists()  # the real run dropped the kept file; no folder was used

    settings.DATA_DIR = tmp_path / "third-host"  # and a third one answers the progress page from the database
    state = client.get(job_page + ".json").json()
    assert state["status"] == "done" and state["report"] == f"/imports/runs/{job.run_id}"
    assert not (tmp_path / "web-host").exists() and not (tmp_path / "third-host").exists()


def test_the_live_progress_of_a_running_job_is_read_from_the_shared_storage(client, editor):
    from foodcommons.imports import jobs

    job_page = start(client)
    job_id = job_page.rsplit("/", 1)[1]
    ImportJob.objects.filter(pk=job_id).update(status="running")
    jobs._progress(job_id)("match", 2, 4)  # what the worker writes while its transaction hides the row's changes
    state = client.get(job_page + ".json").json()
    assert (state["status"], state["stage"], state["done"], state["total"]) == ("running", "match", 2, 4)


def test_a_pair_is_shown_side_by_side_and_merged_with_the_values_chosen_per_field(client, editor):
    from foodcommons.places.models import Place

    run = _run_with_a_pair_to_review(client)
    page = client.get(f"/imports/runs/{run.pk}/review", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'class="differs"' in page and 'name="field:address"' in page and "m l'un de l'autre" in page
    candidate = MatchCandidate.objects.get()
    client.post(f"/imports/runs/{run.pk}/review", {"candidate": candidate.pk, "decision": "merge", "keep": "a", "field:address": "b"})
    survivor = Place.objects.get(pk=candidate.place_a_id)
    assert survivor.house_number == "40" and Place.objects.get(pk=candidate.place_b_id).is_deleted
    # The list gives Josaphat again, changed elsewhere (its e-mail): its number 12 is newer, yet the reviewer's choice stays.
    start(client, file=csv_file(HEADER + ROWS.replace("josaphat@gasap.be", "contact@gasap.be")), source="gasap-network-list", new_name="")
    work()
    assert ImportRun.objects.order_by("-id").first().counts["updated"] >= 1
    survivor.refresh_from_db()
    assert survivor.house_number == "40"


@pytest.mark.parametrize(("language", "status", "title"), [
    ("fr", "Statut\u00a0:", "Doublons possibles\u00a0:"), ("nl", "Status:", "Mogelijke dubbels:"), ("en", "Status:", "Possible duplicates:"),
])
def test_a_run_s_labels_are_punctuated_as_the_page_s_language_wants(client, editor, language, status, title):
    run = _run_with_a_pair_to_review(client)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    report = client.get(f"/imports/runs/{run.pk}").content.decode()
    review = client.get(f"/imports/runs/{run.pk}/review").content.decode()
    assert status in report and f"<h1>{title}" in review
    colon = "\u00a0:" if language == "fr" else ":"
    assert f" #{run.pk}{colon} GASAP network list</h1>" in report  # after a number, too
    if language != "fr":
        assert "\u00a0:" not in report + review
