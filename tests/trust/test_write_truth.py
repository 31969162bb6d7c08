"""A write answers the state it wrote (its own version), even when others write at once; a busy database is 503, never 500."""

import json
import threading
import urllib.error
import urllib.request

import pytest

from foodcommons.collaboration import services as collaboration
from foodcommons.places import services
from tests.conftest import compost
from tests.opendata.live import serving

WRITERS, EDITS = 8, 25


# Deterministic: another writer commits between this write and its answer.
LATE_HOURS = "Su 08:00-09:00"


def _another_writer_commits_after(monkeypatch, name: str, late_write) -> None:
    """Make the collaboration write `name` be followed, before the answer is built, by `late_write(result)`."""
    real = getattr(collaboration, name)

    def then_another_write(*args, **kwargs):
        outcome = real(*args, **kwargs)
        late_write(getattr(outcome, "result", None) or outcome)
        return outcome

    monkeypatch.setattr(collaboration, name, then_another_write)


def _late_update(result: services.WriteResult) -> None:
    place = result.place
    services.update_place(public_id=place.public_id, patch={"opening_hours": LATE_HOURS}, base_version=place.version)


def _late_restore(result: services.WriteResult) -> None:
    services.restore_place(public_id=result.place.public_id)


@pytest.fixture
def place(api):
    return json.loads(api.post("/api/places", compost()).content)


def _revision_state(api, place_id: str, version: int) -> dict:
    revisions = json.loads(api.get(f"/api/places/{place_id}/revisions").content)
    return next(r["state"] for r in revisions if r["version"] == version)


def test_a_create_answers_version_1_even_when_another_writer_changed_the_place_before_the_answer(api, monkeypatch):
    _another_writer_commits_after(monkeypatch, "create_or_suggest", _late_update)
    response = api.post("/api/places", compost(opening_hours="Mo 09:00-10:00"))
    body = json.loads(response.content)
    assert response.status_code == 201
    assert (body["version"], body["opening_hours"]) == (1, "Mo 09:00-10:00")
    assert json.loads(api.get(f"/api/places/{body['id']}").content)["version"] == 2, "the later write did happen"


def test_a_patch_answers_the_version_it_wrote_not_the_later_one_another_writer_committed(api, place, monkeypatch):
    _another_writer_commits_after(monkeypatch, "update_or_suggest", _late_update)
    response = api.patch(f"/api/places/{place['id']}", {"version": 1, "opening_hours": "Tu 10:00-11:00"})
    body = json.loads(response.content)
    assert response.status_code == 200
    assert (body["version"], body["opening_hours"]) == (2, "Tu 10:00-11:00")
    assert body["contacts"] == place["contacts"], "the writer sees the private contacts it wrote"
    written = _revision_state(api, place["id"], 2)
    assert {k: body[k] for k in ("name", "categories", "geometry", "address", "updated_at")} == {
        k: written[k] for k in ("name", "categories", "geometry", "address", "updated_at")
    }
    assert json.loads(api.get(f"/api/places/{place['id']}").content)["version"] == 3


def test_a_delete_answers_the_deleted_version_even_when_the_place_was_restored_before_the_answer(api, place, monkeypatch):
    _another_writer_commits_after(monkeypatch, "delete_or_suggest", _late_restore)
    body = json.loads(api.delete(f"/api/places/{place['id']}?version=1").content)
    assert (body["version"], body["deleted"]) == (2, True)
    current = json.loads(api.get(f"/api/places/{place['id']}").content)
    assert (current["version"], current["deleted"]) == (3, False)


def test_a_restore_answers_the_restored_version(api, place, monkeypatch):
    api.delete(f"/api/places/{place['id']}?version=1")
    _another_writer_commits_after(monkeypatch, "restore", _late_update)
    body = json.loads(api.post(f"/api/places/{place['id']}/restore", {}).content)
    assert (body["version"], body["deleted"], body["opening_hours"]) == (3, False, place["opening_hours"])


