"""Writes of territories: loading the Belgian NIS hierarchy with its boundaries."""

import json
from importlib import resources

import shapely
from django.db import transaction
from shapely.geometry import mapping, shape

from foodcommons.territories import selectors, topojson
from foodcommons.territories.models import Territory

REGION_NAMES_EN = {
    "02000": "Flemish Region",
    "03000": "Walloon Region",
    "04000": "Brussels-Capital Region",
}
# The topology spells it "Région Walonne"; Statbel's name has two l.
REGION_NAMES_FR = {"03000": "Région wallonne", "02000": "Région flamande"}
PROVINCE_CODES = {"10000", "20001", "20002", "30000", "40000", "50000", "60000", "70000", "80000", "90000"}


def _bbox(geometry: dict) -> dict:
    west, south, east, north = shape(geometry).bounds
    return {"min_lon": west, "min_lat": south, "max_lon": east, "max_lat": north}


def _valid(geometry: dict) -> dict:
    """Return the geometry repaired where its rings cross (a few communes' do), as (Multi)Polygon."""
    repaired = shapely.make_valid(shape(geometry))
    if repaired.geom_type == "GeometryCollection":
        repaired = shapely.union_all([g for g in repaired.geoms if g.geom_type in ("Polygon", "MultiPolygon")])
    return mapping(repaired)


def _read_topology() -> dict:
    with resources.files("foodcommons.territories").joinpath("data/belgium.json").open("rb") as f:
        return json.load(f)


def _collect(topology: dict) -> dict[str, dict]:
    """Gather every territory of the topology as field dicts keyed by NIS code."""
    rows: dict[str, dict] = {}
    for props, geometry in topojson.features(topology, "municipalities"):
        region = props["reg_nis"]
        rows.setdefault(region, {"level": "region", "name_fr": props["reg_fr"], "name_nl": props["reg_nl"], "parent": None, "parts": []})
        rows[region]["parts"].append(geometry)
        arrondissement = props["arr_nis"]
        province = props.get("prov_nis")
        if province:
            rows.setdefault(province, {"level": "province", "name_fr": props["prov_fr"], "name_nl": props["prov_nl"], "parent": region})
        rows.setdefault(arrondissement, {"level": "arrondissement", "name_fr": props["arr_fr"], "name_nl": props["arr_nl"], "parent": province or region})
        rows[props["nis"]] = {
            "level": "commune",
            "name_fr": props["name_fr"],
            "name_nl": props["name_nl"],
            "parent": arrondissement,
            "population": props.get("population"),
            "geometry": _valid(geometry),
        }
    for object_name in ("provinces", "arrondissements"):
        for props, geometry in topojson.features(topology, object_name):
            if props.get("nis") in rows:
                rows[props["nis"]]["geometry"] = _valid(geometry)
            elif object_name == "arrondissements":
                # La Louvière (58000, 2019) has a boundary but its communes still name their older arrondissements.
                rows[props["nis"]] = {
                    "level": "arrondissement", "name_fr": props["name_fr"], "name_nl": props["name_nl"],
                    "parent": _province_containing(geometry, rows) or props["reg_nis"], "geometry": _valid(geometry),
                }
    for code, row in rows.items():
        if row["level"] == "region":
            row["geometry"] = mapping(shapely.union_all([shape(_valid(g)) for g in row.pop("parts")]))
            row["name_en"] = REGION_NAMES_EN.get(code, "")
            row["name_fr"] = REGION_NAMES_FR.get(code, row["name_fr"])
    return rows


def _province_containing(geometry: dict, rows: dict[str, dict]) -> str | None:
    point = shape(_valid(geometry)).representative_point()
    for code, row in rows.items():
        if row["level"] == "province" and row.get("geometry") and shape(row["geometry"]).contains(point):
            return code
    return None


def _population_of(code: str, rows: dict[str, dict]) -> int:
    row = rows[code]
    if row["level"] == "commune":
        return row.get("population") or 0
    return sum(_population_of(c, rows) for c, r in rows.items() if r["parent"] == code)


@transaction.atomic
def load_territories() -> int:
    """Create or update every Belgian territory from the bundled topology; return how many."""
    rows = _collect(_read_topology())
    order = {"region": 0, "province": 1, "arrondissement": 2, "commune": 3}
    for code in sorted(rows, key=lambda c: (order[rows[c]["level"]], c)):
        row = dict(rows[code])
        geometry = row.get("geometry")
        row["population"] = _population_of(code, rows)
        Territory.objects.update_or_create(
            code=code,
            defaults={
                "level": row["level"],
                "name_fr": row["name_fr"],
                "name_nl": row["name_nl"],
                "name_en": row.get("name_en", ""),
                "parent_id": row["parent"],
                "population": row["population"],
                "geometry": geometry,
                **(_bbox(geometry) if geometry else {}),
            },
        )
    selectors.forget_cached_index()
    return len(rows)
