"""Peers bench: foodcommons side by side with pygeoapi and Datasette on the very same generated places.

    .venv/bin/python bench/peers/run.py --sizes 100000 --databases sqlite,postgresql --duration 20 \
        --keep --json bench/results/peers.json --compare bench/results/peers-before.json

For each (database, size) it loads N places from bench/generate.py into a fresh foodcommons database
(through bench/run.py's load phase), exports the same rows to a GeoPackage (pygeoapi SQLiteGPKG), a
PostGIS table (pygeoapi PostgreSQL, PostgreSQL runs only) and a SQLite database with an R*Tree and FTS5
(Datasette), serves each system on its own port, one process with the same number of threads, and
measures each request kind interleaved A, B, A, B: p50/p95 with one client, throughput with 4.
The peers live in their own virtualenv (under --cache-dir); PostGIS and SpatiaLite come from Debian
packages installed here when missing: foodcommons itself needs neither.
"""

import argparse
import http.client
import importlib.util
import json
import os
import platform
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
REPO = BENCH.parent
sys.path.insert(1, str(BENCH))  # bench/run.py imports its neighbours (measure, generate)
_spec = importlib.util.spec_from_file_location("project_bench", BENCH / "run.py")
project_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(project_bench)  # the project bench's constants: cities, Belgium, search words
from measure import paired_runs, report  # noqa: E402  (bench/ is on the path only from the line above)

DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "foodcommons-peers"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432"
# Pinned so that two runs compare the same peers; the versions installed are written in the output too.
PEER_REQUIREMENTS = [
    "pygeoapi==0.21.0", "datasette==0.65.5", "waitress==3.0.2", "uvicorn==0.54.0",
    "psycopg2-binary==2.9.13", "GeoAlchemy2==0.20.0", "SQLAlchemy==2.1.9",
]
DEBIAN_PACKAGES = {"postgresql": ["postgresql-15-postgis-3"], "sqlite": ["libsqlite3-mod-spatialite"]}
THREADS = 4
CLIENTS = 4
BRUSSELS = (4.30, 50.81, 4.42, 50.88)  # where the centres of the Brussels viewports are drawn
VIEWPORT_HALF = 0.02  # half-height in degrees (the width is 2.4 times it, as in bench/run.py)
KINDS = ("ogc_brussels", "ogc_belgium", "ogc_cql2_category", "ogc_paging", "api_bbox", "api_text", "api_bbox_few", "api_text_few")
# The *_few kinds ask both systems for the same few properties of each place (what a map's markers or a list of
# results shows): foodcommons with `properties=`, Datasette with the columns holding the same values.
FEW_PROPERTIES = "name,categories,geometry"
FEW_COLUMNS = ["name_fr", "name_nl", "name_en", "category", "lon", "lat"]
EXPORTED = [
    "id", "version", "name_fr", "name_nl", "name_en", "description_fr", "description_nl", "category", "status",
    "street", "house_number", "postcode", "locality", "commune", "opening_hours", "website", "email", "licence", "updated_at",
]


# ---------------------------------------------------------------- environment of the peers

def ensure_debian_packages(databases: list[str]) -> list[str]:
    """Install the Debian packages the peers need (PostGIS, SpatiaLite) when missing; return their versions."""
    wanted = [p for d in databases for p in DEBIAN_PACKAGES[d]]
    missing = [p for p in wanted if subprocess.run(["dpkg", "-s", p], check=False, capture_output=True).returncode != 0]
    if missing:
        if os.geteuid() != 0:
            raise SystemExit(f"missing Debian packages {missing}: run as root or `apt-get install {' '.join(missing)}`")
        print(f"installing {', '.join(missing)} with apt-get", file=sys.stderr, flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    versions = subprocess.run(["dpkg-query", "-W", "-f", "${Package}=${Version}\n", *wanted], check=False, capture_output=True, text=True)
    return versions.stdout.split()


def _loads_sqlite_extensions(python: str) -> bool:
    probe = "import sqlite3, venv; sqlite3.connect(':memory:').enable_load_extension(True)"
    return shutil.which(python) is not None and subprocess.run([python, "-c", probe], check=False, capture_output=True).returncode == 0


def peer_interpreter() -> str:
    """Return a Python whose sqlite3 may load SpatiaLite (pygeoapi's SQLiteGPKG needs it; pyenv builds often cannot)."""
    for python in (sys.executable, "/usr/bin/python3"):
        if _loads_sqlite_extensions(python):
            return python
    if os.geteuid() == 0:
        subprocess.run(["apt-get", "install", "-y", "-qq", "python3", "python3-venv"], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        if _loads_sqlite_extensions("/usr/bin/python3"):
            return "/usr/bin/python3"
    raise SystemExit("no Python here can load SQLite extensions (needed by pygeoapi's SQLiteGPKG provider)")


def ensure_peer_env(cache: Path) -> Path:
    """Create (or reuse) the peers' virtualenv and return its bin folder."""
    venv = cache / "venv"
    marker = venv / "peers-requirements.txt"
    python = peer_interpreter()
    wanted = "\n".join([python, *PEER_REQUIREMENTS])
    if not (marker.exists() and marker.read_text() == wanted):
        print(f"creating the peers' virtualenv in {venv} with {python}", file=sys.stderr, flush=True)
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *PEER_REQUIREMENTS], check=True)
        marker.write_text(wanted)
    return venv / "bin"


