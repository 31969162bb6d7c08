"""`foodcommons serve` started from this checkout's .venv for a browser test, on a free port, with a data folder of its own."""

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOODCOMMONS = str(ROOT / ".venv" / "bin" / "foodcommons")


def free_port() -> int:
    """Return a port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(data: Path, **settings: str) -> dict:
    """Return the environment of a server on SQLite in `data` (the tests' database settings removed), with `settings`."""
    env = {**os.environ, "FOODCOMMONS_DATA_DIR": str(data), "FOODCOMMONS_TILE_URL": "", **settings}
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    return env


@contextmanager
def serving(data: Path, *arguments: str, ready: str = "/", env: dict | None = None) -> Iterator[str]:
    """Serve with `arguments` until the block ends; yield the site's URL once `ready` answers (the log when it never does)."""
    port = free_port()
    # The child writes to its own copy of the descriptor, so ours can close once it has started.
    with open(data / "serve.log", "ab") as log:
        process = subprocess.Popen([FOODCOMMONS, "serve", *arguments, "--port", str(port)], env=env or server_env(data),
                                   stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(url + ready, timeout=2).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError((data / "serve.log").read_text()) from None
            time.sleep(0.3)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
