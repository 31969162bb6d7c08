"""Farmland under threat: reading uploaded polygons (GeoJSON, KML, GeoPackage, zipped shapefile) with pyogrio (GDAL),
writing them as places of the farmland-under-threat category, and the per-commune totals."""

import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pyogrio
import shapely
from django.db import transaction
from pyproj import CRS, Geod, Transformer

from foodcommons.collaboration import services as collaboration
from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.places.domain.query import PlaceQuery
from foodcommons.places.selectors import matching_places
from foodcommons.relations.domain.land import OutlineError, commune_totals, outline_problem, parse_outline
from foodcommons.taxonomy.selectors import attribute_specs_for
from foodcommons.territories.selectors import commune_index

CATEGORY = "farmland-under-threat"
FORMATS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".kml": "KML", ".gpkg": "GeoPackage", ".zip": "zipped shapefile"}
MAX_BYTES = 20 * 1024 * 1024
MAX_FEATURES = 500
NAME_FIELDS = ("name", "nom", "naam", "Name", "NAME", "NOM", "NAAM", "title", "titre")
WGS84 = CRS.from_epsg(4326)
GEOD = Geod(ellps="WGS84")


def _refuse(reason: str) -> InvalidInput:
    return InvalidInput([FieldError("file", reason)])


def _dataset(folder: Path, filename: str, content: bytes) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in FORMATS:
        raise _refuse(f"unknown file type '{suffix or filename}': send GeoJSON, KML, a GeoPackage or a zipped shapefile")
    path = folder / f"upload{suffix}"
    path.write_bytes(content)
    if suffix != ".zip":
        return str(path)
    try:
        shapefiles = [n for n in zipfile.ZipFile(path).namelist() if n.lower().endswith(".shp")]
    except zipfile.BadZipFile:
        raise _refuse("the zip file cannot be opened") from None
    if not shapefiles:
        raise _refuse("the zip file holds no shapefile (.shp with its .shx and .dbf)")
    return f"/vsizip/{path}/{shapefiles[0]}"


