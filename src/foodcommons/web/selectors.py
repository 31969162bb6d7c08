"""Reads for the web pages: the map view, the directory and the place page."""

import datetime
import math
from functools import lru_cache

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from opening_hours import OpeningHours, ParserError

from foodcommons.core.text import fold
from foodcommons.core.versions import shared_cache
from foodcommons.imports.models import Source
from foodcommons.places.domain.privacy import published_contacts
from foodcommons.places.domain.query import PlaceQuery
from foodcommons.places.models import Place
from foodcommons.places.selectors import matching_places
from foodcommons.relations.domain.foodaid import closed_on
from foodcommons.taxonomy.selectors import category_tree
from foodcommons.territories import selectors as territories
from foodcommons.territories.models import Territory
from foodcommons.web.aggregates import UNCATEGORISED, published_places
from foodcommons.web.domain.grid import Cluster, cell_range, cluster_points, level_for_zoom
from foodcommons.web.domain.mapquery import BELGIUM_BBOX, MapQuery
from foodcommons.web.models import MapCell, MapPoint

# Filters the aggregates cannot answer cluster at most this many matching places (the rest is counted only).
FILTERED_CAP = 100_000
METRES_PER_DEGREE = 111_320


def _raw_limit() -> int:
    """Below this many places in view, the map shows each place rather than clusters."""
    return settings.FOODCOMMONS_MAP_RAW_LIMIT


def home_figures() -> dict:
    """Return the counts and sources shown on the front page."""
    return {
        "place_count": Place.objects.filter(deleted_at__isnull=True).count(),
        "category_count": len(category_tree().nodes),
        "commune_count": Territory.objects.filter(level=Territory.Level.COMMUNE).count(),
        "sources": Source.objects.order_by("name"),
    }


def legend(language: str) -> list[dict]:
    """Return the top-level categories with their label and colour, in tree order."""
    tree = category_tree()
    return [
        {"slug": s, "label": _label(tree.nodes[s].labels, language, s), "color": tree.color(s)}
        for s in tree.children.get(None, [])
    ]


def _label(labels: dict, language: str, default: str) -> str:
    return labels.get(language) or labels.get("fr") or labels.get("en") or default


def category_options(language: str) -> list[dict]:
    """Return every category as (slug, label, depth) in tree order, for a filter."""
    tree = category_tree()
    options = []
    for root in tree.children.get(None, []):
        options.append({"slug": root, "label": _label(tree.nodes[root].labels, language, root), "depth": 0})
        for child in tree.children.get(root, []):
            options.append({"slug": child, "label": _label(tree.nodes[child].labels, language, child), "depth": 1})
    return options


def filterable_attributes(language: str) -> list[dict]:
    """Return the boolean and choice attributes a visitor can filter on."""
    tree = category_tree()
    found: dict[str, dict] = {}
    for specs in tree.specs.values():
        for spec in specs:
            if spec.type == "boolean" and spec.key not in found:
                label = _label(spec.labels or {}, language, spec.key)
                found[spec.key] = {"key": spec.key, "label": label, "yes": f"{spec.key}:true", "no": f"{spec.key}:false"}
    return sorted(found.values(), key=lambda a: a["label"])


def filtered_places(query: MapQuery, *, within_bbox: bool = True) -> QuerySet:
    """Return the published places matching the filters of a map view (and its viewport)."""
    return matching_places(query.in_viewport() if within_bbox else query.places, base=published_places())


@lru_cache(maxsize=4096)
def _hours(value: str) -> OpeningHours | None:
    try:
        return OpeningHours(value, timezone=None)
    except (ParserError, SyntaxError, ValueError):
        return None


def open_at(value: str, moment: datetime.datetime) -> bool:
    """Tell whether hours written `value` are open at `moment` (unknown counts as not open)."""
    hours = _hours(value) if value else None
    local = timezone.localtime(moment).replace(tzinfo=None)
    return bool(hours and not hours.is_unknown(local) and hours.is_open(local))


def open_now_at(hours: str, attributes: dict | None, moment: datetime.datetime) -> bool:
    """Tell whether a place is open at `moment`: by its hours, and no dated closure (holidays, no stock) covers that day."""
    if closed_on((attributes or {}).get("temporary_closures"), timezone.localtime(moment).date()):
        return False
    return open_at(hours, moment)


