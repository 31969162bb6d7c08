"""200 concurrent readers against the real `foodcommons serve` (SQLite or PostgreSQL): every request answered, none timed out.

Bounded: FOODCOMMONS_LOAD_SECONDS (20 by default here, 60 for the figures in docs/operations.md), loopback only.
"""

import http.client
import itertools
import os
import statistics
import threading
import time

import pytest

from tests.conftest import compost
from tests.opendata.live import Instance

READERS = int(os.environ.get("FOODCOMMONS_LOAD_READERS", "200"))
SECONDS = float(os.environ.get("FOODCOMMONS_LOAD_SECONDS", "20"))
TIMEOUT = 30


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    server = Instance(tmp_path_factory.mktemp("load"), "load")
    server.start()
    token = server.token()
    server.ids = [server.send("POST", "/api/places", token, compost(name={"fr": f"Compost {i}"}, geometry={
        "type": "Point", "coordinates": [4.30 + i * 0.002, 50.80 + (i % 10) * 0.01]}))["id"] for i in range(60)]
    yield server
    server.stop()


def test_two_hundred_concurrent_readers_are_all_served(instance):
    paths = itertools.cycle([
        "/api/places?bbox=4.25,50.75,4.50,50.95&limit=100", *(f"/api/places/{i}" for i in instance.ids[:5]), "/",
        "/ogc/collections/places/items?limit=50", f"/places/{instance.ids[0]}", "/api/places?q=compost",
    ])
    lock, latencies, errors = threading.Lock(), [], []
    start = threading.Barrier(READERS)
    deadline = [0.0]

    def reader():
        start.wait()
        while time.monotonic() < deadline[0]:
            with lock:
                path = next(paths)
            began = time.monotonic()
            connection = http.client.HTTPConnection("127.0.0.1", instance.port, timeout=TIMEOUT)
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    raise RuntimeError(f"{response.status} on {path}")
            except Exception as error:  # noqa: BLE001 (every failure counts, whatever it is)
                with lock:
                    errors.append(f"{type(error).__name__}: {error}")
            else:
                with lock:
                    latencies.append(time.monotonic() - began)
            finally:
                connection.close()

    deadline[0] = time.monotonic() + SECONDS + 5
    threads = [threading.Thread(target=reader, daemon=True) for _ in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(SECONDS + 5 + TIMEOUT + 10)
    assert not any(t.is_alive() for t in threads), "a reader is still waiting"
    p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 20 else None
    print(f"\n{READERS} readers, {SECONDS:.0f} s: {len(latencies)} answered, {len(errors)} errors, p95 {p95 or 0:.2f} s, "
          f"load {os.getloadavg()[0]:.1f}")
    assert errors == []
    assert len(latencies) > READERS, "every reader was answered more than once"
