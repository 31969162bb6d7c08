import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KINDS = {"bbox", "country", "text", "common", "territory", "near"}


def _bench(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(ROOT / "bench" / "run.py"), "--databases", "sqlite", "--repeat", "3", "--quiet", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


def test_the_bench_loads_queries_and_compares_at_a_tiny_size_on_sqlite(tmp_path):
    out = tmp_path / "result.json"
    done = _bench("--sizes", "300", "--json", str(out))
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(out.read_text())
    [run] = result["runs"]
    assert (run["database"], run["size"], run["created"]) == ("sqlite", 300, 300)
    assert set(run["queries"]) == KINDS
    assert all(0 < q["p50_ms"] <= q["p95_ms"] <= q["max_ms"] for q in run["queries"].values())
    assert run["queries"]["country"]["mean_results"] == 100
    assert run["server_peak_rss_mb"] > 0 and run["database_mb"] > 0
    assert "| sqlite | 300 |" in done.stdout

    again = _bench("--sizes", "300", "--compare", str(out))
    assert again.returncode == 0, again.stderr[-2000:]
    assert "sqlite 300: load" in again.stdout and "bbox p95" in again.stdout
