"""schemathesis, run against a live server's /api/openapi.json, finds no server error and no response that breaks the schema."""

import subprocess
from pathlib import Path

import pytest

from tests.opendata.live import ROOT, Instance

SCHEMATHESIS = str(ROOT / ".venv" / "bin" / "schemathesis")


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    server = Instance(tmp_path_factory.mktemp("schemathesis"), "schemathesis").start()
    yield server
    server.stop()


@pytest.mark.skipif(not Path(SCHEMATHESIS).exists(), reason="schemathesis is not installed (test extra)")
def test_schemathesis_finds_no_server_error_and_no_schema_violation(instance):
    token = instance.token()
    result = subprocess.run(
        [
            SCHEMATHESIS, "run", f"{instance.url}/api/openapi.json",
            "--checks", "not_a_server_error,response_schema_conformance",
            "--phases", "examples,coverage,fuzzing", "--max-examples", "3", "--seed", "1",
            "--header", f"Authorization: Bearer {token}", "--request-timeout", "30",
        ],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-6000:]
