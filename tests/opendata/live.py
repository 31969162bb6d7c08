"""Real foodcommons servers on loopback, each with its own data directory and database."""

import atexit
import functools
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import dj_database_url

ROOT = Path(__file__).resolve().parents[2]
FOODCOMMONS = str(ROOT / ".venv" / "bin" / "foodcommons")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_admin(url: str):
    import psycopg

    c = dj_database_url.parse(url)
    return psycopg.connect(host=c["HOST"], port=c["PORT"] or 5432, user=c["USER"], dbname="postgres", autocommit=True), c


@functools.lru_cache(maxsize=1)
def template() -> tuple[str | None, Path]:
    """Prepare once per test session a set-up instance (schema, territories, taxonomy) that instances start from."""
    folder = Path(tempfile.mkdtemp(prefix="fc-od-template-"))
    atexit.register(shutil.rmtree, folder, True)
    env = {**os.environ, "FOODCOMMONS_DATA_DIR": str(folder)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    name = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        name = f"fc_od_template_{uuid.uuid4().hex[:8]}"
        admin, c = _postgres_admin(os.environ["DATABASE_URL"])
        with admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"postgres://{c['USER']}@{c['HOST']}:{c['PORT'] or 5432}/{name}"
        atexit.register(_drop, name)
    else:
        env.pop("DATABASE_URL", None)
    subprocess.run([FOODCOMMONS, "setup", "--no-demo"], env=env, check=True, capture_output=True, timeout=300)
    return name, folder


def _drop(name: str) -> None:
    admin, _ = _postgres_admin(os.environ["DATABASE_URL"])
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Instance:
    """One running instance: `foodcommons serve` in a subprocess, on SQLite or on a fresh PostgreSQL database."""

    serve_options: tuple[str, ...] = ()  # ("--no-worker",) for tests that run `db_worker` themselves

    def __init__(self, tmp: Path, name: str):
        self.dir = tmp / name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "FOODCOMMONS_DATA_DIR": str(self.dir), "FOODCOMMONS_DB_CONN_MAX_AGE": "0"}
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.pg_name = None
        template_name, template_dir = template()
        if template_name:
            self.pg_name = f"fc_od_{name}_{uuid.uuid4().hex[:8]}"
            admin, c = _postgres_admin(os.environ["DATABASE_URL"])
            with admin:
                admin.execute(f'CREATE DATABASE "{self.pg_name}" TEMPLATE "{template_name}"')
            self.env["DATABASE_URL"] = f"postgres://{c['USER']}@{c['HOST']}:{c['PORT'] or 5432}/{self.pg_name}"
        else:
            self.env.pop("DATABASE_URL", None)
            for database in template_dir.glob("foodcommons.sqlite3*"):
                shutil.copy(database, self.dir / database.name)
        self.process = None

    def start(self, *, timeout: float = 60) -> "Instance":
        # The child writes to its own copy of the descriptor, so ours can close once it has started.
        with open(self.dir / "serve.log", "ab") as log:
            command = [FOODCOMMONS, "serve", "--no-demo", "--port", str(self.port), *self.serve_options]
            self.process = subprocess.Popen(command, env=self.env, stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/api/changes", timeout=2).read()
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError((self.dir / "serve.log").read_text()) from None
                time.sleep(0.2)
        raise RuntimeError("the server did not start")

    def command(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run([FOODCOMMONS, *args], env=self.env, capture_output=True, text=True, timeout=timeout)

    def token(self) -> str:
        return self.command("token", "create", "alice").stdout.strip().split()[-1]

    def get(self, path: str, headers: dict | None = None):
        request = urllib.request.Request(self.url + path, headers=headers or {})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def send(self, method: str, path: str, token: str, body: dict) -> dict:
        request = urllib.request.Request(
            self.url + path, data=json.dumps(body).encode(), method=method,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        if self.pg_name:
            admin, _ = _postgres_admin(os.environ["DATABASE_URL"])
            with admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


def serving(tmp_path_factory, name: str, kind: type[Instance] = Instance):
    """Yield a started instance of `kind` for the tests of a module, and stop it after them."""
    server = kind(tmp_path_factory.mktemp(name), name).start()
    try:
        yield server
    finally:
        server.stop()
