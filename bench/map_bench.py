"""Benchmark of the public map at country scale: cluster requests and the first map load in Chromium.

    .venv/bin/python bench/map_bench.py --size 1000000 --workdir /tmp/map-bench --json bench/results/map.json \
        [--compare bench/results/map-before.json] [--reuse]

Phases: load (generated places through bulk_create_places, then `rebuild_map`), server time of cluster
requests for random viewports from the whole country down to a street (Django test client, URL → view →
JSON), and the first load of the map page in headless Debian Chromium against `foodcommons serve`
(time until the first markers are drawn, bytes transferred; no base-map tiles).
"""

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
# Viewports of a 1280×800 map: zoom → (name); a viewport is centred on a random generated place.
ZOOMS = {7: "country", 9: "province", 11: "city", 13: "district", 15: "neighbourhood", 17: "street"}
TOP_FILTERS = [None, "food-aid", "short-chains"]


def _setup_django(workdir: Path, database_url: str | None) -> None:
    os.environ["FOODCOMMONS_DATA_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'map.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foodcommons.settings")
    sys.path.insert(0, str(HERE))
    import django

    django.setup()


def load(args) -> dict:
    """Create the schema and bulk-load generated places without receivers, then build the aggregates once."""
    from django.core.management import call_command
    from generate import generate_places

    from foodcommons.places.bulk import bulk_create_places
    from foodcommons.places.models import Place
    from foodcommons.places.signals import places_changed
    from foodcommons.taxonomy.services import seed_taxonomy
    from foodcommons.territories.services import load_territories
    from foodcommons.web.aggregates import rebuild_all
    from foodcommons.web.models import MapCell

    call_command("migrate", interactive=False, verbosity=0)
    if args.reuse and Place.objects.exists():
        return {"created": Place.objects.count(), "reused": True}
    load_territories()
    seed_taxonomy()
    places_changed.receivers = []
    places_changed.sender_receivers_cache.clear()
    start = time.perf_counter()
    result = bulk_create_places(inputs=generate_places(args.size, seed=args.seed), comment="map bench")
    load_seconds = time.perf_counter() - start
    start = time.perf_counter()
    counted = rebuild_all()
    rebuild_seconds = time.perf_counter() - start
    return {
        "created": result.created, "load_seconds": round(load_seconds, 1), "published": counted,
        "rebuild_seconds": round(rebuild_seconds, 1), "cells": MapCell.objects.count(),
    }


def _viewport(lon: float, lat: float, zoom: int) -> str:
    # A 1280×800 pixel map: 256-pixel tiles span 360/2^zoom degrees of longitude.
    half_lon = 1280 / 2 / 256 * 360 / 2**zoom
    half_lat = half_lon * 800 / 1280 * 0.64  # cos(50°) squeezes longitude degrees at Belgian latitudes
    return f"{lon - half_lon:.5f},{lat - half_lat:.5f},{lon + half_lon:.5f},{lat + half_lat:.5f}"


