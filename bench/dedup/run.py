"""Benchmark of entity resolution: quality on a labelled benchmark built from real data, and import throughput.

    .venv/bin/python bench/dedup/run.py [--database sqlite|postgresql] [--records 100000] [--no-receivers] \
        [--json bench/results/dedup.json] [--compare bench/results/dedup-before.json]

Quality, per pair of labelled lists (bench/dedup/pairs.py and the mixed one of bench/dedup/build.py): list A is imported
into an empty database, then list B (a share of the same actors described again with another list's habits, and
look-alike distinct actors); B's automatic merges and the review pairs of its run are scored against the labels, and
one row per pair is printed. `--records 0` skips the throughput part; BENCH_DEDUP_SHOW=N prints examples of mistakes.
Throughput: `--records` synthetic records (made from the real ones, spread over Belgium) are imported into an empty
database, each matched against the places already there and the earlier records of the run, then the same file
again (every record unchanged). Wall and CPU seconds (this process plus, on PostgreSQL, its server backend) are
reported: on a shared machine the CPU figures are the ones to compare. With the listeners of place changes connected
(the default), the map aggregates are checked against a full recount after the first import.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from measure import cpu_seconds  # noqa: E402  (shared with bench/run.py)

DATA = HERE.parents[2] / "shared" / "data"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/foodcommons_dedup_bench"


def setup(database: str, workdir: Path, postgres_url: str) -> None:
    os.environ["FOODCOMMONS_DATA_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = postgres_url if database == "postgresql" else f"sqlite:///{workdir / 'dedup.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foodcommons.settings")
    if database == "postgresql":
        import psycopg

        base, name = postgres_url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from foodcommons.platform.setup import prepare_instance

    prepare_instance(demo=False, log=lambda *_: None)


def reset() -> None:
    """Empty places, records and candidates between the two parts."""
    from foodcommons.imports.models import ImportRun, MatchCandidate, Source
    from foodcommons.places.models import Place
    from foodcommons.places.search_index import dialect
    from foodcommons.web.models import MapCell, MapPoint

    MatchCandidate.objects.all().delete()
    ImportRun.objects.all().delete()
    Source.objects.all().delete()
    ids = list(Place.objects.values_list("pk", flat=True))
    dialect().remove(ids)
    Place.objects.all().delete()
    MapCell.objects.all().delete()
    MapPoint.objects.all().delete()


def map_consistent() -> bool:
    """Tell whether the map aggregates kept by the listeners equal a full recount."""
    from foodcommons.web.aggregates import rebuild_all
    from foodcommons.web.models import MapCell

    kept = sorted(MapCell.objects.values_list("level", "x", "y", "group", "count"))
    rebuild_all()
    return kept == sorted(MapCell.objects.values_list("level", "x", "y", "group", "count"))


def quality(seed: int) -> dict:
    """Return the figures of every pair of lists, each imported into an empty database: A first, then B."""
    import build
    import pairs

    a, b, labels = build.build(DATA, seed)
    origins = sorted({actor.origin for actor in a})
    legacy = [(f"a-{o}", build.csv_bytes([x for x in a if x.origin == o]), "csv") for o in origins]
    figures = {"mixed-with-contacts": pair_quality(legacy, a, b, labels)}
    for pair in pairs.all_pairs(DATA, seed):
        reset()
        figures[pair.slug] = pair_quality([("a-list", pair.a_bytes(), pair.a_format)], pair.a, pair.b, pair.labels)
    return figures


def twin_roots(actors: list) -> dict:
    """Return, for each actor of a list, the first of the list with the same name (folded, legal form and articles
    left out) less than 1 km away: a list that names one actor twice describes one actor."""
    import math

    from pairs import plain

    by_name: dict = {}
    roots = {}
    for x in actors:
        same = by_name.setdefault(plain(x.name), [])
        near = next((y for y in same if math.hypot((x.lon - y.lon) * 70_000, (x.lat - y.lat) * 111_000) < 1000), None)
        roots[x.key] = near.key if near else x.key
        if not near:
            same.append(x)
    return roots


def pair_quality(a_files: list[tuple[str, bytes, str]], a: list, b: list, labels: dict) -> dict:
    """Import the A files then list B (CSV) through the importer and score its merges and review pairs against the labels."""
    import build

    from foodcommons.imports.models import MatchCandidate, SourceRecord
    from foodcommons.imports.services import runs, sources

    for slug, data, file_format in a_files:
        runs.import_file(data=data, source=sources.register_source(slug=slug, licence="CC0-1.0"), file_format=file_format)
    b_run = runs.import_file(data=build.csv_bytes(b), source=sources.register_source(slug="bench-b", licence="CC0-1.0"), file_format="csv")
    place_of = {e: p for s, e, p in SourceRecord.objects.values_list("source__slug", "external_id", "place_id") if s != "bench-b"}
    b_place = dict(SourceRecord.objects.filter(source__slug="bench-b").values_list("external_id", "place_id"))
    a_place = {actor.key: place_of[actor.key] for actor in a if actor.key in place_of}
    a_ids = set(a_place.values())
    # A list that names one actor twice (same name, same point) describes one actor: either copy is a right match.
    canonical = twin_roots(a)
    twins: dict = {}
    for key, root in canonical.items():
        twins.setdefault(root, set()).add(a_place.get(key))
    true_pairs = {bk: ak for bk, ak in labels.items() if ak}

    def right(bk: str, place_id) -> bool:
        return bool(true_pairs.get(bk)) and place_id in twins[canonical[true_pairs[bk]]]

    merged = {bk: pid for bk, pid in b_place.items() if pid in a_ids}
    correct = sum(1 for bk, pid in merged.items() if right(bk, pid))
    # The review queue a reviewer of list B sees: every pair its run proposed.
    queue = list(MatchCandidate.objects.filter(run=b_run).values_list("place_a_id", "place_b_id"))
    b_key_of = {pid: bk for bk, pid in b_place.items()}
    queue_true = 0
    reviewed = set()
    for x, y in queue:
        bk, other = (b_key_of.get(x), y) if x not in a_ids else (b_key_of.get(y), x)
        if bk and other in a_ids and right(bk, other):
            queue_true += 1
            reviewed.add(bk)
    reviewed -= set(merged)
    n = len(true_pairs)
    if SHOW:
        show(a, b, true_pairs, merged, reviewed, queue, a_place, b_place, right)
    return {
        "A": len(a), "B": len(b), "true pairs": n, "auto merges": len(merged),
        "precision": round(correct / len(merged), 3) if merged else 1.0, "recall": round(correct / n, 3) if n else 1.0,
        "merged or review": round((correct + len(reviewed)) / n, 3) if n else 1.0,
        "missed": n - correct - len(reviewed), "review pairs": len(queue),
        "review precision": round(queue_true / len(queue), 3) if queue else 1.0,
    }


SHOW = int(os.environ.get("BENCH_DEDUP_SHOW", "0"))  # print that many examples of each kind of mistake per pair


def show(a, b, true_pairs, merged, reviewed, queue, a_place, b_place, right) -> None:
    """Print examples of wrong merges, missed pairs and false review pairs (to see what the matcher gets wrong)."""
    name_a = {a_place.get(x.key): f"{x.name} [{x.category}]" for x in a}
    name_b = {x.key: f"{x.name} [{x.category}]" for x in b}
    wrong = [(name_b[bk], name_a.get(pid)) for bk, pid in merged.items() if not right(bk, pid)]
    a_by_key = {x.key: x.name for x in a}
    missed = [(name_b[bk], a_by_key[ak]) for bk, ak in true_pairs.items() if bk not in merged and bk not in reviewed]
    b_of = {pid: bk for bk, pid in b_place.items()}
    a_ids = set(a_place.values())
    false_review = [(name_b.get(b_of.get(x) or b_of.get(y)), name_a.get(y if x not in a_ids else x)) for x, y in queue
                    if not ((bk := b_of.get(x if x not in a_ids else y)) and right(bk, y if x not in a_ids else x))]
    for title, rows in (("wrong merges", wrong), ("missed", missed), ("false review pairs", false_review)):
        print(f"    {title} ({len(rows)}):")
        for row in rows[:SHOW]:
            print(f"      {row[0]!r:60} ~ {row[1]!r}")


COLUMNS = ["A", "B", "true pairs", "auto merges", "precision", "recall", "merged or review", "missed", "review pairs", "review precision"]
TARGETS = {"precision": 0.99, "recall": 0.95, "merged or review": 0.99, "review precision": 0.6}


def print_quality(figures: dict, before: dict) -> None:
    """Print one row per pair of lists (and the previous run's value in brackets where it differs); ✗ marks a missed target."""
    print("\nquality per pair of lists (targets: " + ", ".join(f"{k} >= {v}" for k, v in TARGETS.items()) + ")")
    print(f"  {'pair of lists':30}" + "".join(f"{c:>18}" for c in COLUMNS))
    for slug, row in figures.items():
        old = before.get(slug, {}) if isinstance(before.get(slug), dict) else {}
        cells = []
        for c in COLUMNS:
            text = f"{row[c]}" + (" ✗" if c in TARGETS and row[c] < TARGETS[c] else "")
            if c in old and old[c] != row[c]:
                text += f" ({old[c]})"
            cells.append(f"{text:>18}")
        print(f"  {slug:30}" + "".join(cells))
    print(f"  every pair meets every target: {'yes' if all(row[k] >= v for row in figures.values() for k, v in TARGETS.items()) else 'NO'}")


def without_receivers() -> list[str]:
    """Disconnect the listeners of places_changed (other areas' costs, measured by them); return their names."""
    from foodcommons.places.signals import places_changed

    names = [getattr(r(), "__qualname__", "?") if callable(r) else str(r) for _, r, *_ in places_changed.receivers]
    places_changed.receivers = []
    places_changed.sender_receivers_cache.clear()
    return names


def throughput(size: int, database: str, *, check_map: bool) -> dict:
    import build

    from foodcommons.imports.services import runs, sources

    actors = build.scaled(build.real_actors(DATA), size)
    data = build.csv_bytes(actors)
    source = sources.register_source(slug="bench-scale", licence="CC0-1.0")
    started, cpu = time.perf_counter(), cpu_seconds(database)
    first = runs.import_file(data=data, source=source, file_format="csv")
    first_seconds, first_cpu = time.perf_counter() - started, cpu_seconds(database) - cpu
    consistent = ("yes" if map_consistent() else "NO") if check_map else "not checked"
    started, cpu = time.perf_counter(), cpu_seconds(database)
    runs.import_file(data=data, source=source, file_format="csv")
    again_seconds, again_cpu = time.perf_counter() - started, cpu_seconds(database) - cpu
    # A second network listing the same actors under its own identifiers: every record matches an existing place.
    second = sources.register_source(slug="bench-scale-second", licence="CC0-1.0")
    started, cpu = time.perf_counter(), cpu_seconds(database)
    merged = runs.import_file(data=build.csv_bytes(actors, id_prefix="second-"), source=second, file_format="csv")
    second_seconds, second_cpu = time.perf_counter() - started, cpu_seconds(database) - cpu
    return {
        "records": size, "created": first.counts["created"], "review candidates": first.counts["review"],
        "first import s": round(first_seconds, 1), "first import records/s": round(size / first_seconds),
        "first import CPU s": round(first_cpu, 1), "first import records/CPU s": round(size / first_cpu),
        "map aggregates equal a recount": consistent,
        "same file again s": round(again_seconds, 1), "same file again records/s": round(size / again_seconds),
        "same file again CPU s": round(again_cpu, 1), "same file again records/CPU s": round(size / again_cpu),
        "second source merged": merged.counts["merged"], "second source s": round(second_seconds, 1),
        "second source records/s": round(size / second_seconds), "second source CPU s": round(second_cpu, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--records", "--size", dest="size", type=int, default=100_000, help="records of the throughput part (0: quality only)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-receivers", action="store_true", help="measure the import alone, without the listeners of place changes")
    parser.add_argument("--no-quality", action="store_true", help="measure the throughput only")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--compare", type=Path)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    with tempfile.TemporaryDirectory() as workdir:
        setup(args.database, Path(workdir), args.postgres_url)
        result = {"database": args.database, "quality": {} if args.no_quality else quality(args.seed)}
        reset()
        result["receivers disconnected"] = without_receivers() if args.no_receivers else []
        if args.size:
            result["throughput"] = throughput(args.size, args.database, check_map=not args.no_receivers)
    before = json.loads(args.compare.read_text()) if args.compare else {}
    if result["quality"]:
        print_quality(result["quality"], before.get("quality", {}))
    for part in ("throughput",) if args.size else ():
        print(f"\n{part} ({args.database})")
        for key, value in result[part].items():
            old = before.get(part, {}).get(key)
            print(f"  {key:45} {value:>12}" + (f"   (before {old})" if old is not None else ""))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
