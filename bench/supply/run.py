"""Local supply bench: ranking one demand against 100,000 offers, and the coverage of a territory with 1,000 demands.

    .venv/bin/python bench/supply/run.py --databases sqlite,postgresql --offers 100000 --demands 1000 \
        --json bench/results/supply.json --compare bench/results/supply-before.json

For each database, a fresh process loads generated places over Belgium (bench/generate.py, denser where people live),
gives them `--offers` offers of common products (5 a place, the products' seasons, volumes per week, radius 20–60 km),
puts `--demands` canteens' demands of two lines each in one province (Namur) and `--repeat` more all over Belgium, then
times through Django's test client (URL → API handler → JSON):

* ranking: `GET /api/supply/demands/{id}/ranking` of demands anywhere in Belgium, every criterion explained;
* coverage: `GET /api/supply/territories/{province}/coverage?km=30` over the province's 1,000 demands;
* after a write: one offer changed, then one ranking and one coverage, which read the active offers again (each process
  keeps them as columns until a write to the offers changes their version token: `supply/offer_columns.py`).

Targets (issue #15): ranking p95 ≤ 200 ms, coverage ≤ 2 s. ✗ marks a missed target.
"""

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
sys.path.insert(0, str(BENCH))
from measure import cpu_seconds, paired_runs, report  # noqa: E402  (bench/ is on the path only from the line above)

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/foodcommons_bench_supply"
TARGETS = {"ranking_p95_ms": 200.0, "coverage_max_ms": 2000.0}
# What farms offer and canteens ask, most often first (DFC product ids), with the unit they are counted in.
PRODUCTS = [("potato", "kg"), ("carrot", "kg"), ("apples", "kg"), ("leek", "kg"), ("milk", "l"), ("egg", "piece"), ("onion", "kg"),
            ("pear", "kg"), ("cabbage", "kg"), ("tomato", "kg"), ("butter", "kg"), ("yogurt", "kg"), ("bread", "kg"), ("lettuce", "kg"),
            ("beetroot", "kg"), ("pumpkin", "kg"), ("honey", "kg"), ("strawberry", "kg"), ("meat-product", "kg"), ("chicken", "kg")]
WEIGHTS = [12, 10, 9, 6, 8, 8, 6, 4, 4, 5, 3, 3, 4, 3, 3, 2, 2, 2, 3, 2]
PROVINCE_OF = "92094"  # Namur: the province that contains it is the territory of the coverage bench
OFFERS_PER_PLACE = 5


