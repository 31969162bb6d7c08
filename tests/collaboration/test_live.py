"""Against a real server and its real database (SQLite or PostgreSQL): concurrent edits, and the job queue's worker."""

import json
import threading
import urllib.error
import urllib.request

from tests.conftest import compost


def _send(instance, method: str, path: str, token: str | None, body: dict) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(instance.url + path, data=json.dumps(body).encode(), method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_two_clients_updating_from_the_same_version_one_wins_the_other_gets_409_with_the_current_state(instance):
    token = instance.token()

    def edit(hours: str, place: dict, barrier: threading.Barrier, results: dict):
        barrier.wait()
        results[hours] = _send(instance, "PATCH", f"/api/places/{place['id']}", token, {"version": 1, "opening_hours": hours})

    for round_ in range(5):
        place = instance.send("POST", "/api/places", token, compost(name={"fr": f"Compost {round_}"}))
        barrier, results = threading.Barrier(2), {}
        threads = [threading.Thread(target=edit, args=(h, place, barrier, results)) for h in ("Mo 10:00-12:00", "Tu 10:00-12:00")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        statuses = sorted(status for status, _ in results.values())
        assert statuses == [200, 409]
        winner = next(h for h, (status, _) in results.items() if status == 200)
        loser_body = next(body for status, body in results.values() if status == 409)
        assert loser_body["current"]["opening_hours"] == winner and loser_body["current"]["version"] == 2
        history = instance.get(f"/api/places/{place['id']}/history")
        assert [e["version"] for e in history] == [2, 1]
        assert instance.get(f"/api/places/{place['id']}")["opening_hours"] == winner


def test_emails_wait_in_the_database_queue_until_the_worker_runs(instance):
    before = set(instance.mail.glob("*")) if instance.mail.exists() else set()
    status, body = _send(instance, "POST", "/api/suggestions", None, {"kind": "create", "data": compost(), "email": "ana@example.org"})
    assert status == 202 and body["status"] == "unconfirmed"
    assert (set(instance.mail.glob("*")) if instance.mail.exists() else set()) == before
    worker = instance.command("db_worker", "--batch", "--no-startup-delay")
    assert worker.returncode == 0, worker.stderr
    sent = [p.read_text() for p in set(instance.mail.glob("*")) - before]
    assert len(sent) == 1 and "ana@example.org" in sent[0] and "/contributions/confirm/" in sent[0]


def test_the_schedule_enqueues_the_reminder_job_once_per_period(instance):
    first = instance.command("schedule")
    second = instance.command("schedule")
    assert "send_upkeep_reminders" in first.stdout and second.stdout == ""
    assert instance.command("db_worker", "--batch", "--no-startup-delay").returncode == 0


def test_rate_limit_counts_are_shared_by_separate_processes(instance):
    count = "from foodcommons.core import ratelimit; print(ratelimit.count(scope='login', key='shared-test'))"
    seen = [instance.command("shell", "--no-imports", "-c", count).stdout.strip().splitlines()[-1] for _ in range(3)]
    assert seen == ["1", "2", "3"]