def map_view(query: MapQuery, *, language: str, now: datetime.datetime | None = None) -> dict:
    """Return what the map shows for a view: clusters, or the places themselves when few."""
    if query.aggregates_can_answer(set(category_tree().children.get(None, []))):
        clusters = _stored_clusters(query)
        total = sum(c.count for c in clusters)
        if total > _raw_limit():
            return _answer("aggregate", total, clusters, [], language)
    qs = filtered_places(query).annotate(group=Subquery(MapPoint.objects.filter(place_id=OuterRef("pk")).values("group")[:1]))
    if query.open_now:
        return _open_now_view(qs, query, language, now or timezone.now())
    total = qs.count()
    if total <= _raw_limit():
        return _answer("places", total, [], _place_rows(list(qs), query, language), language)
    rows = qs.values_list("lon", "lat", "group")[:FILTERED_CAP]
    clusters = cluster_points(((lon, lat, g or UNCATEGORISED) for lon, lat, g in rows), level_for_zoom(query.zoom))
    return _answer("filtered", total, clusters, [], language, truncated=total > FILTERED_CAP)


def _open_now_view(qs: QuerySet, query: MapQuery, language: str, now: datetime.datetime) -> dict:
    candidates = qs.exclude(opening_hours="").only("pk", "lon", "lat", "opening_hours", "attributes", "name_fr", "name_nl", "name_en", "public_id")
    open_places = [p for p in candidates[:FILTERED_CAP] if open_now_at(p.opening_hours, p.attributes, now)]
    if len(open_places) <= _raw_limit():
        return _answer("places", len(open_places), [], _place_rows(open_places, query, language), language)
    clusters = cluster_points(((p.lon, p.lat, p.group or UNCATEGORISED) for p in open_places), level_for_zoom(query.zoom))
    return _answer("filtered", len(open_places), clusters, [], language)


def _stored_clusters(query: MapQuery) -> list[Cluster]:
    level = level_for_zoom(query.zoom)
    x0, y0, x1, y1 = cell_range(query.bbox, level)
    cells = MapCell.objects.filter(level=level, x__gte=x0, x__lte=x1, y__gte=y0, y__lte=y1)
    if query.categories:
        cells = cells.filter(group__in=query.categories)
    clusters: dict[tuple[int, int], Cluster] = {}
    for x, y, group, count, sum_lon, sum_lat in cells.values_list("x", "y", "group", "count", "sum_lon", "sum_lat"):
        cluster = clusters.get((x, y)) or clusters.setdefault((x, y), Cluster(x, y))
        cluster.add(group, count, sum_lon, sum_lat)
    return list(clusters.values())


def _place_rows(places: list[Place], query: MapQuery, language: str) -> list[dict]:
    tree = category_tree()
    rows = []
    for place in places:
        group = getattr(place, "group", None) or UNCATEGORISED
        row = {
            "id": place.public_id,
            "name": place.display_name(language),
            "lon": place.lon,
            "lat": place.lat,
            "group": group,
            "color": tree.color(group) if group in tree.nodes else "#666666",
        }
        if query.near:
            row["distance_m"] = round(_distance(query.near, (place.lon, place.lat)))
        rows.append(row)
    key = (lambda r: r["distance_m"]) if query.near else (lambda r: r["name"].casefold())
    return sorted(rows, key=key)


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    squeeze = math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot((a[0] - b[0]) * squeeze, a[1] - b[1]) * METRES_PER_DEGREE


def _answer(mode: str, total: int, clusters: list[Cluster], places: list[dict], language: str, truncated: bool = False) -> dict:
    tree = category_tree()
    colors = {slug: tree.color(slug) for slug in tree.children.get(None, [])}
    return {
        "mode": mode,
        "total": total,
        "truncated": truncated,
        "clusters": [c.as_dict() for c in sorted(clusters, key=lambda c: -c.count)],
        "places": places,
        "colors": colors,
    }


def place_page(public_id: str, *, language: str) -> dict:
    """Return what the place page shows, every text in `language` with a fallback."""
    from foodcommons.collaboration.domain.text import render_markdown
    from foodcommons.places.selectors import get_place
    from foodcommons.taxonomy.selectors import attribute_specs_for
    from foodcommons.territories.streets import street_name
    from foodcommons.web import place_words
    from foodcommons.web.domain.hours_text import describe_hours

    place = get_place(public_id)
    tree = category_tree()
    specs = attribute_specs_for(place.category_slugs)
    commune = territories.info(place.commune_id) if place.commune_id else None
    commune_name = _label(commune.names, language, commune.code) if commune else ""
    categories = [
        {"slug": s, "label": _label(tree.nodes[s].labels, language, s), "color": tree.color(s)}
        for s in place.category_slugs if s in tree.nodes
    ]
    in_brussels = bool(place.commune_id and place.commune_id.startswith("21")) or place.postcode[:2] in {"10", "11", "12"}
    # A locality written as the commune's name in another language is named in the page's language.
    locality = place.locality
    if commune and fold(locality) in {fold(n) for n in commune.names.values() if n}:
        locality = commune_name
    description = _in_language(place, "description", language)
    return {
        "place": place,
        "name": place.display_name(language),
        "summary": place_words.summary([c["label"] for c in categories], commune_name),
        "description": description,
        "description_html": render_markdown(description) if description else "",
        "categories": categories,
        "commune": commune_name,
        "street": street_name(place.street, language) if in_brussels else place.street,
        "locality": locality or commune_name,
        "hours_lines": describe_hours(place.opening_hours, language),
        "hours_now": _hours_now(place, language) if place.status == Place.Status.ACTIVE else None,
        "contacts": place_words.contact_rows(published_contacts(place.contacts)),
        "access": place_words.access_sentences(place.attributes or {}, specs, language),
        "sources": [r.source for r in place.records],
        "revision_count": place.version,
    }


