"""Benchmark of the foundation: bulk load N generated places, then server-side latency of typical searches.

    .venv/bin/python bench/run.py --sizes 10000,100000 --databases sqlite,postgresql --repeat 100 \
        --json bench/results/today.json --compare bench/results/before.json

Each (database, size) runs in two fresh processes: one loads (its peak RSS is the importer's memory),
one serves the queries through Django's test client, URL → API handler → JSON (its peak RSS is the server's).
"""

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import weakref
from pathlib import Path

from measure import cpu_seconds, paired_runs, report  # bench/ is this script's folder, first on sys.path

HERE = Path(__file__).resolve().parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/foodcommons_bench"
CITIES = {"Bruxelles": (4.3517, 50.8466), "Liège": (5.5797, 50.6326), "Namur": (4.8719, 50.4674), "Charleroi": (4.4446, 50.4108)}
BELGIUM = "2.5,49.45,6.45,51.55"
# What people look for: kinds of places, words of names, places' towns.
WORDS = [
    "compost", "boulangerie", "épicerie sociale", "moestuin", "marché", "potager", "solidaire", "paniers bio",
    "ferme", "bakkerij", "voedselbank", "frigo solidaire", "cantine", "namur", "gent", "levain", "coopérative",
]
# Words in a large share of all places (a prefix query for "de" matches de, des, delicatessen…): measured apart.
COMMON_WORDS = ["de", "rue", "bio", "straat", "local"]
KINDS = ("bbox", "country", "text", "common", "territory", "near")
VIEWPORT_MAX = 400  # below the 500 asked, so that a jittered viewport stays under 500


def _setup_django(database: str, workdir: Path, postgres_url: str) -> None:
    os.environ["FOODCOMMONS_DATA_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = postgres_url if database == "postgresql" else f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foodcommons.settings")
    sys.path.insert(0, str(HERE))
    import django

    django.setup()


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _database_mb(database: str, workdir: Path) -> float:
    from django.db import connection

    if database == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return round(cursor.fetchone()[0] / 2**20, 1)
    return round(sum(p.stat().st_size for p in workdir.glob("bench.sqlite3*")) / 2**20, 1)


def _recreate_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def load_phase(args) -> dict:
    """Create the schema, territories and taxonomy, then bulk-load `size` generated places."""
    workdir = Path(args.workdir)
    if args.database == "postgresql":
        _recreate_postgres(args.postgres_url)
    _setup_django(args.database, workdir, args.postgres_url)
    from django.core.management import call_command
    from django.db import connection
    from generate import generate_places

    from foodcommons.places.bulk import bulk_create_places
    from foodcommons.taxonomy.services import seed_taxonomy
    from foodcommons.territories.services import load_territories

    call_command("migrate", interactive=False, verbosity=0)
    load_territories()
    seed_taxonomy()
    receivers = _places_changed_receivers(keep=not args.no_receivers)
    generating = [0.0, 0.0]  # wall and CPU seconds spent generating, not loading

    def timed(inputs):
        iterator = iter(inputs)
        while True:
            start, cpu = time.perf_counter(), time.process_time()
            item = next(iterator, None)
            generating[0] += time.perf_counter() - start
            generating[1] += time.process_time() - cpu
            if item is None:
                return
            yield item

    done = [0]

    def progress(batch):
        done[0] += len(batch)
        if not args.quiet and done[0] % 100_000 < len(batch):
            print(f"  {args.database} {done[0]:>9,} places", file=sys.stderr, flush=True)

    start, cpu_start = time.perf_counter(), cpu_seconds(args.database)
    result = bulk_create_places(inputs=timed(generate_places(args.size, seed=args.seed)), comment="bench", progress=progress)
    load_seconds = time.perf_counter() - start - generating[0]
    load_cpu_seconds = cpu_seconds(args.database) - cpu_start - generating[1]
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    analyze_seconds = time.perf_counter() - start
    # Bulk creation writes the places' bodies itself: this finds none stale unless that changes (then it says how long).
    from foodcommons.places.public_json import refresh_public_json, stale_place_ids

    start = time.perf_counter()
    encoded = refresh_public_json(stale_place_ids())
    encode_seconds = time.perf_counter() - start
    if result.errors:
        raise SystemExit(f"{len(result.errors)} generated rows were refused, first: {result.errors[0].as_dict()}")
    return {
        "created": result.created,
        "load_seconds": round(load_seconds, 1),
        "load_cpu_seconds": round(load_cpu_seconds, 1),
        "load_average": os.getloadavg()[0],
        "rows_per_second": round(result.created / load_seconds) if load_seconds else None,
        "generate_seconds": round(generating[0], 1),
        "analyze_seconds": round(analyze_seconds, 1),
        "encoded": encoded,
        "encode_seconds": round(encode_seconds, 1),
        "load_peak_rss_mb": _peak_rss_mb(),
        "load_receivers": receivers,
    }