def peer_versions(bin_dir: Path) -> list[str]:
    """Return `pip freeze` of the peers' virtualenv."""
    frozen = subprocess.run([str(bin_dir / "pip"), "freeze"], capture_output=True, text=True, check=True).stdout
    return frozen.split()


# ---------------------------------------------------------------- data: load into foodcommons, export to the peers

DATABASE_PREFIX = [""]  # set from --database-prefix, so that two people sharing a PostgreSQL server keep apart


def _names(size: int, seed: int) -> dict:
    prefix = DATABASE_PREFIX[0]
    return {"foodcommons_pg": f"{prefix}foodcommons_peers_{size}_{seed}", "postgis": f"{prefix}peers_postgis_{size}_{seed}"}


def _project_env(extra: dict) -> dict:
    src = str(REPO / "src")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
            "DJANGO_SETTINGS_MODULE": "foodcommons.settings", **extra}


def _foodcommons_database_url(database: str, workdir: Path, args) -> str:
    if database == "postgresql":
        return f"{args.postgres_url}/{_names(args.current_size, args.seed)['foodcommons_pg']}"
    return f"sqlite:///{workdir / 'bench.sqlite3'}"


def prepare_data(database: str, size: int, args) -> tuple[Path, dict]:
    """Load `size` places into foodcommons and export them to the peers, or reuse a kept copy."""
    args.current_size = size
    workdir = Path(args.cache_dir) / "data" / f"{database}-{size}-seed{args.seed}"
    summary_file = workdir / "export.json"
    if args.keep and summary_file.exists() and _kept_databases_exist(database, size, args):
        print(f"{database} {size:,}: reusing {workdir}", file=sys.stderr, flush=True)
        return workdir, json.loads(summary_file.read_text())
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    print(f"{database} {size:,}: loading into foodcommons", file=sys.stderr, flush=True)
    url = _foodcommons_database_url(database, workdir, args)
    load = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--phase", "load", "--databases", database, "--size", str(size),
         "--workdir", str(workdir), "--repeat", "1", "--seed", str(args.seed), "--postgres-url", url,
         *([] if args.receivers else ["--no-receivers"])],
        stdout=subprocess.PIPE, text=True, env=_project_env({}), check=False,
    )
    if load.returncode:
        raise SystemExit(f"loading {size} places into foodcommons on {database} failed")
    loaded = json.loads(load.stdout.strip().splitlines()[-1])
    print(f"{database} {size:,}: exporting to the peers", file=sys.stderr, flush=True)
    export = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--phase", "export", "--workdir", str(workdir),
         "--databases", database, "--postgres-url", args.postgres_url, "--size", str(size), "--seed", str(args.seed),
         "--database-prefix", args.database_prefix],
        stdout=subprocess.PIPE, text=True, env=_project_env({"DATABASE_URL": url, "FOODCOMMONS_DATA_DIR": str(workdir)}),
        check=False,
    )
    if export.returncode:
        raise SystemExit(f"exporting the places of {database} {size} failed")
    summary = {**json.loads(export.stdout.strip().splitlines()[-1]), "load": loaded}
    summary_file.write_text(json.dumps(summary, indent=2))
    return workdir, summary


def _kept_databases_exist(database: str, size: int, args) -> bool:
    if database != "postgresql":
        return True
    import psycopg

    with psycopg.connect(f"{args.postgres_url}/postgres", autocommit=True) as conn:
        names = {r[0] for r in conn.execute("SELECT datname FROM pg_database")}
    return set(_names(size, args.seed).values()) <= names


def export_phase(args) -> dict:
    """(child process, Django set up) Write the foodcommons places as GeoJSONSeq, GeoPackage, PostGIS and Datasette SQLite."""
    import django

    django.setup()
    workdir = Path(args.workdir)
    seq = workdir / "places.geojsonl"
    datasette_db = workdir / "places.db"
    categories: dict[str, int] = {}
    count = 0
    with seq.open("w", encoding="utf-8") as out, DatasetteWriter(datasette_db) as write_row:
        for row in _exported_rows():
            lon, lat = row.pop("lon"), row.pop("lat")
            categories[row["category"]] = categories.get(row["category"], 0) + 1
            out.write(json.dumps({"type": "Feature", "properties": row, "geometry": {"type": "Point", "coordinates": [lon, lat]}},
                                 ensure_ascii=False) + "\n")
            write_row(row, lon, lat)
            count += 1
    _finish_datasette(datasette_db)
    files = {"geojsonseq": seq.stat().st_size, "datasette_sqlite": datasette_db.stat().st_size}
    _ogr2ogr(["-f", "GPKG", str(workdir / "places.gpkg"), str(seq), "-nln", "places", "-lco", "FID=fid", "-lco", "SPATIAL_INDEX=YES"])
    with sqlite3.connect(workdir / "places.gpkg") as gpkg:
        gpkg.execute("CREATE INDEX places_category ON places(category)")  # the property filter's index, as foodcommons has one
    files["geopackage"] = (workdir / "places.gpkg").stat().st_size
    if args.databases == "postgresql":
        files["postgis_table"] = _export_postgis(seq, f"{args.postgres_url}/{_names(args.size, args.seed)['postgis']}")
    seq.unlink()  # only an intermediate: the peers read their own copies
    files.pop("geojsonseq")
    files["foodcommons_database"] = _foodcommons_bytes(workdir)
    files["foodcommons_places"] = _foodcommons_places_bytes()
    return {
        "places": count,
        "categories": sorted(categories.items(), key=lambda kv: -kv[1]),
        "bytes": files,
        "bytes_per_feature": {k: round(v / count) for k, v in files.items()} if count else {},
    }


