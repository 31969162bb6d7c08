"""Measurements shared by the bench scripts."""

import json
import os
import resource
from pathlib import Path


def cpu_seconds(database: str) -> float:
    """Return the CPU time used so far by this process and, on PostgreSQL, by its server backend."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    total = usage.ru_utime + usage.ru_stime
    if database == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def report(result: dict, args, *, table, compare) -> None:
    """Print a bench's table, keep it as JSON when --json is given and print its changes against --compare."""
    print(table(result))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    if args.compare:
        print("\nChanges against", args.compare)
        print(compare(result, json.loads(Path(args.compare).read_text())))


def paired_runs(result: dict, previous: dict):
    """Yield (run, previous run) for each run of `result` that `previous` also has (same database and size)."""
    before = {(r["database"], r["size"]): r for r in previous.get("runs", [])}
    for run in result["runs"]:
        if old := before.get((run["database"], run["size"])):
            yield run, old