def requests(args) -> dict:
    """Time cluster requests through Django's test client; return p50/p95/max per zoom class."""
    from django.test import Client

    from foodcommons.places.models import Place

    rng = random.Random(args.seed)
    ids = list(Place.objects.filter(deleted_at__isnull=True).values_list("pk", flat=True)[:: max(1, args.size // 5000)])
    centres = list(Place.objects.filter(pk__in=rng.sample(ids, min(len(ids), 500))).values_list("lon", "lat"))
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    results: dict = {}
    for zoom, name in ZOOMS.items():
        for category in TOP_FILTERS + (["food-bank"] if zoom >= 11 else []):
            times, modes, totals = [], set(), []
            for _ in range(args.repeat):
                lon, lat = (4.45, 50.5) if zoom == 7 else rng.choice(centres)
                params = {"bbox": _viewport(lon, lat, zoom), "zoom": zoom, **({"category": category} if category else {})}
                start = time.perf_counter()
                response = client.get("/map/clusters", params)
                times.append((time.perf_counter() - start) * 1000)
                body = response.json()
                modes.add(body["mode"])
                totals.append(body["total"])
            times.sort()
            results[f"z{zoom} {name}{' · ' + category if category else ''}"] = {
                "p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
                "max_ms": round(times[-1], 1), "modes": sorted(modes), "median_in_view": int(statistics.median(totals)),
            }
    return results


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def browser(args, workdir: Path, database_url: str | None) -> dict:
    """Serve the database with `foodcommons serve` and load the map in headless Chromium a few times."""
    from playwright.sync_api import sync_playwright

    port = _free_port()
    env = {**os.environ, "FOODCOMMONS_DATA_DIR": str(workdir), "FOODCOMMONS_TILE_URL": "",
           "DATABASE_URL": database_url or f"sqlite:///{workdir / 'map.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # The child writes to its own copy of the descriptor, so ours can close once it has started.
    with open(workdir / "serve.log", "ab") as log:
        server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "foodcommons"), "serve", "--no-demo", "--port", str(port)], env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                urllib.request.urlopen(url + "map/boundaries.geojson", timeout=5).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit((workdir / "serve.log").read_text()[-2000:]) from None
                time.sleep(0.5)
        runs = []
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(args.browser_runs):
                context = chromium.new_context(viewport={"width": 1280, "height": 800})
                page = context.new_page()
                sizes = []
                page.on("requestfinished", lambda request: sizes.append(request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"]))
                page.goto(url)
                page.wait_for_selector(".cluster, path.leaflet-interactive", timeout=30_000)
                first_markers = page.evaluate("performance.now()")
                page.wait_for_load_state("networkidle")
                runs.append({"first_markers_ms": round(first_markers), "transfer_kb": round(sum(sizes) / 1024, 1), "requests": len(sizes)})
                context.close()
            chromium.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    return {
        "first_markers_ms_median": statistics.median(r["first_markers_ms"] for r in runs),
        "first_markers_ms_max": max(r["first_markers_ms"] for r in runs),
        "transfer_kb_first_load": runs[0]["transfer_kb"],
        "requests_first_load": runs[0]["requests"],
    }


def table(result: dict) -> str:
    lines = ["| view | p50 ms | p95 ms | max ms | answered from | places in view (median) |", "|---|---:|---:|---:|---|---:|"]
    for name, row in result["requests"].items():
        lines.append(f"| {name} | {row['p50_ms']} | {row['p95_ms']} | {row['max_ms']} | {', '.join(row['modes'])} | {row['median_in_view']:,} |")
    if "browser" in result:
        b = result["browser"]
        lines.append("")
        lines.append(f"First markers in Chromium: median {b['first_markers_ms_median']} ms, max {b['first_markers_ms_max']} ms; "
                     f"first load transfers {b['transfer_kb_first_load']} kB in {b['requests_first_load']} requests (no tiles).")
    return "\n".join(lines)


def compare(result: dict, previous: dict) -> str:
    lines = ["| view | p95 before | p95 now |", "|---|---:|---:|"]
    for name, row in result["requests"].items():
        before = previous.get("requests", {}).get(name, {}).get("p95_ms", "–")
        lines.append(f"| {name} | {before} | {row['p95_ms']} |")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--workdir", default="/tmp/map-bench")
    parser.add_argument("--database-url", default=None, help="postgres://… (default: SQLite in the workdir)")
    parser.add_argument("--repeat", type=int, default=100, help="requests per (zoom, filter)")
    parser.add_argument("--browser-runs", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the places already in the workdir's database")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json")
    parser.add_argument("--compare")
    args = parser.parse_args(argv)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    _setup_django(workdir, args.database_url)
    result = {"size": args.size, "load": load(args)}
    print(json.dumps(result["load"]), file=sys.stderr, flush=True)
    result["requests"] = requests(args)
    if not args.no_browser:
        from django.db import connections

        connections.close_all()
        result["browser"] = browser(args, workdir, args.database_url)
    print(table(result))
    if args.compare:
        print()
        print(compare(result, json.loads(Path(args.compare).read_text())))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
