"""The change feed read while several writers commit, against a real server and its real database."""

import threading
import urllib.error

import pytest

from tests.conftest import compost
from tests.opendata.live import Instance

WRITERS, PLACES_EACH = 4, 8


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    server = Instance(tmp_path_factory.mktemp("changes"), "origin").start()
    yield server
    server.stop()


def test_the_feed_read_during_concurrent_writes_misses_and_repeats_nothing(instance):
    token = instance.token()
    written: list[str] = []
    server_errors: list[int] = []
    lock = threading.Lock()

    def write(n: int):
        for i in range(PLACES_EACH):
            try:
                place = instance.send("POST", "/api/places", token, compost(name={"fr": f"Compost {n}-{i}"}))
                place = instance.send("PATCH", f"/api/places/{place['id']}", token, {"version": 1, "opening_hours": "Mo 10:00-11:00"})
            except urllib.error.HTTPError as error:
                if error.code >= 500:
                    server_errors.append(error.code)  # a defect even when the write committed
                continue  # a refused write is fine: the final read below says what was committed
            with lock:
                written.extend([f"{place['id']}@1", f"{place['id']}@2"])

    writers = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for w in writers:
        w.start()
    seen, cursor = [], "0"
    while any(w.is_alive() for w in writers) or len(seen) < len(written):
        body = instance.get(f"/api/changes?since={cursor}&limit=3")
        seen += [f"{c['id']}@{c['version']}" for c in body["changes"]]
        assert int(body["next_cursor"]) >= int(cursor)
        cursor = body["next_cursor"]
        if len(seen) > len(written) + WRITERS * PLACES_EACH * 2:
            break
    for w in writers:
        w.join()
    seen += [f"{c['id']}@{c['version']}" for c in instance.get(f"/api/changes?since={cursor}&limit=1000")["changes"]]
    everything = [f"{c['id']}@{c['version']}" for c in instance.get("/api/changes?limit=1000")["changes"]]
    assert server_errors == [], "concurrent writes never answer 5xx"
    assert seen == everything, "read while writing, the feed gave exactly what it gives once writes are over"
    assert len(set(seen)) == len(seen) >= len(written) >= WRITERS * PLACES_EACH
    assert set(written) <= set(seen)
    versions = {}
    for key in seen:
        place, version = key.split("@")
        assert versions.get(place, 0) == int(version) - 1, "a place's versions come in order"
        versions[place] = int(version)
