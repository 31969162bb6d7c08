"""Two real instances on loopback: one mirrors the other, is killed mid-way, resumes, and ends identical."""

import signal
import subprocess
import threading
import time

import pytest

from tests.conftest import compost
from tests.opendata.live import FOODCOMMONS, Instance

VOLATILE = ("url",)


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mirror")
    origin, copy = Instance(tmp, "origin"), Instance(tmp, "copy")
    starters = [threading.Thread(target=i.start) for i in (origin, copy)]
    for s in starters:
        s.start()
    for s in starters:
        s.join()
    yield origin, copy
    origin.stop()
    copy.stop()


def dataset(instance: Instance) -> dict:
    """Every place of an instance, deleted ones included, as the public API gives them (without its own URLs)."""
    ids = {c["id"] for c in instance.get("/api/changes?limit=1000")["changes"]}
    return {i: {k: v for k, v in instance.get(f"/api/places/{i}").items() if k not in VOLATILE} for i in sorted(ids)}


def mirror(copy: Instance, origin: Instance, *options: str) -> subprocess.CompletedProcess:
    result = copy.command("mirror", origin.url, "--allow-private", *options)
    assert result.returncode == 0, result.stderr
    return result


def changes_count(instance: Instance) -> int:
    return len(instance.get("/api/changes?limit=1000")["changes"])


def test_a_mirror_killed_mid_way_resumes_and_ends_identical_and_a_second_run_changes_nothing(pair):
    origin, copy = pair
    token = origin.token()
    made = [origin.send("POST", "/api/places", token, compost(name={"fr": f"Compost {i}"})) for i in range(4)]
    origin.get("/api/dumps")  # the dump the mirror starts from (built on first request)
    for place in made[:2]:
        origin.send("PATCH", f"/api/places/{place['id']}", token, {"version": 1, "opening_hours": "Tu 18:00-19:00"})
    origin.send("DELETE", f"/api/places/{made[2]['id']}?version=1", token, {})
    made += [origin.send("POST", "/api/places", token, compost(name={"fr": f"Nouveau {i}"})) for i in range(6)]

    # Slowed down to one change per page, the mirror is killed once it has applied some but not all.
    process = subprocess.Popen(
        [FOODCOMMONS, "mirror", origin.url, "--allow-private", "--page-size", "1", "--pause", "0.15"],
        env=copy.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while changes_count(copy) < 6 and time.monotonic() < deadline:
        time.sleep(0.1)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 4 <= changes_count(copy) < 13, "killed mid-way"
    assert dataset(copy) != dataset(origin)

    mirror(copy, origin)
    assert dataset(copy) == dataset(origin)

    before = changes_count(copy)
    mirror(copy, origin)
    assert changes_count(copy) == before, "a second run writes nothing"

    origin.send("PATCH", f"/api/places/{made[-1]['id']}", token, {"version": 1, "status": "closed"})
    origin.send("POST", f"/api/places/{made[2]['id']}/restore", token, {})
    mirror(copy, origin)
    assert dataset(copy) == dataset(origin)


def test_an_unreachable_origin_is_a_clear_error(pair):
    _, copy = pair
    result = copy.command("mirror", "http://127.0.0.1:9", "--allow-private")
    assert result.returncode != 0 and "cannot read" in result.stderr


def test_an_origin_on_a_loopback_address_is_refused_without_allow_private(pair):
    origin, copy = pair
    result = copy.command("mirror", origin.url)
    assert result.returncode != 0 and "is not a public address" in result.stderr