def _places_changed_receivers(*, keep: bool) -> list[str]:
    """Return the receivers of places_changed that the load will run, after disconnecting them unless `keep`."""
    from foodcommons.places.signals import places_changed

    refs = [entry[1] for entry in places_changed.receivers]
    functions = [r() if isinstance(r, weakref.ReferenceType) else r for r in refs]
    names = [f"{f.__module__}.{f.__qualname__}" for f in functions if f is not None]
    if not keep:
        # Measures the foundation alone: what the listeners of other areas cost is theirs to measure.
        places_changed.receivers = []
        places_changed.sender_receivers_cache.clear()
    return names if keep else []


def _viewport_half(center: tuple[float, float]) -> float:
    """Return a half-height (degrees) of a viewport around `center` holding at most VIEWPORT_MAX places."""
    from foodcommons.places.domain.query import PlaceQuery
    from foodcommons.places.selectors import matching_places

    half = 0.08
    while half > 0.0005:
        lon, lat = center
        if matching_places(PlaceQuery().with_filters(bbox=_box(lon, lat, half))).count() <= VIEWPORT_MAX:
            break
        half *= 0.7
    return half


def _box(lon: float, lat: float, half: float) -> tuple[float, float, float, float]:
    # Screens are wider than tall, and a degree of longitude is shorter than one of latitude at 50° N.
    return (lon - half * 2.4, lat - half, lon + half * 2.4, lat + half)


def _queries(rng: random.Random, repeat: int) -> tuple[dict[str, list[dict]], dict[str, float]]:
    from foodcommons.territories.models import Territory

    halves = {name: _viewport_half(center) for name, center in CITIES.items()}
    provinces = list(Territory.objects.filter(level="province").values_list("code", flat=True))
    communes = list(Territory.objects.filter(level="commune").values_list("code", "population"))
    codes, weights = [c for c, _ in communes], [p or 1 for _, p in communes]

    def viewport():
        name = rng.choice(list(CITIES))
        lon, lat = CITIES[name]
        half = halves[name]
        return {"bbox": ",".join(f"{v:.5f}" for v in _box(lon + rng.uniform(-half, half), lat + rng.uniform(-half, half), half)), "limit": 500}

    def near():
        lon, lat = CITIES[rng.choice(list(CITIES))]
        return {"near": f"{lon + rng.uniform(-0.05, 0.05):.5f},{lat + rng.uniform(-0.03, 0.03):.5f}", "limit": 50}

    def territory():
        code = rng.choice(provinces) if rng.random() < 0.5 else rng.choices(codes, weights)[0]
        return {"territory": code, "limit": 50}

    makers = {
        "bbox": viewport,
        "country": lambda: {"bbox": BELGIUM, "limit": 100},
        "text": lambda: {"q": rng.choice(WORDS), "limit": 50},
        "common": lambda: {"q": rng.choice(COMMON_WORDS), "limit": 50},
        "territory": territory,
        "near": near,
    }
    return {kind: [makers[kind]() for _ in range(repeat)] for kind in KINDS}, halves


def _percentiles(timings: list[float], prefix: str) -> dict:
    ordered = sorted(timings)
    return {
        f"{prefix}p50_ms": round(statistics.median(ordered), 1),
        f"{prefix}p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1),
        f"{prefix}max_ms": round(ordered[-1], 1),
    }