def _foodcommons_bytes(workdir: Path) -> int:
    """Return the size of the whole foodcommons database (places, revisions, indexes, territories, taxonomy)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
    return sum(p.stat().st_size for p in workdir.glob("bench.sqlite3*"))


PLACE_TABLES = ("places_place", "places_placecategory", "places_place_search")  # what the answers compared read


def _foodcommons_places_bytes() -> int:
    """Return the bytes of the places' tables, their indexes and search indexes (no revisions, no territories)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c WHERE c.relkind = 'r' "
                           "AND c.relname = ANY(%s)", [list(PLACE_TABLES)])
            return int(cursor.fetchone()[0])
        # R*Tree and FTS5 keep shadow tables named after theirs (places_place_rtree_node, places_place_fts_data…).
        cursor.execute("SELECT coalesce(sum(d.pgsize), 0) FROM dbstat d JOIN sqlite_master m ON m.name = d.name "
                       "WHERE m.tbl_name IN ('places_place', 'places_placecategory') OR m.tbl_name LIKE 'places\\_place\\_%' ESCAPE '\\'")
        return int(cursor.fetchone()[0])


def _exported_rows():
    """Yield the flat properties (and lon, lat) of every live foodcommons place, in id order."""
    from foodcommons.places.models import Place, PlaceCategory

    first_category = {}
    for place_id, category in PlaceCategory.objects.order_by("-pk").values_list("place_id", "category__slug").iterator(chunk_size=20_000):
        first_category[place_id] = category
    columns = ["pk", "public_id", "version", "name_fr", "name_nl", "name_en", "description_fr", "description_nl", "status", "street",
               "house_number", "postcode", "locality", "commune_id", "opening_hours", "contacts", "licence", "updated_at", "lon", "lat"]
    rows = Place.objects.filter(deleted_at__isnull=True, geometry_type="Point").order_by("pk").values_list(*columns)
    for values in rows.iterator(chunk_size=5000):
        place = dict(zip(columns, values, strict=True))
        public = [c for c in place.pop("contacts") or [] if not c.get("private")]
        yield {
            "id": place.pop("public_id"), **{k: place[k] for k in ("version", "name_fr", "name_nl", "name_en", "description_fr", "description_nl")},
            "category": first_category.get(place["pk"], ""), "status": place["status"], "street": place["street"],
            "house_number": place["house_number"], "postcode": place["postcode"], "locality": place["locality"],
            "commune": place["commune_id"] or "", "opening_hours": place["opening_hours"],
            "website": " ".join(c["value"] for c in public if c["kind"] == "website"),
            "email": " ".join(c["value"] for c in public if c["kind"] == "email"),
            "licence": place["licence"], "updated_at": place["updated_at"].isoformat(), "lon": place["lon"], "lat": place["lat"],
        }