def _to_wgs84(geometry, crs_text: str | None):
    crs = CRS.from_user_input(crs_text) if crs_text else WGS84
    if crs.equals(WGS84, ignore_axis_order=True):
        return geometry
    transformer = Transformer.from_crs(crs, WGS84, always_xy=True)
    return shapely.transform(geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


def _layer_polygons(dataset: str, layer) -> list[tuple[str, object]]:
    meta, _fids, geometries, values = pyogrio.raw.read(dataset, layer=layer)
    fields = list(meta["fields"])
    found = []
    for index, wkb in enumerate(geometries):
        if wkb is None:
            continue
        geometry = _to_wgs84(shapely.from_wkb(wkb), meta.get("crs"))
        geometry = shapely.force_2d(geometry)
        if geometry.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        name = next((str(values[fields.index(f)][index]) for f in NAME_FIELDS if f in fields and values[fields.index(f)][index]), "")
        found.append((name, geometry))
    return found


def read_polygons(filename: str, content: bytes) -> list[tuple[str, object]]:
    """Return (name, shapely polygon in WGS 84) of every polygon of an uploaded file, or raise InvalidInput saying why not."""
    if not content:
        raise _refuse("the file is empty")
    if len(content) > MAX_BYTES:
        raise _refuse(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    with tempfile.TemporaryDirectory() as folder:
        dataset = _dataset(Path(folder), filename, content)
        try:
            layers = [name for name, _kind in pyogrio.list_layers(dataset)]
            polygons = [p for layer in layers for p in _layer_polygons(dataset, layer)]
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, pyogrio.errors.FieldError, ValueError) as error:
            raise _refuse(f"the file cannot be read as {FORMATS[Path(filename).suffix.lower()]}: {str(error).splitlines()[0][:200]}") from None
    if not polygons:
        raise _refuse("the file holds no polygon: draw or export the fields as polygons")
    if len(polygons) > MAX_FEATURES:
        raise _refuse(f"the file holds more than {MAX_FEATURES} polygons: send it in parts")
    return polygons


def surface_ha(geometry) -> float:
    """Return the geodesic surface of a WGS 84 polygon in hectares."""
    return round(abs(GEOD.geometry_area_perimeter(geometry)[0]) / 10000, 2)


def place_data(name: str, geometry, *, threat: str, stages: list, index: int, reference_link: str = "") -> dict:
    """Return the place input of one threatened field."""
    attributes = {"surface_ha": surface_ha(geometry), "threat": threat, **({"land_stages": stages} if stages else {}),
                  **({"reference_link": reference_link} if reference_link else {})}
    label = name or f"Terre agricole menacée {index}"
    return {"name": {"fr": label}, "categories": [CATEGORY], "geometry": shapely.geometry.mapping(geometry), "attributes": attributes}


@transaction.atomic
def import_land(*, filename: str, content: bytes, threat: str, stages: list | None = None, reference_link: str = "",
                author=None, email: str = "", comment: str = "") -> list:
    """Write every polygon of a file as a threatened field (published for editors, else suggested); all or nothing."""
    polygons = read_polygons(filename, content)
    outcomes = []
    for index, (name, geometry) in enumerate(polygons, start=1):
        data = place_data(name, geometry, threat=threat, stages=stages or [], index=index, reference_link=reference_link)
        try:
            outcomes.append(collaboration.create_or_suggest(data=data, author=author, email=email, comment=comment or f"Uploaded from {filename}"))
        except InvalidInput as problem:
            raise InvalidInput([FieldError(f"file[{index}].{e.field}", e.reason) for e in problem.errors]) from None
    return outcomes


def drawn_outline(text: str) -> shapely.Polygon:
    """Return the polygon of an outline drawn on the map or typed, or raise OutlineError saying why it cannot be a field."""
    corners = parse_outline(text)
    polygon = shapely.Polygon(corners)
    index = commune_index()
    in_belgium = all(index.near(lon, lat, degrees=0.005) for lon, lat in corners)
    problem = outline_problem(simple=polygon.is_valid, surface_ha=surface_ha(polygon) if polygon.is_valid else 0.0, in_belgium=in_belgium)
    if problem:
        raise OutlineError(problem)
    return shapely.geometry.polygon.orient(polygon)


def draw_field(*, outline: str, name: str, language: str, threat: str, stages: list, permit_reference: str = "",
               reference_link: str = "", followed_by: str = "", author=None, comment: str = ""):
    """Write one field drawn on the map (or typed) as a threatened field: published for editors, else suggested."""
    polygon = drawn_outline(outline)
    data = place_data(name, polygon, threat=threat, stages=stages, index=1, reference_link=reference_link)
    if name:
        data["name"] = {language: name}
    extra = {"permit_reference": permit_reference.strip(), "followed_by": followed_by.strip()}
    data["attributes"].update({k: v for k, v in extra.items() if v})
    return collaboration.create_or_suggest(data=data, author=author, language=language, comment=comment or "Drawn on the map")


LIST_LIMIT = 500


def threatened_fields():
    """Return the live fields under threat, the last changed first."""
    return matching_places(PlaceQuery(filters=(("category", (CATEGORY,)),))).order_by("-updated_at", "pk")


def threat_choices(language: str) -> list[tuple[str, str]]:
    """Return the threats a field may be under, labelled in `language`."""
    spec = attribute_specs_for([CATEGORY]).get("threat")
    return [(c, spec.choice_label(c, language)) for c in spec.choices] if spec else []


def land_totals() -> list[dict]:
    """Return the threatened fields per commune: how many and their surface."""
    places = matching_places(PlaceQuery(filters=(("category", (CATEGORY,)),)))
    return commune_totals((commune, (attributes or {}).get("surface_ha")) for commune, attributes in places.values_list("commune_id", "attributes"))
