"""Reads of places as OGC features: collections, filtered pages and single items."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from pygeofilter import ast
from shapely.geometry import Point, box, shape

from foodcommons.core.problems import FieldError, InvalidInput, NotFound
from foodcommons.opendata.ogc import cql2, documents
from foodcommons.opendata.ogc.paging import ItemsRequest, parse_datetime
from foodcommons.opendata.ogc.queryables import QUERYABLES
from foodcommons.places import public_json, search_index, selectors
from foodcommons.places.domain.fields import place_fields
from foodcommons.places.filters import in_categories, in_territory
from foodcommons.places.models import Place
from foodcommons.places.representations import collection_attribution, collection_licences, place_json
from foodcommons.taxonomy.selectors import category_tree


@dataclass
class FeaturePage:
    """A page of features, the number matched when known without counting, and the last id when a next page exists."""

    features: list[dict]
    matched: int | None
    last_id: int | None
    attribution: list[str]
    licences: list[str]


def collection_ids() -> list[str]:
    """Return the identifiers of the collections: all places, then one per top-level category."""
    return [documents.ALL_PLACES, *category_tree().children.get(None, [])]


def collection_document(root: str, collection_id: str) -> dict:
    """Return the description of a collection, or raise NotFound."""
    if collection_id not in collection_ids():
        raise NotFound(f"No collection '{collection_id}'.")
    licence = settings.FOODCOMMONS_DEFAULT_LICENCE
    if collection_id == documents.ALL_PLACES:
        return documents.collection(root, id_=collection_id, title="All places", description="Every place of the commons", licence=licence)
    labels = category_tree().nodes[collection_id].labels
    title = labels.get("en") or labels.get("fr") or collection_id
    return documents.collection(root, id_=collection_id, title=title, description=f"Places of the category {title} and its subcategories", licence=licence)


def intersecting(geometry) -> Q:
    """Return the condition 'the point or area of the place intersects `geometry`' (index first, then exact)."""
    rows = (
        Place.objects.filter(deleted_at__isnull=True)
        .filter(search_index.dialect().bbox_filter(*geometry.bounds))
        .values_list("pk", "geometry_type", "lon", "lat", "shape")
    )
    exact = geometry.equals(box(*geometry.bounds))
    ids = [
        pk for pk, kind, lon, lat, coordinates in rows
        if (exact and kind == "Point") or geometry.intersects(Point(lon, lat) if kind == "Point" else shape({"type": kind, "coordinates": coordinates}))
    ]
    return Q(pk__in=ids)


def property_condition(translator: cql2.Translator, name: str, raw: str) -> Q:
    """Return the condition of a `property=value` query parameter (equality)."""
    value: object = raw
    choices = QUERYABLES[name].schema.get("enum")
    if choices and raw not in choices:
        raise InvalidInput([FieldError(name, f"expected one of {', '.join(choices)}")])
    if QUERYABLES[name].schema["type"] == "integer":
        if not re.fullmatch(r"-?[0-9]+", raw):
            raise InvalidInput([FieldError(name, "expected an integer")])
        value = int(raw)
    elif QUERYABLES[name].schema.get("format") == "date-time":
        since, until = parse_datetime(raw)
        field = QUERYABLES[name].columns[0]
        return Q(**{f"{field}__gte": since}) & Q(**{f"{field}__lte": until})
    return translator.to_q(ast.Equal(ast.Attribute(name), value))


def _matching(collection_id: str, request: ItemsRequest) -> QuerySet:
    if collection_id not in collection_ids():
        raise NotFound(f"No collection '{collection_id}'.")
    where = in_categories([collection_id]) if collection_id != documents.ALL_PLACES else None
    # bbox, datetime, category, status and territory: the filters of every query of places, with their meaning there.
    qs = selectors.matching_places(request.places, where=where)
    # Categories and territories inside the filter are compiled as the parameters compile them (with the bbox of the query).
    translator = cql2.Translator(
        in_categories=lambda slugs: in_categories(slugs, request.places), intersecting=intersecting,
        in_territory=lambda code: in_territory(code, request.places),
    )
    for name, raw in request.equals:
        qs = qs.filter(property_condition(translator, name, raw))
    if request.filter is not None:
        qs = qs.filter(translator.to_q(request.filter))
    return qs


def property_names() -> set[str]:
    """Return the names `properties=` may select: the properties of a feature."""
    return ({f.name for f in place_fields()} | {"url"}) - {"id", "geometry"}


def check_properties(names: tuple[str, ...] | None) -> None:
    """Refuse a `properties=` list that names what no feature has."""
    unknown = sorted(set(names or ()) - property_names())
    if unknown:
        raise InvalidInput([FieldError("properties", f"unknown property '{name}'") for name in unknown])


def as_feature(state: dict, *, base_url: str, properties: tuple[str, ...] | None = None, skip_geometry: bool = False) -> dict:
    """Return the GeoJSON feature of a place's API representation (only some properties, without geometry if asked)."""
    # The state becomes the properties as it is (no copy): only the id and the geometry move out.
    feature_id, geometry = state.pop("id"), state.pop("geometry")
    if properties is not None:
        state = {name: state[name] for name in properties if name in state}
    # The link written out (as documents.link makes it): a call per feature of a page of 500 shows in its time.
    link = {"href": f"{base_url}/api/places/{feature_id}", "rel": "alternate", "type": "application/json", "title": "The place in the JSON API"}
    return {"type": "Feature", "id": feature_id, "geometry": None if skip_geometry else geometry, "properties": state, "links": [link]}


def feature_of(place: Place, *, base_url: str) -> dict:
    """Return the GeoJSON feature of a loaded place, with its OGC links."""
    return as_feature(place_json(place, base_url=base_url), base_url=base_url)


def items_page(collection_id: str, request: ItemsRequest, *, base_url: str) -> FeaturePage:
    """Return one page of the features of a collection that match the request."""
    check_properties(request.properties)
    qs = _matching(collection_id, request).order_by("pk")
    # Keyset paging: a cursor page starts after the last id of the previous one (an index range, never OFFSET).
    if request.after is not None:
        rows = list(qs.filter(pk__gt=request.after).values_list("pk", flat=True)[: request.limit + 1])
    else:
        rows = list(qs.values_list("pk", flat=True)[request.offset : request.offset + request.limit + 1])
    more = len(rows) > request.limit
    ids = rows[: request.limit]
    # No count on every page (OGC lets numberMatched be omitted): it is given only when this page shows it,
    # a last page reached without a cursor (offset + what it holds).
    matched = request.offset + len(ids) if not more and request.after is None and (ids or not request.offset) else None
    # The places' published bodies, decoded (those without a current one are built afresh, relations in three queries).
    states = public_json.visitor_states(ids, base_url=base_url)
    attribution, licences = collection_attribution(states), collection_licences(states)
    found = [as_feature(s, base_url=base_url, properties=request.properties, skip_geometry=request.skip_geometry) for s in states]
    return FeaturePage(found, matched, ids[-1] if more else None, attribution, licences)


def single_item(collection_id: str, feature_id: str, *, base_url: str) -> dict:
    """Return one feature of a collection, or raise NotFound."""
    if collection_id not in collection_ids():
        raise NotFound(f"No collection '{collection_id}'.")
    place = selectors.get_place(feature_id, include_deleted=False)
    if collection_id != documents.ALL_PLACES and not Place.objects.filter(in_categories([collection_id]), pk=place.pk).exists():
        raise NotFound(f"The place '{feature_id}' is not in the collection '{collection_id}'.")
    return feature_of(place, base_url=base_url)