def query_phase(args) -> dict:
    """Time `repeat` random requests of each kind through the real URL → API handler → JSON path."""
    workdir = Path(args.workdir)
    _setup_django(args.database, workdir, args.postgres_url)
    from django.test import Client

    from foodcommons.platform.process import settle_server_process

    client = Client()
    settle_server_process()  # what foodcommons.wsgi does in a server process
    queries, halves = _queries(random.Random(args.seed), args.repeat)
    results = {}
    for kind, params_list in queries.items():
        for params in params_list[:3]:  # warm the caches (taxonomy, territories, database pages)
            client.get("/api/places", params)
        timings, cpu_timings, counts = [], [], []
        for params in params_list:
            start, cpu = time.perf_counter(), cpu_seconds(args.database)
            response = client.get("/api/places", params)
            timings.append((time.perf_counter() - start) * 1000)
            cpu_timings.append((cpu_seconds(args.database) - cpu) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{kind} {params} answered {response.status_code}: {response.content[:300]!r}")
            counts.append(response.json()["count"])
        results[kind] = {
            **_percentiles(timings, ""),
            # CPU time of this process and its database backend: what the request costs on an idle machine.
            **_percentiles(cpu_timings, "cpu_"),
            "mean_results": round(statistics.mean(counts), 1),
        }
    return {
        "queries": results,
        "viewport_half_degrees": {k: round(v, 5) for k, v in halves.items()},
        "query_load_average": os.getloadavg()[0],
        "server_peak_rss_mb": _peak_rss_mb(),
        "database_mb": _database_mb(args.database, workdir),
    }


def _child(phase: str, database: str, size: int, workdir: Path, args) -> dict:
    command = [
        sys.executable, str(Path(__file__).resolve()), "--phase", phase, "--databases", database, "--size", str(size),
        "--workdir", str(workdir), "--repeat", str(args.repeat), "--seed", str(args.seed), "--postgres-url", args.postgres_url,
        *(["--quiet"] if args.quiet else []), *(["--no-receivers"] if args.no_receivers else []),
    ]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{phase} phase of {database} at {size} failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_all(args) -> dict:
    """Run every (database, size) and return the results."""
    runs = []
    for database in args.databases.split(","):
        for size in [int(s) for s in args.sizes.split(",")]:
            with tempfile.TemporaryDirectory(prefix="foodcommons-bench-") as workdir:
                if not args.quiet:
                    print(f"{database} {size:,}: loading", file=sys.stderr, flush=True)
                loaded = _child("load", database, size, Path(workdir), args)
                served = _child("query", database, size, Path(workdir), args)
                runs.append({"database": database, "size": size, **loaded, **served})
    return {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "repeat": args.repeat,
        "seed": args.seed,
        "runs": runs,
    }


def table(result: dict) -> str:
    """Return the results as a Markdown table."""
    head = (
        "| database | places | load s (CPU s) | rows/s | "
        + " | ".join(f"{k} p50/p95 ms (CPU)" for k in KINDS)
        + " | server RSS MB | DB MB |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for run in result["runs"]:
        q = run["queries"]
        cells = " | ".join(f"{q[k]['p50_ms']} / {q[k]['p95_ms']} ({q[k]['cpu_p50_ms']} / {q[k]['cpu_p95_ms']})" for k in KINDS)
        lines.append(
            f"| {run['database']} | {run['size']:,} | {run['load_seconds']} ({run.get('load_cpu_seconds', '?')}) "
            f"| {run['rows_per_second']:,} | {cells} "
            f"| {run['server_peak_rss_mb']} | {run['database_mb']} |"
        )
    return "\n".join(lines)


def compare(result: dict, previous: dict) -> str:
    """Return the changes of load time and p95 latencies against a previous result."""
    lines = []
    for run, old in paired_runs(result, previous):
        parts = [f"load {run['load_seconds'] - old['load_seconds']:+.1f} s"]
        for kind in KINDS:
            if kind in old.get("queries", {}):
                delta = run["queries"][kind]["p95_ms"] - old["queries"][kind]["p95_ms"]
                parts.append(f"{kind} p95 {delta:+.1f} ms")
        lines.append(f"{run['database']} {run['size']:,}: " + ", ".join(parts))
    return "\n".join(lines) or "nothing to compare (no common database and size)"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated numbers of places")
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument("--repeat", type=int, default=100, help="random queries of each kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="write the results to this JSON file")
    parser.add_argument("--compare", help="a previous JSON result to print the deltas against")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
                        help="PostgreSQL database to drop and recreate (default %(default)s)")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument("--no-receivers", action="store_true",
                        help="disconnect the listeners of places_changed during the load (time the foundation alone)")
    parser.add_argument("--phase", choices=("load", "query"), help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.phase:
        args.database = args.databases
        print(json.dumps((load_phase if args.phase == "load" else query_phase)(args)))
        return
    report(run_all(args), args, table=table, compare=compare)


if __name__ == "__main__":
    main()