def _hours_now(place: Place, language: str) -> dict | None:
    """The "open now" line of a place page: a dated closure today says closed, and until when, before the hours speak."""
    from foodcommons.web import place_words

    closure = place_words.closure_today((place.attributes or {}).get("temporary_closures"), language)
    return closure or place_words.open_now(place.opening_hours, language)


def _in_language(place: Place, field: str, language: str) -> str:
    for lang in (language[:2], "fr", "nl", "en"):
        if value := getattr(place, f"{field}_{lang}", ""):
            return value
    return ""


DIRECTORY_PAGE_SIZE = 50


def directory_territories(code: str | None, *, language: str) -> dict:
    """Return a territory (or Belgium) with its children, for the directory's navigation."""
    if code and not territories.territory_exists(code):
        from foodcommons.core.problems import NotFound

        raise NotFound(f"No territory has the NIS code '{code}'.")
    children = territories.list_territories(parent=code) if code else territories.list_territories(level=Territory.Level.REGION)
    current = territories.info(code) if code else None
    trail = [territories.info(c) for c in reversed(territories.ancestors_of(code))] if code else []
    name = lambda t: _label(t.names, language, t.code)  # noqa: E731
    return {
        "territory": {"code": code, "name": name(current)} if current else None,
        "trail": [{"code": t.code, "name": name(t)} for t in trail],
        "children": [{"code": t.code, "name": t.name(language)} for t in children],
    }


def directory_places(query: MapQuery, *, now: datetime.datetime | None = None) -> QuerySet | list[Place]:
    """Return the published places of a directory page, by name; with "open now", those open at this moment."""
    places = filtered_places(query, within_bbox=False).order_by("name_fr", "name_nl", "pk")
    if not query.open_now:
        return places
    moment = now or timezone.now()
    return [p for p in places.exclude(opening_hours="")[:FILTERED_CAP] if open_now_at(p.opening_hours, p.attributes, moment)]


@shared_cache("territories")
def boundaries_geojson() -> dict:
    """Return the provinces (and Brussels) as simplified GeoJSON: the map's fallback when tiles fail."""
    from shapely.geometry import mapping, shape

    features = []
    levels = (Territory.Level.PROVINCE, Territory.Level.REGION)
    for code, level, geometry in Territory.objects.filter(level__in=levels).values_list("code", "level", "geometry"):
        is_brussels = level == Territory.Level.REGION and not Territory.objects.filter(parent_id=code, level=Territory.Level.PROVINCE).exists()
        if geometry and (level == Territory.Level.PROVINCE or is_brussels):
            simple = shape(geometry).simplify(0.004, preserve_topology=True)
            features.append({"type": "Feature", "properties": {"code": code}, "geometry": _rounded(mapping(simple))})
    return {"type": "FeatureCollection", "features": features}


def _rounded(geometry: dict) -> dict:
    def walk(value):
        if isinstance(value, (list, tuple)):
            return [walk(v) for v in value] if not isinstance(value[0], float) else [round(v, 4) for v in value]
        return value

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def locate(text: str) -> dict | None:
    """Return the centre of a commune named `text`, or of the places with postcode `text`."""
    from django.db.models import Avg

    text = text.strip()
    if text.isdigit() and len(text) == 4:
        centre = published_places().filter(postcode=text).aggregate(lon=Avg("lon"), lat=Avg("lat"))
        return centre if centre["lon"] is not None else None
    names = Q(name_fr__iexact=text) | Q(name_nl__iexact=text) | Q(name_en__iexact=text)
    commune = Territory.objects.filter(names, level=Territory.Level.COMMUNE, min_lon__isnull=False).first()
    if commune is None:
        starts = Q(name_fr__istartswith=text) | Q(name_nl__istartswith=text)
        commune = Territory.objects.filter(starts, level=Territory.Level.COMMUNE, min_lon__isnull=False).order_by("code").first()
    if commune is None:
        return None
    return {"lon": (commune.min_lon + commune.max_lon) / 2, "lat": (commune.min_lat + commune.max_lat) / 2}


