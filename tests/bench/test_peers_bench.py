"""The peers bench's own logic, without its peers (installing and serving them is the bench's job, not the suite's)."""

import importlib.util
import random
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("peers_bench", ROOT / "bench" / "peers" / "run.py")
peers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(peers)

SUMMARY = {"categories": [["csa", 40], ["bakery", 30], ["community-garden", 20]]}
PEERS = {"ogc": "pygeoapi-gpkg", "api": "datasette"}


def _query(path: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}


def test_every_kind_sends_both_systems_the_same_box_word_or_page():
    for kind in peers.KINDS:
        _peer, pairs = peers.request_pairs(kind, "sqlite", PEERS, SUMMARY, random.Random(1), count=20)
        for ours, theirs in pairs:
            a, b = _query(ours), _query(theirs)
            if kind.startswith("ogc") and "bbox" in a:
                assert a["bbox"] == b["bbox"] and a["limit"] == b["limit"]
            if kind == "ogc_paging":
                assert (a["offset"], a["limit"]) == (b["offset"], b["limit"]) and int(a["offset"]) <= 4500
            if kind == "api_bbox":
                west, south, east, north = (float(v) for v in a["bbox"].split(","))
                assert [round(float(b[k]), 5) for k in ("west", "south", "east", "north")] == [west, south, east, north]
            if kind == "api_text":
                assert b["_search"] == " ".join(f'"{w}"*' for w in a["q"].split())


def test_the_category_filter_is_cql2_on_postgis_and_a_property_filter_on_the_geopackage():
    _, on_sqlite = peers.request_pairs("ogc_cql2_category", "sqlite", PEERS, SUMMARY, random.Random(1), count=5)
    _, on_postgres = peers.request_pairs("ogc_cql2_category", "postgresql", PEERS, SUMMARY, random.Random(1), count=5)
    for (ours, gpkg), (_, postgis) in zip(on_sqlite, on_postgres, strict=True):
        category = _query(ours)["filter"].split("'")[1]
        assert category in {"csa", "bakery", "community-garden"}
        assert _query(gpkg)["category"] == category
        assert _query(postgis)["filter"] == f"category='{category}'" and "filter-lang" not in _query(postgis)


def test_the_report_prints_the_ratios_and_compares_them_with_an_earlier_run():
    kind = {"peer": "datasette", "load_before": [1.0, 1.0, 1.0], "load_after": [1.2, 1.0, 1.0],
            "systems": {name: {"p50_ms": p50, "p95_ms": p50 * 2, "throughput_rps": rps, "latency_errors": 0, "throughput_errors": 0,
                               "mean_features": 50, "bytes_per_feature": 600}
                        for name, p50, rps in (("foodcommons", 10.0, 100.0), ("datasette", 5.0, 200.0))},
            "ratios": {"p50_latency": 2.0, "p95_latency": 2.0, "throughput": 0.5}}
    run = {"database": "sqlite", "size": 1000, "kinds": {"api_text": kind}, "export": {"bytes_per_feature": {"datasette_sqlite": 500}},
           "systems": {"foodcommons": {"server": "waitress"}, "datasette": {"server": "uvicorn", "notes": "canned query"}}}
    result = {"method": "m", "peer_packages": ["datasette==0.65.5", "flask==3"], "debian_packages": [], "runs": [run]}
    text = peers.table(result)
    assert "| api_text | datasette | 2.0 | 2.0 | 0.5 |" in text and "datasette==0.65.5" in text and "flask" not in text
    earlier = {"runs": [{**run, "kinds": {"api_text": {**kind, "ratios": {"p50_latency": 3.0, "p95_latency": 3.0, "throughput": 0.25}}}}]}
    assert "p50 ratio 3.0 → 2.0, throughput ratio 0.25 → 0.5" in peers.compare(result, earlier)
