"""Against a real server (SQLite or PostgreSQL): concurrent read-modify-write edits each get the state they wrote."""

import json
import threading
import urllib.error
import urllib.request

import pytest

from tests.conftest import compost
from tests.opendata.live import Instance

WRITERS, EDITS = 8, 25


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    server = Instance(tmp_path_factory.mktemp("truth"), "truth")
    server.start()
    yield server
    server.stop()


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
    assert {s for s in statuses} <= {200, 409, 503}
    revisions = instance.get(f"{path}/revisions")
    assert len(revisions) == 1 + WRITERS * EDITS


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