def territory_bounds(code: str) -> list[list[float]] | None:
    """Return [[south, west], [north, east]] of a territory, to open the map on it."""
    row = Territory.objects.filter(code=code, min_lon__isnull=False).values_list("min_lat", "min_lon", "max_lat", "max_lon").first()
    return [[row[0], row[1]], [row[2], row[3]]] if row else None


def territory_options(language: str) -> list[dict]:
    """Return regions with their provinces beneath, for the territory filter."""
    options = []
    for region in territories.list_territories(level=Territory.Level.REGION):
        options.append({"code": region.code, "name": region.name(language), "depth": 0})
        for province in territories.list_territories(level=Territory.Level.PROVINCE, parent=region.code):
            options.append({"code": province.code, "name": province.name(language), "depth": 1})
    return options


# Counts of the empty-results help stop here: "more than" is all a person needs past it.
HELP_CAP = 1000


def _count_open(qs: QuerySet, now: datetime.datetime) -> int:
    with_hours = qs.exclude(opening_hours="").values_list("opening_hours", "attributes")[:HELP_CAP * 5]
    return min(HELP_CAP, sum(1 for hours, attributes in with_hours if open_now_at(hours, attributes, now)))


def empty_help(query: MapQuery, *, within_bbox: bool = True, now: datetime.datetime | None = None) -> dict:
    """Tell, for a view with no place, how many places each filter removes (the count without it) and what all of Belgium holds.

    Each count stops at HELP_CAP; `capped` says so. Empty categories (no published place at all) are listed apart.
    """
    now = now or timezone.now()
    base = published_places()
    places = query.in_viewport() if within_bbox else query.places

    def count(place_query, open_now: bool) -> int:
        qs = matching_places(place_query, base=base)
        return _count_open(qs, now) if open_now else qs.order_by()[:HELP_CAP].count()

    drops = []
    for name, _value in places.filters:
        if name != "bbox":
            drops.append({"filter": name, "remaining": count(places.with_filters(**{name: None}), query.open_now)})
    if query.open_now:
        without = matching_places(places, base=base)
        drops.append({
            "filter": "open",
            "remaining": without.order_by()[:HELP_CAP].count(),
            "without_hours": without.filter(opening_hours="").order_by()[:HELP_CAP].count(),
        })
    everywhere = query.places.with_filters(territory=None, bbox=None)
    whole_view = query.bbox[0] <= BELGIUM_BBOX[0] and query.bbox[1] <= BELGIUM_BBOX[1] and query.bbox[2] >= BELGIUM_BBOX[2] and query.bbox[3] >= BELGIUM_BBOX[3]
    wider = query.territory or (within_bbox and not whole_view)
    belgium = count(everywhere, query.open_now) if wider else None
    tree = category_tree()
    empty_categories = [
        slug for slug in query.categories
        if slug in tree.nodes and not matching_places(PlaceQuery(filters=(("category", (slug,)),)), base=base).exists()
    ]
    return {"drops": drops, "belgium": belgium, "empty_categories": empty_categories, "cap": HELP_CAP}


LICENCE_URLS = {
    "ODbL-1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "etalab-2.0": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "GPL-3.0-or-later": "https://www.gnu.org/licenses/gpl-3.0.html",
    "GPL-3.0": "https://www.gnu.org/licenses/gpl-3.0.html",
    "AGPL-3.0": "https://www.gnu.org/licenses/agpl-3.0.html",
    "MIT": "https://opensource.org/license/mit",
}


def open_data_licences() -> dict:
    """Return the licences of the data: each source with its licence, attribution and place count, and the places of no source."""
    from django.db.models import Count

    from foodcommons.imports.models import SourceRecord

    live = SourceRecord.objects.filter(place__isnull=False, place__deleted_at__isnull=True)
    counts = dict(live.values("source_id").annotate(n=Count("place_id", distinct=True)).values_list("source_id", "n"))
    sourced = live.values("place_id").distinct().count()
    total = Place.objects.filter(deleted_at__isnull=True).count()
    sources = [
        {"name": s.name, "licence": s.licence, "licence_url": LICENCE_URLS.get(s.licence, ""), "attribution": s.attribution,
         "url": s.url, "places": counts.get(s.pk, 0)}
        for s in Source.objects.order_by("name")
    ]
    return {
        "default_licence": settings.FOODCOMMONS_DEFAULT_LICENCE,
        "default_licence_url": LICENCE_URLS.get(settings.FOODCOMMONS_DEFAULT_LICENCE, ""),
        "total": total,
        "own_places": max(total - sourced, 0),
        "sources": [s for s in sources if s["places"]],
    }
