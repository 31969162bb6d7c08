"""Benchmark of entity resolution: quality on a labelled benchmark built from real data, and import throughput.

    .venv/bin/python bench/dedup/run.py [--database sqlite|postgresql] [--records 100000] [--no-receivers] \
        [--json bench/results/dedup.json] [--compare bench/results/dedup-before.json]

Quality: source A (real actors) is imported, then source B (the same actors described again with realistic
variations, and look-alike distinct actors); automatic merges and review candidates are scored against the labels.
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
    import build

    from foodcommons.imports.models import MatchCandidate, SourceRecord
    from foodcommons.imports.services import runs, sources

    a, b, labels = build.build(DATA, seed)
    origins = sorted({actor.origin for actor in a})
    for slug, actors in [(f"a-{o}", [x for x in a if x.origin == o]) for o in origins] + [("bench-b", b)]:
        source = sources.register_source(slug=slug, licence="CC0-1.0")
        runs.import_file(data=build.csv_bytes(actors), source=source, file_format="csv")
    place_of = {(s, e): p for s, e, p in SourceRecord.objects.values_list("source__slug", "external_id", "place_id")}
    a_place = {actor.key: place_of[(f"a-{actor.origin}", actor.key)] for actor in a if (f"a-{actor.origin}", actor.key) in place_of}
    # A list that names one actor twice (same name, same point) describes one actor: either copy is a right match.
    first = {}
    canonical = {x.key: first.setdefault((x.name.casefold(), round(x.lon, 5), round(x.lat, 5)), x.key) for x in a}
    twins = {}
    for key, root in canonical.items():
        twins.setdefault(root, set()).add(a_place.get(key))
    true_pairs = {bk: ak for bk, ak in labels.items() if ak}
    merged = {bk: pid for bk, pid in ((x.key, place_of.get(("bench-b", x.key))) for x in b) if pid in set(a_place.values())}
    correct = sum(1 for bk, pid in merged.items() if true_pairs.get(bk) and pid in twins[canonical[true_pairs[bk]]])
    pairs = {frozenset(p) for p in MatchCandidate.objects.values_list("place_a_id", "place_b_id")}
    a_ids = set(a_place.values())
    cross = {p for p in pairs if len(p & a_ids) == 1}
    review_true = sum(1 for bk, ak in true_pairs.items() if bk not in merged and frozenset({place_of.get(("bench-b", bk)), a_place.get(ak)}) in cross)
    review_true_pairs = {frozenset({place_of.get(("bench-b", bk)), a_place.get(ak)}) for bk, ak in true_pairs.items()}
    missed = len(true_pairs) - correct - review_true
    return {
        "records A": len(a), "records B": len(b), "true pairs": len(true_pairs),
        "auto merges": len(merged), "auto merge precision": round(correct / len(merged), 4) if merged else 0.0,
        "auto merge recall": round(correct / len(true_pairs), 4),
        "auto merge F1": round(2 * correct / (len(merged) + len(true_pairs)), 4),
        "review candidates (A-B)": len(cross), "review precision": round(len(cross & review_true_pairs) / len(cross), 4) if cross else 0.0,
        "true pairs not merged that reach review": round(review_true / (len(true_pairs) - correct), 4) if len(true_pairs) > correct else 1.0,
        "true pairs merged or in review": round((correct + review_true) / len(true_pairs), 4), "true pairs missed": missed,
    }


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
    return {
        "records": size, "created": first.counts["created"], "review candidates": first.counts["review"],
        "first import s": round(first_seconds, 1), "first import records/s": round(size / first_seconds),
        "first import CPU s": round(first_cpu, 1), "first import records/CPU s": round(size / first_cpu),
        "map aggregates equal a recount": consistent,
        "same file again s": round(again_seconds, 1), "same file again records/s": round(size / again_seconds),
        "same file again CPU s": round(again_cpu, 1), "same file again records/CPU s": round(size / again_cpu),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--records", "--size", dest="size", type=int, default=100_000, help="records of the throughput part")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-receivers", action="store_true", help="measure the import alone, without the listeners of place changes")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--compare", type=Path)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    with tempfile.TemporaryDirectory() as workdir:
        setup(args.database, Path(workdir), args.postgres_url)
        result = {"database": args.database, "quality": quality(args.seed)}
        reset()
        result["receivers disconnected"] = without_receivers() if args.no_receivers else []
        result["throughput"] = throughput(args.size, args.database, check_map=not args.no_receivers)
    before = json.loads(args.compare.read_text()) if args.compare else {}
    for part in ("quality", "throughput"):
        print(f"\n{part} ({args.database})")
        for key, value in result[part].items():
            old = before.get(part, {}).get(key)
            print(f"  {key:45} {value:>12}" + (f"   (before {old})" if old is not None else ""))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
