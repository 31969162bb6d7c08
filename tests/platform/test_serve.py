"""`foodcommons serve` runs the job worker beside the web server, and e-mail links point to the address it serves."""

import http.cookiejar
import io
import re
import subprocess
import sys
import time
import types
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from foodcommons.platform.management.commands import serve
from foodcommons.platform.worker import SupervisedWorker
from tests.opendata.live import Instance

PASSWORD = "a long newcomer passphrase"


class Browser:
    """A visitor keeping its cookies, posting forms with their CSRF token as a browser does."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, url: str) -> tuple[str, str]:
        with self.opener.open(urllib.parse.urljoin(self.base_url, url), timeout=30) as answer:
            return answer.geturl(), answer.read().decode()

    def submit(self, url: str, fields: dict) -> tuple[str, str]:
        """Open the form at `url`, post `fields` with its CSRF token and return (the final URL, its page)."""
        _, page = self.get(url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        with self.opener.open(urllib.parse.urljoin(self.base_url, url), data=data, timeout=30) as answer:
            return answer.geturl(), answer.read().decode()


def _wait_until(found, what: str, timeout: float = 60):
    """Return what `found()` returns once it is truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := found():
            return result
        time.sleep(0.3)
    raise AssertionError(f"{what} within {timeout:g} s")


def _delivered_mail(folder) -> str:
    """The e-mails written so far under `folder`, each complete (the file-based backend ends each one with a rule)."""
    text = "".join(path.read_text() for path in sorted(folder.glob("*"))) if folder.exists() else ""
    return text if "-" * 79 in text else ""


@pytest.fixture(scope="module")
def newcomer_instance(tmp_path_factory):
    """`foodcommons serve` as the README starts it: default e-mail backend, no base URL set, a port that is not 8000."""
    server = Instance(tmp_path_factory.mktemp("serve"), "serve")
    for name in ("FOODCOMMONS_BASE_URL", "FOODCOMMONS_EMAIL_BACKEND", "FOODCOMMONS_EMAIL_FILE_PATH", "FOODCOMMONS_TASKS_BACKEND"):
        server.env.pop(name, None)
    assert server.port != 8000
    server.start()
    yield server
    server.stop()


def test_a_newcomer_signs_up_and_activates_the_account_by_the_link_in_the_mail_file_the_worker_wrote(newcomer_instance):
    browser = Browser(newcomer_instance.url)
    _, signed_up = browser.submit("/accounts/signup", {"username": "newcomer", "email": "newcomer@example.org", "password": PASSWORD, "language": "en"})
    assert "newcomer@example.org" in signed_up

    mail = _wait_until(lambda: _delivered_mail(newcomer_instance.dir / "mail"), "the worker delivered no e-mail into the data folder")
    link = re.search(r"https?://\S+/accounts/activate/\S+", mail).group(0)
    assert link.startswith(newcomer_instance.url + "/"), link
    announced = _wait_until(lambda: [line for line in (newcomer_instance.dir / "serve.log").read_text().splitlines() if link in line],
                            "the console did not announce the e-mail", timeout=10)
    assert "newcomer@example.org" in announced[0]

    browser.submit(link, {})
    landed, _ = browser.submit("/accounts/login", {"username": "newcomer", "password": PASSWORD})
    assert landed.endswith("/accounts/profile"), "the account is active: the login succeeds"


def test_stopping_the_server_stops_its_worker(newcomer_instance):
    serve_pid = newcomer_instance.process.pid
    threads = Path(f"/proc/{serve_pid}/task")
    if not (threads / str(serve_pid) / "children").exists():
        pytest.skip("this system does not list a process's children in /proc")
    # Each thread lists the children it started: the worker is started by the supervising thread.
    workers = [int(pid) for thread in threads.iterdir() for pid in (thread / "children").read_text().split()]
    assert len(workers) == 1, "serve runs one worker process"
    newcomer_instance.stop()
    _wait_until(lambda: not _running(workers[0]), "the worker still runs after its server stopped", timeout=15)


def _running(pid: int) -> bool:
    try:
        return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False


@pytest.fixture
def quiet_serve(monkeypatch, settings):
    """`serve` with its start-up (migrate, collectstatic, the WSGI app) and waitress replaced; records the workers started."""
    started, served = [], []

    class RecordedWorker:
        def __init__(self, *, env, log):
            self.env, self.stopped = env, False
            started.append(self)

        def start(self):
            return self

        def stop(self):
            self.stopped = True

    monkeypatch.setattr(serve, "prepare_instance", lambda **_: None)
    monkeypatch.setattr(serve, "call_command", lambda *_, **__: None)
    monkeypatch.setattr(serve, "SupervisedWorker", RecordedWorker)
    monkeypatch.setattr(serve, "jobs_need_a_worker", lambda: True)
    monkeypatch.setitem(sys.modules, "foodcommons.wsgi", types.SimpleNamespace(application=object()))
    monkeypatch.setattr("waitress.serve", lambda *_, **options: served.append(options))
    monkeypatch.delenv("FOODCOMMONS_BASE_URL", raising=False)
    settings.FOODCOMMONS_BASE_URL = "http://127.0.0.1:8000"  # an override, so what serve sets is undone after the test
    return started, served


def test_serve_with_no_worker_starts_no_worker(quiet_serve):
    started, served = quiet_serve
    call_command("serve", "--no-worker", "--port", "8123", stdout=io.StringIO())
    assert served and served[0]["port"] == 8123
    assert started == []


def test_serve_starts_a_worker_with_the_served_address_and_stops_it_with_the_server(quiet_serve, settings):
    started, served = quiet_serve
    call_command("serve", "--port", "8123", stdout=io.StringIO())
    assert served and len(started) == 1 and started[0].stopped
    assert started[0].env["FOODCOMMONS_BASE_URL"] == settings.FOODCOMMONS_BASE_URL == "http://127.0.0.1:8123"


def test_a_base_url_set_in_the_environment_wins_over_the_served_address(quiet_serve, monkeypatch, settings):
    started, _ = quiet_serve
    monkeypatch.setenv("FOODCOMMONS_BASE_URL", "https://food.example.org")
    settings.FOODCOMMONS_BASE_URL = "https://food.example.org"
    call_command("serve", "--port", "8123", stdout=io.StringIO())
    assert started[0].env["FOODCOMMONS_BASE_URL"] == settings.FOODCOMMONS_BASE_URL == "https://food.example.org"


def test_the_served_address_of_a_wildcard_host_is_loopback():
    assert serve.served_base_url("0.0.0.0", 8080) == "http://127.0.0.1:8080"
    assert serve.served_base_url("::", 8080) == "http://[::1]:8080"
    assert serve.served_base_url("food.local", 80) == "http://food.local:80"


def test_a_worker_that_dies_is_started_again_and_stop_ends_it():
    said = []
    worker = SupervisedWorker(env={}, log=said.append, command=[sys.executable, "-c", "import time; time.sleep(60)"], restart_delay=0.1).start()
    try:
        first = _wait_for_process(worker)
        first.kill()
        second = _wait_for_process(worker, other_than=first)
        assert second.poll() is None and said and "starting it again" in said[0]
    finally:
        worker.stop(timeout=10)
    assert second.poll() is not None and not worker._thread.is_alive()


def _wait_for_process(worker: SupervisedWorker, other_than: subprocess.Popen | None = None) -> subprocess.Popen:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        process = worker.process
        if process is not None and process is not other_than and process.poll() is None:
            return process
        time.sleep(0.05)
    raise AssertionError("the worker was not started")