def _setup_django(database: str, workdir: Path, postgres_url: str) -> None:
    os.environ["FOODCOMMONS_DATA_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = postgres_url if database == "postgresql" else f"sqlite:///{workdir / 'supply.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foodcommons.settings")
    import django

    django.setup()


def _recreate_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _products(rng: random.Random, tree, count: int) -> list[tuple[str, str]]:
    known = [(p, u) for p, u in PRODUCTS if p in tree]
    weights = [w for (p, _), w in zip(PRODUCTS, WEIGHTS, strict=True) if p in tree]
    chosen: list[tuple[str, str]] = []
    while len(chosen) < count:
        pick = rng.choices(known, weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def load(args) -> dict:
    """Create the schema, places, offers, buyers and demands; return how many of each and how long it took."""
    from django.core.management import call_command
    from django.db import connection
    from generate import generate_places

    from foodcommons.collaboration.models import Organisation
    from foodcommons.places.bulk import bulk_create_places
    from foodcommons.places.models import Place
    from foodcommons.places.signals import places_changed
    from foodcommons.supply.domain.screening import month_mask
    from foodcommons.supply.models import Buyer, Demand, DemandLine, Offer
    from foodcommons.supply.products import product_tree
    from foodcommons.taxonomy.services import seed_taxonomy
    from foodcommons.territories import selectors as territories
    from foodcommons.territories.services import load_territories

    call_command("migrate", interactive=False, verbosity=0)
    load_territories()
    seed_taxonomy()
    places_changed.receivers = []
    places_changed.sender_receivers_cache.clear()
    start = time.perf_counter()
    places_wanted = -(-args.offers // OFFERS_PER_PLACE) + args.demands + args.repeat
    bulk_create_places(inputs=generate_places(places_wanted, seed=args.seed), comment="supply bench")
    rng, tree = random.Random(args.seed), product_tree()
    rows = list(Place.objects.order_by("pk").values_list("pk", "lon", "lat", "commune_id"))
    rng.shuffle(rows)
    province = next(c for c in territories.ancestors_of(PROVINCE_OF) if territories.info(c).level == "province")
    in_province = set(territories.commune_codes_within(province))
    producers = Organisation.objects.create(slug="bench-producers", name="Bench producers")
    offers = []
    for pk, lon, lat in ((pk, lon, lat) for pk, lon, lat, _ in rows):
        for product, unit in _products(rng, tree, OFFERS_PER_PLACE):
            if len(offers) == args.offers:
                break
            offers.append(Offer(public_id=f"bench-{len(offers)}", organisation=producers, place_id=pk, product=product, family=tree.family(product),
                                months=list(tree.default_months(product)), month_mask=month_mask(tree.default_months(product)),
                                volume=rng.choice((10, 20, 40, 80, 150)), volume_unit=unit,
                                volume_period="week", delivery_radius_km=rng.choice((20, 30, 40, 60)), processing=["raw"],
                                organic=rng.random() < 0.3, minimum_order=rng.choice((None, 10, 30)), lon=lon, lat=lat))
        if len(offers) == args.offers:
            break
    Offer.objects.bulk_create(offers, batch_size=2000)
    buyers = [Buyer.objects.create(organisation=Organisation.objects.create(slug=f"bench-buyer-{i}", name=f"Cantine {i}"), kind="school")
              for i in range(50)]
    # Canteens at generated places of the province, a few hundred metres apart when there are fewer places than canteens.
    places_in_province = [r for r in rows if r[3] in in_province]
    local = [(pk, lon + rng.uniform(-0.003, 0.003) * (i >= len(places_in_province)), lat, commune)
             for i, (pk, lon, lat, commune) in enumerate(places_in_province[i % len(places_in_province)] for i in range(args.demands))]
    elsewhere = [r for r in rows if r[3] and r[3] not in in_province][: args.repeat]
    demands = [Demand(public_id=f"bench-d{i}", buyer=buyers[i % len(buyers)], title=f"Demande {i}", lon=lon, lat=lat, commune_nis=commune)
               for i, (_pk, lon, lat, commune) in enumerate(local + elsewhere)]
    Demand.objects.bulk_create(demands, batch_size=2000)
    lines = []
    for demand in Demand.objects.filter(public_id__startswith="bench-d"):
        for product, unit in _products(rng, tree, 2):
            start_month = rng.randint(1, 12)
            lines.append(DemandLine(demand=demand, product=product, family=tree.family(product), quantity=rng.choice((10, 25, 50)), unit=unit,
                                    frequency=rng.choice(("weekly", "twice_weekly")), months=sorted({(start_month + k - 1) % 12 + 1 for k in range(6)})))
    DemandLine.objects.bulk_create(lines, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"offers": Offer.objects.count(), "demands_in_territory": len(local), "ranking_demands": len(elsewhere), "territory": province,
            "load_seconds": round(time.perf_counter() - start, 1)}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[max(0, round(len(ordered) * share) - 1)], 1)


def measure(args, loaded: dict) -> dict:
    """Time the ranking of demands across Belgium and the coverage of the province through the API."""
    from django.test import Client

    from foodcommons.supply.models import Demand

    client = Client()
    ranking_ids = list(Demand.objects.filter(commune_nis__isnull=False).exclude(public_id__in=[f"bench-d{i}" for i in range(loaded["demands_in_territory"])])
                       .values_list("public_id", flat=True))
    wall, cpu, ranked = [], [], []
    for public_id in ranking_ids[:3]:  # warm the product tree, the territories and the database pages
        client.get(f"/api/supply/demands/{public_id}/ranking")
    for public_id in ranking_ids:
        started, cpu_started = time.perf_counter(), cpu_seconds(args.database)
        response = client.get(f"/api/supply/demands/{public_id}/ranking")
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((cpu_seconds(args.database) - cpu_started) * 1000)
        assert response.status_code == 200, response.content[:300]
        ranked.append(sum(len(line["offers"]) for line in response.json()))
    coverage_wall, coverage_cpu = [], []
    url = f"/api/supply/territories/{loaded['territory']}/coverage?km=30"
    for _ in range(args.coverage_repeat):
        started, cpu_started = time.perf_counter(), cpu_seconds(args.database)
        response = client.get(url)
        coverage_wall.append((time.perf_counter() - started) * 1000)
        coverage_cpu.append((cpu_seconds(args.database) - cpu_started) * 1000)
        assert response.status_code == 200, response.content[:300]
    body = response.json()
    after_write = _after_an_offer_write(client, f"/api/supply/demands/{ranking_ids[0]}/ranking", url)
    return {
        "ranking_p50_ms": _percentile(wall, 0.5), "ranking_p95_ms": _percentile(wall, 0.95), "ranking_max_ms": round(max(wall), 1),
        "ranking_cpu_p95_ms": _percentile(cpu, 0.95), "ranked_offers_median": statistics.median(ranked), "rankings": len(wall),
        "coverage_p50_ms": _percentile(coverage_wall, 0.5), "coverage_max_ms": round(max(coverage_wall), 1),
        "coverage_cpu_max_ms": round(max(coverage_cpu), 1), "coverage_lines": body["lines"], "coverage_offers_considered": body["offers_considered"],
        "coverage_share_kg": next((t["share"] for t in body["totals"] if t["unit"] == "kg"), None),
        **after_write, "load_average": os.getloadavg()[0],
    }


def _after_an_offer_write(client, ranking_url: str, coverage_url: str) -> dict:
    """Time a ranking and a coverage each right after a write to one offer (the columns of the offers are read again)."""
    from django.db.models import F

    from foodcommons.supply.models import Offer

    timed = {}
    for key, url in (("ranking_after_write_ms", ranking_url), ("coverage_after_write_ms", coverage_url)):
        Offer.objects.filter(public_id="bench-0").update(volume=F("volume") + 1)
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        timed[key] = round((time.perf_counter() - started) * 1000, 1)
    return timed


def child(args) -> dict:
    """Load and measure one database in this process."""
    workdir = Path(args.workdir)
    if args.database == "postgresql":
        _recreate_postgres(args.postgres_url)
    _setup_django(args.database, workdir, args.postgres_url)
    loaded = load(args)
    return {"database": args.database, "size": args.offers, **loaded, **measure(args, loaded)}


def run_all(args) -> dict:
    """Run each database in a fresh process and return the results."""
    runs = []
    for database in args.databases.split(","):
        with tempfile.TemporaryDirectory(prefix="foodcommons-supply-bench-") as workdir:
            print(f"{database}: loading {args.offers:,} offers and {args.demands:,} demands", file=sys.stderr, flush=True)
            command = [sys.executable, str(Path(__file__).resolve()), "--phase", "child", "--databases", database, "--workdir", workdir,
                       "--offers", str(args.offers), "--demands", str(args.demands), "--repeat", str(args.repeat),
                       "--coverage-repeat", str(args.coverage_repeat), "--seed", str(args.seed), "--postgres-url", args.postgres_url]
            done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
            if done.returncode != 0:
                raise SystemExit(f"the {database} run failed (exit {done.returncode})")
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {"machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
            "seed": args.seed, "targets": TARGETS, "runs": runs}


def _mark(run: dict, key: str) -> str:
    return f"{run[key]}{' ✗' if run[key] > TARGETS[key] else ''}"


def table(result: dict) -> str:
    """Return the results as a Markdown table."""
    lines = ["| database | offers | ranking p50 / p95 / max ms (CPU p95) | offers ranked (median) | territory demands (lines) | "
             "offers within reach | coverage p50 / max ms (CPU max) | kg covered | after an offer write: ranking / coverage ms | load average |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for run in result["runs"]:
        lines.append(f"| {run['database']} | {run['offers']:,} | {run['ranking_p50_ms']} / {_mark(run, 'ranking_p95_ms')} / {run['ranking_max_ms']} "
                     f"({run['ranking_cpu_p95_ms']}) | {run['ranked_offers_median']:g} | {run['demands_in_territory']:,} ({run['coverage_lines']:,}) | "
                     f"{run['coverage_offers_considered']:,} | {run['coverage_p50_ms']} / {_mark(run, 'coverage_max_ms')} ({run['coverage_cpu_max_ms']}) | "
                     f"{run['coverage_share_kg']:.0%} | {run.get('ranking_after_write_ms', '–')} / {run.get('coverage_after_write_ms', '–')} | "
                     f"{run['load_average']:.2f} |")
    return "\n".join(lines)


def compare(result: dict, previous: dict) -> str:
    """Return each figure against the same database's previous run."""
    lines = ["| database | ranking p95 before → now ms | coverage max before → now ms |", "|---|---:|---:|"]
    for run, old in paired_runs(result, previous):
        lines.append(f"| {run['database']} | {old['ranking_p95_ms']} → {run['ranking_p95_ms']} | {old['coverage_max_ms']} → {run['coverage_max_ms']} |")
    return "\n".join(lines) if len(lines) > 2 else "nothing to compare (no common database and size)"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--demands", type=int, default=1000, help="demands in the territory of the coverage bench")
    parser.add_argument("--repeat", type=int, default=100, help="demands ranked (each its own, anywhere in Belgium)")
    parser.add_argument("--coverage-repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="write the results to this JSON file")
    parser.add_argument("--compare", help="a previous JSON result to print the changes against")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
                        help="PostgreSQL database to drop and recreate (default %(default)s)")
    parser.add_argument("--phase", choices=("child",), help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.phase:
        args.database = args.databases
        print(json.dumps(child(args)))
        return
    report(run_all(args), args, table=table, compare=compare)


if __name__ == "__main__":
    main()