class DatasetteWriter:
    """Write rows to the Datasette database: a plain table, an R*Tree of its points and (at the end) FTS5."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.conn = sqlite3.connect(self.path)
        columns = ", ".join(f"{c} {'INTEGER' if c == 'version' else 'TEXT'}" for c in EXPORTED if c != "id")
        self.conn.executescript(f"""
            PRAGMA journal_mode=OFF;
            CREATE TABLE places (id TEXT PRIMARY KEY, {columns}, lon REAL, lat REAL);
            CREATE VIRTUAL TABLE places_rtree USING rtree(id, minx, maxx, miny, maxy);
        """)
        self.batch = []
        return self._add

    def _add(self, row: dict, lon: float, lat: float) -> None:
        self.batch.append((row, lon, lat))
        if len(self.batch) >= 5000:
            self._flush()

    def _flush(self) -> None:
        marks = ", ".join("?" * (len(EXPORTED) + 2))
        self.conn.executemany(f"INSERT INTO places ({', '.join(EXPORTED)}, lon, lat) VALUES ({marks})",
                              [[r[c] for c in EXPORTED] + [lon, lat] for r, lon, lat in self.batch])
        self.batch = []

    def __exit__(self, *exc):
        self._flush()
        self.conn.execute("INSERT INTO places_rtree SELECT rowid, lon, lon, lat, lat FROM places")
        self.conn.commit()
        self.conn.close()


def _finish_datasette(path: Path) -> None:
    """Add the FTS5 index (external content: the table's own text) and the statistics of the query planner."""
    with sqlite3.connect(path) as conn:
        conn.executescript("""
            CREATE VIRTUAL TABLE places_fts USING fts5(name_fr, name_nl, name_en, description_fr, description_nl, locality,
                content='places', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
            INSERT INTO places_fts(places_fts) VALUES ('rebuild');
            CREATE INDEX places_category ON places(category);
            ANALYZE;
        """)
    with sqlite3.connect(path) as conn:
        conn.execute("VACUUM")


def _ogr2ogr(arguments: list[str]) -> None:
    subprocess.run(["ogr2ogr", "-overwrite", *arguments], check=True, stdout=subprocess.DEVNULL)


def _export_postgis(seq: Path, url: str) -> int:
    """Create a PostGIS database with the places table (GiST index, category index); return its table's bytes."""
    import psycopg
    from psycopg import sql

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION postgis")
    info = psycopg.conninfo.conninfo_to_dict(url)
    pg = " ".join(f"{k}={info[k]}" for k in ("host", "port", "user", "dbname", "password") if info.get(k))
    _ogr2ogr(["-f", "PostgreSQL", f"PG:{pg}", str(seq), "-nln", "places", "-lco", "GEOMETRY_NAME=geom", "-lco", "FID=fid",
              "-lco", "SPATIAL_INDEX=GIST", "-nlt", "POINT"])
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE UNIQUE INDEX places_id ON places (id)")
        conn.execute("CREATE INDEX places_category ON places (category)")
        conn.execute("VACUUM ANALYZE places")
        return conn.execute("SELECT pg_total_relation_size('places')").fetchone()[0]


# ---------------------------------------------------------------- servers

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One system served on its own port, started as a child process and stopped at the end."""

    def __init__(self, name: str, command: list[str], env: dict, port: int, ready_path: str, config: dict):
        self.name, self.command, self.env, self.port, self.ready_path, self.config = name, command, env, port, ready_path, config
        self.process = None

    def start(self, log_dir: Path) -> None:
        self.log = (log_dir / f"{self.name}.log").open("w")
        self.process = subprocess.Popen(self.command, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited at start; see {log_dir / (self.name + '.log')}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                connection.request("GET", self.ready_path)
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"{self.name} was not ready after 180 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.process:
            self.log.close()


def foodcommons_server(database: str, workdir: Path, args) -> Server:
    """foodcommons through foodcommons.wsgi:application under waitress."""
    port = _free_port()
    url = _foodcommons_database_url(database, workdir, args)
    env = _project_env({"DATABASE_URL": url, "FOODCOMMONS_DATA_DIR": str(workdir)})
    config = {"wsgi": "foodcommons.wsgi:application", "server": f"waitress, 1 process, {THREADS} threads",
              "database": url, "source": str(REPO / "src"), "commit": _commit(),
              "notes": "loaded by bench/run.py's load phase (bulk_create_places); full records in every answer"}
    return Server("foodcommons", [sys.executable, str(HERE / "serve.py"), "foodcommons", str(port), str(THREADS)],
                  env, port, "/ogc/collections/places", config)


def _commit() -> str:
    done = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], check=False, capture_output=True, text=True)
    return done.stdout.strip()


def pygeoapi_server(database: str, workdir: Path, bin_dir: Path, args) -> Server:
    """pygeoapi's Flask WSGI application under waitress, with a generated configuration and OpenAPI document."""
    port = _free_port()
    if database == "postgresql":
        info = {"host": "127.0.0.1", "port": 5432, "dbname": _names(args.current_size, args.seed)["postgis"], "user": "postgres",
                "password": "", "search_path": ["public"]}
        base = args.postgres_url.split("://", 1)[1]
        user_host = base.rsplit("@", 1)
        if len(user_host) == 2:
            info["user"] = user_host[0].split(":")[0]
            if ":" in user_host[0]:
                info["password"] = user_host[0].split(":", 1)[1]
        host, _, db_port = user_host[-1].partition(":")
        info.update(host=host, port=int(db_port or 5432))
        provider = {"type": "feature", "name": "PostgreSQL", "data": info, "id_field": "id", "table": "places", "geom_field": "geom"}
    else:
        provider = {"type": "feature", "name": "SQLiteGPKG", "data": str(workdir / "places.gpkg"), "id_field": "id", "table": "places"}
    config = _pygeoapi_config(port, provider)
    config_file = workdir / "pygeoapi.yml"
    config_file.write_text(json.dumps(config, indent=2))  # JSON is YAML
    openapi = workdir / "pygeoapi-openapi.yml"
    env = {**os.environ, "PYGEOAPI_CONFIG": str(config_file), "PYGEOAPI_OPENAPI": str(openapi)}
    subprocess.run([str(bin_dir / "pygeoapi"), "openapi", "generate", str(config_file), "--output-file", str(openapi)],
                   env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    public = json.loads(json.dumps(config))
    if database == "postgresql":
        public["resources"]["places"]["providers"][0]["data"]["password"] = "(hidden)" if info["password"] else ""
    return Server(f"pygeoapi-{'postgis' if database == 'postgresql' else 'gpkg'}",
                  [str(bin_dir / "python"), str(HERE / "serve.py"), "pygeoapi", str(port), str(THREADS)], env, port,
                  "/collections/places?f=json",
                  {"wsgi": "pygeoapi.flask_app:APP", "server": f"waitress, 1 process, {THREADS} threads", "config": public,
                   "notes": PYGEOAPI_NOTES[provider["name"]]})


PYGEOAPI_NOTES = {
    "SQLiteGPKG": (
        "GeoPackage written by ogr2ogr (GPKG R*Tree spatial index, index on category). The provider opens the file and "
        "loads SpatiaLite on every request, filters bbox with Intersects(geom, BuildMbr(...)) over the vgpkg_ virtual "
        "table (the R*Tree is not used), has no CQL (category=... property filter instead), omits numberMatched, "
        "pages with LIMIT/OFFSET. Under concurrent requests it sometimes fails to open the file (500 InvalidPluginError): "
        "counted as errors, not as answers."
    ),
    "PostgreSQL": (
        "PostGIS table written by ogr2ogr (GiST index on geom, unique index on id, index on category, VACUUM ANALYZE). "
        "SQLAlchemy engine kept per process (its default pool), ST_Intersects(ST_MakeEnvelope(...), geom), exact count() "
        "for numberMatched on every request, CQL2 text through pygeofilter (request without filter-lang), "
        "LIMIT/OFFSET without ORDER BY."
    ),
}


def _pygeoapi_config(port: int, provider: dict) -> dict:
    url = f"http://127.0.0.1:{port}"
    return {
        "server": {"bind": {"host": "127.0.0.1", "port": port}, "url": url, "mimetype": "application/json; charset=UTF-8",
                   "encoding": "utf-8", "languages": ["en-US"], "pretty_print": False,
                   "limits": {"default_items": 100, "max_items": 10000},
                   "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "attribution": "OpenStreetMap"}},
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {"title": "foodcommons peers bench", "description": "The places of bench/generate.py",
                               "keywords": ["food"], "keywords_type": "theme", "terms_of_service": "https://example.org/",
                               "url": "https://example.org/"},
            "license": {"name": "ODbL-1.0", "url": "https://opendatacommons.org/licenses/odbl/1-0/"},
            "provider": {"name": "bench", "url": "https://example.org/"},
            "contact": {"name": "bench", "position": "bench", "address": "-", "city": "-", "stateorprovince": "-",
                        "postalcode": "-", "country": "BE", "phone": "-", "fax": "-", "email": "bench@example.org",
                        "url": "https://example.org/", "hours": "-", "instructions": "-", "role": "pointOfContact"},
        },
        "resources": {"places": {
            "type": "collection", "title": "Places", "description": "The generated places", "keywords": ["food"],
            "links": [],
            "extents": {"spatial": {"bbox": [2.5, 49.45, 6.45, 51.55], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}},
            "providers": [provider],
        }},
    }


def datasette_server(workdir: Path, bin_dir: Path) -> Server:
    """Datasette (ASGI) under its own `datasette serve`: uvicorn, one process, SQL on THREADS threads."""
    port = _free_port()
    metadata = {"databases": {"places": {
        "tables": {"places": {"fts_table": "places_fts", "fts_pk": "rowid"}},
        "queries": {"in_bbox": {"sql": (
            "select p.* from places_rtree r join places p on p.rowid = r.id "
            "where r.minx <= cast(:east as real) and r.maxx >= cast(:west as real) "
            "and r.miny <= cast(:north as real) and r.maxy >= cast(:south as real) limit cast(:limit as integer)")},
            "in_bbox_few": {"sql": (
            f"select p.id, {', '.join('p.' + c for c in FEW_COLUMNS)} from places_rtree r join places p on p.rowid = r.id "
            "where r.minx <= cast(:east as real) and r.maxx >= cast(:west as real) "
            "and r.miny <= cast(:north as real) and r.maxy >= cast(:south as real) limit cast(:limit as integer)")}},
    }}}
    metadata_file = workdir / "datasette-metadata.json"
    metadata_file.write_text(json.dumps(metadata, indent=2))
    # suggest_facets off: by default every table page also runs a distinct count per column to suggest facets,
    # which an API serving the places has no use for (foodcommons computes none).
    settings = {"num_sql_threads": THREADS, "sql_time_limit_ms": 10000, "max_returned_rows": 1000, "suggest_facets": "off"}
    command = [str(bin_dir / "datasette"), "serve", str(workdir / "places.db"), "--host", "127.0.0.1", "--port", str(port),
               "--metadata", str(metadata_file)]
    for key, value in settings.items():
        command += ["--setting", key, str(value)]
    config = {"server": f"datasette serve = uvicorn, 1 process, 1 event loop, SQL on {THREADS} threads (num_sql_threads); "
                        "ASGI, so not waitress: the closest equivalent", "settings": settings, "metadata": metadata,
              "mode": "mutable file (not --immutable)",
              "notes": ("/api/places?bbox= is compared with the canned query in_bbox (SQL over the R*Tree, JSON rows with "
                        "lon and lat, no GeoJSON); /api/places?q= with the table's _search in raw mode, every word as an "
                        "FTS5 prefix (\"word\"*) as foodcommons matches them, tokenizer unicode61 remove_diacritics 2; "
                        "_shape=objects. Datasette counts the matching rows of a table page, as foodcommons does. The *_few kinds: "
                        f"foodcommons with properties={FEW_PROPERTIES}, Datasette with the columns {', '.join(FEW_COLUMNS)} "
                        "(canned query in_bbox_few; _col= on the table).")}
    return Server("datasette", command, dict(os.environ), port, "/places.json", config)


# ---------------------------------------------------------------- requests

def _viewport(rng: random.Random) -> tuple[float, float, float, float]:
    west, south, east, north = BRUSSELS
    lon, lat = rng.uniform(west, east), rng.uniform(south, north)
    return (lon - VIEWPORT_HALF * 2.4, lat - VIEWPORT_HALF, lon + VIEWPORT_HALF * 2.4, lat + VIEWPORT_HALF)


def _bbox(box) -> str:
    return ",".join(f"{v:.5f}" for v in box)


def _ogc(prefix: str, params: dict) -> str:
    return f"{prefix}/collections/places/items?" + urlencode({**params, "f": "json"})


def request_pairs(kind: str, database: str, peers: dict[str, str], summary: dict, rng: random.Random, count: int = 200) -> tuple[str, list]:
    """Return the peer of `kind` and `count` (foodcommons path, peer path) pairs drawn alike for both."""
    ogc_peer = peers["ogc"]
    categories = [c for c, n in summary["categories"][:5] if c]
    pairs = []
    for _ in range(count):
        if kind == "ogc_brussels":
            params = {"bbox": _bbox(_viewport(rng)), "limit": 500}
            pairs.append((_ogc("/ogc", params), _ogc("", params)))
        elif kind == "ogc_belgium":
            params = {"bbox": project_bench.BELGIUM, "limit": 100}
            pairs.append((_ogc("/ogc", params), _ogc("", params)))
        elif kind == "ogc_cql2_category":
            cql = {"filter": f"category='{rng.choice(categories)}'", "filter-lang": "cql2-text", "limit": 100}
            # pygeoapi 0.21 refuses filter-lang=cql2-text (it knows "cql-text", its default, parsed as CQL2 text);
            # its SQLiteGPKG provider has no CQL at all: the equivalent property filter there.
            category = cql["filter"].split("'")[1]
            peer = {"filter": cql["filter"], "limit": 100} if database == "postgresql" else {"category": category, "limit": 100}
            pairs.append((_ogc("/ogc", cql), _ogc("", peer)))
        elif kind == "ogc_paging":
            params = {"limit": 500, "offset": 500 * rng.randrange(10)}
            pairs.append((_ogc("/ogc", params), _ogc("", params)))
        elif kind in ("api_bbox", "api_bbox_few"):
            west, south, east, north = _viewport(rng)
            few = kind == "api_bbox_few"
            pairs.append((f"/api/places?{urlencode({'bbox': _bbox((west, south, east, north)), 'limit': 500, **_few(few)})}",
                          f"/places/{'in_bbox_few' if few else 'in_bbox'}.json?" + urlencode(
                              {"west": west, "south": south, "east": east, "north": north, "limit": 500, "_shape": "objects"})))
        elif kind in ("api_text", "api_text_few"):
            word, few = rng.choice(project_bench.WORDS), kind == "api_text_few"
            # foodcommons matches every word as a prefix: the same FTS5 query, in raw mode.
            match = " ".join(f'"{w}"*' for w in word.split())
            columns = [("_col", c) for c in FEW_COLUMNS] if few else []
            pairs.append((f"/api/places?{urlencode({'q': word, 'limit': 50, **_few(few)})}",
                          "/places/places.json?" + urlencode([("_search", match), ("_searchmode", "raw"), ("_size", 50),
                                                              ("_shape", "objects"), *columns])))
    return (ogc_peer if kind.startswith("ogc") else peers["api"]), pairs


def _few(few: bool) -> dict:
    return {"properties": FEW_PROPERTIES} if few else {}


class Client:
    """Keep-alive HTTP connections to the servers, one per server and thread."""

    def __init__(self, ports: dict[str, int]):
        self.ports = ports
        self.local = threading.local()

    def get(self, system: str, path: str) -> tuple[int, bytes]:
        connections = self.local.__dict__.setdefault("connections", {})
        for attempt in (1, 2):
            connection = connections.get(system)
            if connection is None:
                connection = connections[system] = http.client.HTTPConnection("127.0.0.1", self.ports[system], timeout=120)
            try:
                connection.request("GET", path, headers={"Accept-Encoding": "identity"})
                response = connection.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, OSError):
                connection.close()
                connections.pop(system, None)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def _features(body: bytes) -> int:
    document = json.loads(body)
    for key in ("features", "places", "rows"):
        if key in document:
            return len(document[key])
    raise ValueError(f"no features in {body[:200]!r}")


def _check(client: Client, system: str, paths: list[str]) -> dict:
    """Send a few requests, refuse errors, and return the mean features and bytes per feature of the answers."""
    features, sizes = [], []
    for path in paths:
        status, body = client.get(system, path)
        if status != 200:
            raise SystemExit(f"{system} answered {status} to {path}: {body[:300]!r}")
        features.append(_features(body))
        sizes.append(len(body))
    total = sum(features)
    return {"mean_features": round(statistics.mean(features), 1), "mean_bytes": round(statistics.mean(sizes)),
            "bytes_per_feature": round(sum(sizes) / total) if total else None}


def _latency(client: Client, systems: tuple[str, str], pairs: list, seconds: float) -> dict:
    """One client, A then B on the same parameters, alternately, for `seconds`."""
    timings, errors = {s: [] for s in systems}, dict.fromkeys(systems, 0)
    deadline, i = time.monotonic() + seconds, 0
    while time.monotonic() < deadline or i < 10:
        for side, system in enumerate(systems):
            start = time.perf_counter()
            status, _ = client.get(system, pairs[i % len(pairs)][side])
            if status == 200:
                timings[system].append((time.perf_counter() - start) * 1000)
            else:
                errors[system] += 1
        i += 1
    return {s: {**_percentiles(t), "latency_errors": errors[s]} for s, t in timings.items()}


def _percentiles(timings: list[float]) -> dict:
    ordered = sorted(timings)
    return {"p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1), "requests": len(ordered)}


def _throughput(client: Client, system: str, side: int, pairs: list, seconds: float) -> tuple[int, int, float]:
    """CLIENTS threads requesting `system` as fast as it answers for `seconds`; return (200 answers, others, seconds).

    Answers other than 200 are counted, not fatal: pygeoapi's SQLiteGPKG provider sometimes fails to open the
    GeoPackage while another thread does (InvalidPluginError, 500), and that is part of what is measured.
    """
    done, failed, errors = [0] * CLIENTS, [0] * CLIENTS, []
    deadline = time.monotonic() + seconds

    def work(n: int) -> None:
        i = n * 37
        try:
            while time.monotonic() < deadline:
                status, _ = client.get(system, pairs[i % len(pairs)][side])
                if status == 200:
                    done[n] += 1
                else:
                    failed[n] += 1
                i += 1
        except Exception as error:
            errors.append(repr(error))

    start = time.monotonic()
    threads = [threading.Thread(target=work, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"{system} failed under {CLIENTS} clients: {errors[:3]}")
    return sum(done), sum(failed), time.monotonic() - start


def measure_kind(kind: str, client: Client, systems: tuple[str, str], pairs: list, seconds: float) -> dict:
    """Check both answers, then latency (one client) and throughput (CLIENTS clients, A, B, A, B) of one request kind."""
    load_before = os.getloadavg()
    answers = {s: _check(client, s, [p[side] for p in pairs[:5]]) for side, s in enumerate(systems)}
    latency = _latency(client, systems, pairs, seconds)
    counts = {s: [0, 0, 0.0] for s in systems}
    for _round in range(2):
        for side, system in enumerate(systems):
            measured = _throughput(client, system, side, pairs, seconds / 2)
            counts[system] = [a + b for a, b in zip(counts[system], measured, strict=True)]
    result = {"systems": {}, "load_before": [round(v, 2) for v in load_before]}
    for system in systems:
        ok, failed, elapsed = counts[system]
        result["systems"][system] = {**latency[system], "throughput_rps": round(ok / elapsed, 1), "throughput_errors": failed,
                                     **answers[system]}
    fc, peer = (result["systems"][s] for s in systems)
    result["ratios"] = {
        "p50_latency": round(fc["p50_ms"] / peer["p50_ms"], 2), "p95_latency": round(fc["p95_ms"] / peer["p95_ms"], 2),
        "throughput": round(fc["throughput_rps"] / peer["throughput_rps"], 2),
    }
    result["load_after"] = [round(v, 2) for v in os.getloadavg()]
    result["peer"], result["example"] = systems[1], {"foodcommons": pairs[0][0], systems[1]: pairs[0][1]}
    return result


# ---------------------------------------------------------------- a run

def run_one(database: str, size: int, args, bin_dir: Path) -> dict:
    """Prepare the data of (database, size), serve the three systems and measure every kind asked."""
    workdir, summary = prepare_data(database, size, args)
    servers = [foodcommons_server(database, workdir, args), pygeoapi_server(database, workdir, bin_dir, args),
               datasette_server(workdir, bin_dir)]
    peers = {"ogc": servers[1].name, "api": servers[2].name}
    log_dir = workdir / "logs"
    log_dir.mkdir(exist_ok=True)
    kinds = {}
    try:
        for server in servers:
            server.start(log_dir)
        client = Client({s.name: s.port for s in servers})
        rng = random.Random(args.seed)
        for kind in args.kinds.split(","):
            peer, pairs = request_pairs(kind, database, peers, summary, rng)
            print(f"{database} {size:,}: {kind} (foodcommons vs {peer})", file=sys.stderr, flush=True)
            kinds[kind] = measure_kind(kind, client, ("foodcommons", peer), pairs, args.duration)
    finally:
        for server in servers:
            server.stop()
    return {"database": database, "size": size, "export": {k: v for k, v in summary.items() if k != "categories"},
            "categories_used": [c for c, _ in summary["categories"][:5]],
            "systems": {s.name: s.config for s in servers}, "kinds": kinds}


def _drop_kept(database: str, size: int, args) -> None:
    shutil.rmtree(Path(args.cache_dir) / "data" / f"{database}-{size}-seed{args.seed}", ignore_errors=True)
    if database == "postgresql":
        import psycopg
        from psycopg import sql

        with psycopg.connect(f"{args.postgres_url}/postgres", autocommit=True) as conn:
            for name in _names(size, args.seed).values():
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def run_all(args) -> dict:
    """Set up the peers, then run every (database, size)."""
    databases = args.databases.split(",")
    debian = ensure_debian_packages(databases)
    bin_dir = ensure_peer_env(Path(args.cache_dir))
    runs = []
    for database in databases:
        for size in [int(s) for s in args.sizes.split(",")]:
            runs.append(run_one(database, size, args, bin_dir))
            if not args.keep:
                _drop_kept(database, size, args)
    return {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "method": (f"one process per system, {THREADS} threads (waitress; Datasette: uvicorn event loop + {THREADS} SQL threads); "
                   f"latency: one client, A and B alternately on the same parameters for {args.duration} s; "
                   f"throughput: {CLIENTS} keep-alive clients, A, B, A, B for {args.duration / 2} s each; no compression"),
        "duration_seconds": args.duration, "seed": args.seed, "debian_packages": debian, "peer_packages": peer_versions(bin_dir),
        "runs": runs,
    }


def table(result: dict) -> str:
    """Return a Markdown table per run and the weights of the answers."""
    out = [f"Method: {result['method']}.", f"Peers: {', '.join(_main_versions(result))}."]
    for run in result["runs"]:
        out.append(f"\n### {run['database']}, {run['size']:,} places\n")
        for name, config in run["systems"].items():
            out.append(f"- {name}: {config['server']}. {config.get('notes', '')}")
        out.append("")
        out.append("| request | system | p50 ms | p95 ms | req/s (4 clients) | errors | features | B/feature | load before → after |")
        out.append("|---|---|---|---|---|---|---|---|---|")
        for kind, k in run["kinds"].items():
            for name, s in k["systems"].items():
                out.append(f"| {kind} | {name} | {s['p50_ms']} | {s['p95_ms']} | {s['throughput_rps']} "
                           f"| {s['latency_errors'] + s['throughput_errors']} | {s['mean_features']} "
                           f"| {s['bytes_per_feature']} | {k['load_before'][0]} → {k['load_after'][0]} |")
        out.append("\n| request | peer | p50 ratio | p95 ratio | throughput ratio |")
        out.append("|---|---|---|---|---|")
        for kind, k in run["kinds"].items():
            r = k["ratios"]
            out.append(f"| {kind} | {k['peer']} | {r['p50_latency']} | {r['p95_latency']} | {r['throughput']} |")
        out.append(f"\nStored bytes per feature (foodcommons_places: places, categories and search indexes; "
                   f"foodcommons_database: everything, revisions and territories included): {run['export']['bytes_per_feature']}")
    out.append("\nratio = foodcommons / peer: below 1 is faster for latency, above 1 is faster for throughput.")
    return "\n".join(out)


def _main_versions(result: dict) -> list[str]:
    wanted = ("pygeoapi", "datasette", "waitress", "uvicorn", "sqlalchemy", "geoalchemy2", "psycopg2-binary")
    return [p for p in result["peer_packages"] if p.split("==")[0].lower() in wanted] + result["debian_packages"]


def compare(result: dict, previous: dict) -> str:
    """Return the changes of the ratios against a previous result."""
    lines = []
    for run, old in paired_runs(result, previous):
        for kind, k in run["kinds"].items():
            if kind in old["kinds"]:
                o = old["kinds"][kind]["ratios"]
                lines.append(f"{run['database']} {run['size']:,} {kind}: p50 ratio {o['p50_latency']} → {k['ratios']['p50_latency']}, "
                             f"throughput ratio {o['throughput']} → {k['ratios']['throughput']}")
    return "\n".join(lines) or "nothing to compare (no common database and size)"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000", help="comma-separated numbers of places (e.g. 100000,1000000)")
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"comma-separated request kinds among {', '.join(KINDS)}")
    parser.add_argument("--duration", type=float, default=20, help="seconds of latency measurement per kind, and of throughput per system")
    parser.add_argument("--keep", action="store_true", help="keep the loaded and exported data, and reuse it when present (by size and seed)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache-dir", default=str(DEFAULT_CACHE), help="the peers' virtualenv and the data (default %(default)s)")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_SERVER", DEFAULT_POSTGRES),
                        help="PostgreSQL server (no database name); its databases foodcommons_peers_* and peers_postgis_* are recreated")
    parser.add_argument("--database-prefix", default="", help="put before the names of the PostgreSQL databases made (e.g. fc_me_)")
    parser.add_argument("--receivers", action="store_true", help="keep the listeners of places_changed connected during the load")
    parser.add_argument("--json", help="write the results to this JSON file")
    parser.add_argument("--compare", help="a previous JSON result to print the changes of the ratios against")
    parser.add_argument("--phase", choices=("export",), help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    unknown = set(args.kinds.split(",")) - set(KINDS)
    if unknown:
        parser.error(f"unknown kinds {sorted(unknown)}")
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    DATABASE_PREFIX[0] = args.database_prefix
    if args.phase == "export":
        print(json.dumps(export_phase(args)))
        return
    report(run_all(args), args, table=table, compare=compare)


if __name__ == "__main__":
    main()
