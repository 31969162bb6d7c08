"""The real `foodcommons serve` under 200 concurrent readers: every request answered, none timed out.

The run is bounded (FOODCOMMONS_LOAD_SECONDS, default 20, at most 60; FOODCOMMONS_LOAD_READERS, default
200), stops by itself and stays on loopback. It asserts no speed: only that every request got its answer.
Each reader keeps its connection open between requests, as browsers do, so that each holds one of the
server's connections all along: a server that accepts fewer connections than it has readers starves the rest.
"""

import http.client
import os
import random
import threading
import time

import pytest

from foodcommons.platform.process import ServerSize, server_size
from tests.opendata.live import Instance, serving

LOAD_SECONDS = min(60.0, float(os.environ.get("FOODCOMMONS_LOAD_SECONDS") or 20))
READERS = int(os.environ.get("FOODCOMMONS_LOAD_READERS") or 200)
REQUEST_TIMEOUT = 30  # what the audit's clients waited before giving up


# A few hundred composts spread over Brussels, beside the demo places (56 real places of Luxembourg and Schaerbeek).
ADD_PLACES = """
import random
from foodcommons.places.bulk import bulk_create_places
rng = random.Random(7)
inputs = [{
    "name": {"fr": f"Compost {n}", "nl": f"Compost {n}"}, "categories": ["neighbourhood-compost"],
    "geometry": {"type": "Point", "coordinates": [round(rng.uniform(4.30, 4.45), 6), round(rng.uniform(50.80, 50.90), 6)]},
    "address": {"street": "Rue Kessels", "house_number": str(n), "postcode": "1030", "locality": "Schaerbeek"},
    "opening_hours": "Sa 10:00-12:00",
} for n in range(%d)]
result = bulk_create_places(inputs=inputs, comment="load test")
assert result.created == len(inputs), result.errors
"""


class DemoInstance(Instance):
    """An instance with the demo places and a few hundred more, served by the default `foodcommons serve`."""

    def start(self, extra_places: int = 300) -> "DemoInstance":
        for command in (("setup",), ("shell", "--no-imports", "-c", ADD_PLACES % extra_places)):
            done = self.command(*command, timeout=300)
            assert done.returncode == 0, done.stderr
        return super().start(timeout=120)  # a set-up instance with demo data takes longer to start


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    yield from serving(tmp_path_factory, "load", DemoInstance)


def _read_urls(instance) -> list[str]:
    ids = [p["id"] for p in instance.get("/api/places?limit=1000")["places"]]
    assert len(ids) >= 300, "the demo places and the added ones are there"
    random.Random(1).shuffle(ids)
    boxes = ["5.45,49.55,5.95,49.85", "5.70,49.66,5.86,49.72", "4.33,50.83,4.40,50.88", "2.5,49.5,6.4,51.5"]
    return [
        *(f"/api/places?bbox={b}" for b in boxes),
        *(f"/api/places/{i}" for i in ids[:40]), "/api/places?q=compost",
        "/", f"/places/{ids[0]}", f"/places/{ids[1]}",
        "/ogc/collections/places/items?limit=20", f"/ogc/collections/places/items?bbox={boxes[0]}&limit=50",
    ]


class Tally:
    """What the readers saw, counted under one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.answered, self.timeouts, self.errors, self.latencies = 0, 0, [], []
        self.served_during_run: set[int] = set()  # the readers that got an answer before the run ended

    def add(self, *, latency: float | None = None, error: str | None = None, timeout: bool = False, reader: int = -1, in_run=False):
        with self.lock:
            if timeout:
                self.timeouts += 1
            elif error:
                self.errors.append(error)
            else:
                self.answered += 1
                self.latencies.append(latency)
                if in_run:
                    self.served_during_run.add(reader)


def _reader(port: int, urls: list[str], start: threading.Barrier, deadline: list[float], tally: Tally, seed: int) -> None:
    """Send GETs one after another until the deadline, on one kept-alive connection."""
    pick = random.Random(seed).choice
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    start.wait()
    while time.monotonic() < deadline[0]:
        url, sent = pick(urls), time.monotonic()
        try:
            connection.request("GET", url)
            response = connection.getresponse()
            response.read()
        except TimeoutError:
            tally.add(timeout=True)
            connection.close()
            continue
        except (OSError, http.client.HTTPException) as error:
            tally.add(error=f"{url}: {error!r}")
            connection.close()
            continue
        if response.status != 200:
            tally.add(error=f"{url}: {response.status}")
        else:
            answered = time.monotonic()
            tally.add(latency=answered - sent, reader=seed, in_run=answered < deadline[0])
        if response.will_close:
            connection.close()  # http.client connects again on the next request
    connection.close()


def _quantiles(values: list[float]):
    ordered = sorted(values)
    return lambda q: ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else 0.0


def test_two_hundred_concurrent_readers_are_all_served(instance):
    urls = _read_urls(instance)
    tally, start, deadline = Tally(), threading.Barrier(READERS + 1), [0.0]
    readers = [
        threading.Thread(target=_reader, args=(instance.port, urls, start, deadline, tally, n), daemon=True) for n in range(READERS)
    ]
    for r in readers:
        r.start()
    deadline[0] = time.monotonic() + LOAD_SECONDS  # set before the readers are let go, read by them after
    start.wait()
    for r in readers:
        r.join(timeout=max(0.0, deadline[0] - time.monotonic()) + REQUEST_TIMEOUT + 10)
    assert not any(r.is_alive() for r in readers), "every reader stops by itself"
    quantile = _quantiles(tally.latencies)
    print(f"\n{READERS} readers x {LOAD_SECONDS:.0f} s: {tally.answered} answered, {tally.timeouts} timeouts, "
          f"{len(tally.errors)} errors; p50 {quantile(0.5):.2f} s, p95 {quantile(0.95):.2f} s, max {quantile(1):.2f} s; "
          f"load average {os.getloadavg()[0]:.1f}")
    assert tally.errors == [] and tally.timeouts == 0
    # A server holding fewer connections than it has readers leaves the others in its backlog until
    # the served ones leave: in a run shorter than the 30 s time-out, that shows as readers never served.
    assert len(tally.served_during_run) == READERS, f"{READERS - len(tally.served_during_run)} readers were not served during the run"


def test_the_default_server_is_sized_from_the_cpus_and_each_figure_can_be_overridden():
    assert server_size({}, cpus=2) == ServerSize(threads=8, connection_limit=1000, backlog=2048, channel_timeout=120)
    assert server_size({}, cpus=1).threads == 8 and server_size({}, cpus=4).threads == 16 and server_size({}, cpus=64).threads == 32
    overridden = {"FOODCOMMONS_SERVE_CONNECTIONS": "50", "FOODCOMMONS_SERVE_BACKLOG": "64", "FOODCOMMONS_SERVE_CHANNEL_TIMEOUT": "30"}
    assert server_size(overridden, cpus=2) == ServerSize(threads=8, connection_limit=50, backlog=64, channel_timeout=30)
    assert server_size({"FOODCOMMONS_SERVE_THREADS": "3"}, cpus=2).threads == 3
    assert server_size({}, cpus=2).connection_limit > READERS, "more connections than the readers this suite sends"
    assert server_size({}).waitress_options()["asyncore_use_poll"] is True