def test_a_revert_answers_the_version_it_created(api, place, monkeypatch):
    api.patch(f"/api/places/{place['id']}", {"version": 1, "opening_hours": "We 10:00-11:00"})
    _another_writer_commits_after(monkeypatch, "revert", _late_update)
    body = json.loads(api.post(f"/api/places/{place['id']}/revert", {"to_version": 1, "version": 2}).content)
    assert (body["version"], body["opening_hours"]) == (3, place["opening_hours"])


def test_a_write_answer_equals_what_a_read_of_that_version_shows(api, place):
    """Built without reading the place again, the answer still has the shape and values of a read."""
    body = json.loads(api.patch(f"/api/places/{place['id']}", {"version": 1, "areas_served": ["21015", "21004"]}).content)
    read = json.loads(api.get(f"/api/places/{place['id']}").content)
    assert body.pop("warnings") == []
    read.pop("provenance")
    assert body == read


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    yield from serving(tmp_path_factory, "truth")


def send(instance, method: str, path: str, token: str, body: dict | None = None) -> tuple[int, dict, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(instance.url + path, data=data, method=method,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}"), dict(error.headers)


def test_every_successful_write_answers_with_its_own_version_and_content(instance):
    token = instance.token()
    place = instance.send("POST", "/api/places", token, compost())
    path = f"/api/places/{place['id']}"
    wrong, statuses, written = [], [], []
    lock = threading.Lock()

    def writer(number: int):
        for edit in range(EDITS):
            comment = f"writer {number} edit {edit}"
            while True:
                status, current, _ = send(instance, "GET", path, token)
                status, body, headers = send(instance, "PATCH", path, token, {"version": current["version"], "description": {"en": comment}})
                with lock:
                    statuses.append(status)
                if status == 200:
                    if body["version"] != current["version"] + 1 or body["description"].get("en") != comment:
                        with lock:
                            wrong.append((current["version"], body["version"], comment, body["description"]))
                    with lock:
                        written.append(body["version"])
                    break
                if status == 503:
                    assert headers.get("Retry-After"), "a busy answer says when to retry"
                    continue
                assert status == 409, f"unexpected {status}: {body}"

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
    assert sorted(written) == list(range(2, 2 + WRITERS * EDITS)), "each version was written exactly once"
    assert set(statuses) <= {200, 409, 503}
    revisions = instance.get(f"{path}/revisions")
    assert len(revisions) == 1 + WRITERS * EDITS


def test_a_write_the_database_was_too_busy_for_is_a_503_problem_with_retry_after(api, monkeypatch):
    from django.db import OperationalError

    from foodcommons.api import places as places_api

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    place = json.loads(api.post("/api/places", compost()).content)
    monkeypatch.setattr(places_api.collaboration, "update_or_suggest", locked)
    answer = api.patch(f"/api/places/{place['id']}", {"version": 1, "opening_hours": "Tu 10:00-11:00"})
    assert answer.status_code == 503 and int(answer["Retry-After"]) > 0
    assert answer["Content-Type"] == "application/problem+json" and answer.json()["type"] == "/api/problems/busy"


@pytest.mark.django_db
def test_a_database_locked_too_long_is_a_503_with_retry_after_on_the_api_and_on_pages(api, client, monkeypatch):
    from django.db import OperationalError

    from foodcommons.places import selectors
    from foodcommons.web import selectors as web_selectors

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(selectors, "search_places", locked)
    answer = api.get("/api/places")
    assert answer.status_code == 503 and answer["Retry-After"] == "2" and answer.json()["type"] == "/api/problems/busy"
    monkeypatch.setattr(web_selectors, "directory_territories", locked)
    page = client.get("/directory", HTTP_ACCEPT_LANGUAGE="nl")
    assert page.status_code == 503 and page["Retry-After"] == "2"
    assert "Er worden nu veel wijzigingen opgeslagen" in page.content.decode()


@pytest.mark.django_db
def test_other_database_errors_stay_errors(api, monkeypatch):
    from django.db import OperationalError

    from foodcommons.places import selectors

    def broken(*args, **kwargs):
        raise OperationalError("no such table: places_place")

    monkeypatch.setattr(selectors, "search_places", broken)
    with pytest.raises(OperationalError):
        api.get("/api/places")
