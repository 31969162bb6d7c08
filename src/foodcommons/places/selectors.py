"""Reads of places: search with indexes, keyset pagination, and loading for display."""

import math
from dataclasses import dataclass, field

from django.db.models import ExpressionWrapper, F, FloatField, Q, QuerySet

from foodcommons.core.problems import NotFound
from foodcommons.places import search_index
from foodcommons.places.domain.query import FILTERS, PlaceQuery, encode_cursor
from foodcommons.places.models import Place, PlaceAreaServed, PlaceCategory, PlaceRevision
from foodcommons.places.relations import attach_relations
from foodcommons.taxonomy.selectors import category_tree

# Half-sizes (degrees of latitude) of the boxes a `near` search widens through before taking all:
# from ~200 m, where a dense city already fills a page, to the whole country.
NEAR_RADII = (0.002, 0.01, 0.05, 0.25, 1.25)
# Totals are counted exactly up to this; past it a search says "more than TOTAL_CAP" instead of counting on.
TOTAL_CAP = 1000
METRES_PER_DEGREE = 111_320


@dataclass
class PlacePage:
    """One page of a search: the places, the total that match, and how to go on."""

    places: list[Place]
    total: int
    next_cursor: str | None
    distances: dict[int, float] = field(default_factory=dict)
    total_exact: bool = True  # False: at least `total` (TOTAL_CAP) places match
    ids: list[int] = field(default_factory=list)  # the places of the page, in order


def matching_places(query: PlaceQuery, *, base: QuerySet | None = None, where: Q | None = None) -> QuerySet:
    """Return the places matching every filter of `query`: the one filter pipeline of every reader of places.

    `base` is where to start (default: the live places; the map: the published ones; feeds: all, deleted
    included); `where` is a further condition of the caller (a collection's category, …).
    """
    qs = Place.objects.filter(deleted_at__isnull=True) if base is None else base
    if where is not None:
        qs = qs.filter(where)
    for name, value in query.filters:
        qs = qs.filter(FILTERS[name].condition(value, query))
    return qs


def search_places(query: PlaceQuery, *, where: Q | None = None) -> PlacePage:
    """Return one page of the places matching `query` (and `where`, a condition of other areas), loaded with their relations."""
    page = search_place_keys(query, where=where)
    page.places = with_relations(places_in_order(page.ids))
    return page


def search_place_keys(query: PlaceQuery, *, where: Q | None = None) -> PlacePage:
    """Return one page of the places matching `query` as their ids in order (no place loaded), with the total count."""
    qs = matching_places(query, where=where)
    if query.near:
        page = _near_page(qs, query)
    else:
        paged = qs.filter(pk__gt=query.after[0]) if query.after else qs
        # A first page reads the ids up to the cap at once: the same rows give the page and its count.
        ahead = query.limit + 1 if query.after else max(query.limit, TOTAL_CAP) + 1
        found = list(paged.order_by("pk").values_list("pk", flat=True)[:ahead])
        ids = found[: query.limit]
        page = PlacePage([], 0, encode_cursor("id", (ids[-1],)) if len(found) > query.limit else None, ids=ids)
        if not query.after:
            page.total, page.total_exact = min(len(found), TOTAL_CAP), len(found) <= TOTAL_CAP
            return page
    if query.after or page.next_cursor:
        # Counting a million matches costs more than the page itself: count up to the cap only.
        counted = qs.order_by()[: TOTAL_CAP + 1].count()
        page.total, page.total_exact = min(counted, TOTAL_CAP), counted <= TOTAL_CAP
    else:
        page.total = len(page.ids)  # a first page that holds every match needs no count
    return page


def places_in_order(ids: list[int]) -> list[Place]:
    """Return the places with these ids, in the order of the ids (one query)."""
    found = Place.objects.in_bulk(ids)
    return [found[i] for i in ids if i in found]


def _near_page(qs: QuerySet, query: PlaceQuery) -> PlacePage:
    lon, lat = query.near
    squeeze = math.cos(math.radians(lat)) ** 2
    distance2 = ExpressionWrapper((F("lon") - lon) * (F("lon") - lon) * squeeze + (F("lat") - lat) * (F("lat") - lat), output_field=FloatField())
    qs = qs.filter(lon__isnull=False).annotate(d2=distance2)
    if query.after:
        d0, id0 = query.after
        qs = qs.filter(Q(d2__gt=d0) | Q(d2=d0, pk__gt=id0))
    index = search_index.dialect()
    start = math.sqrt(query.after[0]) if query.after else 0.0
    rows: list[tuple[int, float]] = []
    for radius in [*(r + start for r in NEAR_RADII), None]:
        ring = qs
        if radius is not None:
            half_lon = radius / max(math.sqrt(squeeze), 0.01)
            ring = qs.filter(index.bbox_filter(lon - half_lon, lat - radius, lon + half_lon, lat + radius))
        rows = list(ring.order_by("d2", "pk").values_list("pk", "d2")[: query.limit + 1])
        if radius is None:
            break
        rows = [r for r in rows if r[1] <= radius * radius]
        if len(rows) > query.limit:
            break
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    cursor = encode_cursor("near", (rows[-1][1], rows[-1][0])) if more else None
    distances = {pk: round(math.sqrt(d2) * METRES_PER_DEGREE, 1) for pk, d2 in rows}
    return PlacePage([], 0, cursor, distances, ids=[pk for pk, _ in rows])


def with_relations(places: list[Place]) -> list[Place]:
    """Attach category slugs, areas served and the registered relations (source records) to places: three queries."""
    attach_relations(with_categories_and_areas(places))
    return places


def with_categories_and_areas(places: list[Place]) -> list[Place]:
    """Attach category slugs and areas served to places (two queries): all a place's state needs."""
    ids = [p.pk for p in places]
    tree = category_tree()
    slugs_by_id = {n.id: s for s, n in tree.nodes.items()}
    categories: dict[int, list[str]] = {}
    for place_id, category_id in PlaceCategory.objects.filter(place_id__in=ids).order_by("pk").values_list("place_id", "category_id"):
        categories.setdefault(place_id, []).append(slugs_by_id.get(category_id, str(category_id)))
    areas: dict[int, list[str]] = {}
    for place_id, code in PlaceAreaServed.objects.filter(place_id__in=ids).values_list("place_id", "territory_id"):
        areas.setdefault(place_id, []).append(code)
    for place in places:
        place.category_slugs = categories.get(place.pk, [])
        place.area_codes = sorted(areas.get(place.pk, []))
    return places


def get_place(public_id: str, *, include_deleted: bool = True) -> Place:
    """Return one place with its relations, or raise NotFound."""
    place = Place.objects.filter(public_id=public_id).first()
    if place is None or (place.is_deleted and not include_deleted):
        raise NotFound(f"No place has the identifier '{public_id}'.")
    return with_relations([place])[0]


def place_revisions(public_id: str) -> list[PlaceRevision]:
    """Return the revisions of a place, oldest first."""
    place = Place.objects.filter(public_id=public_id).only("pk").first()
    if place is None:
        raise NotFound(f"No place has the identifier '{public_id}'.")
    return list(PlaceRevision.objects.filter(place=place).select_related("author").order_by("version"))


def withheld_contacts(place_pks) -> dict[int, frozenset]:
    """Return, for each place, the contacts its current state marks private (hidden from its whole history too)."""
    from foodcommons.places.domain.privacy import private_keys

    rows = Place.objects.filter(pk__in=set(place_pks)).values_list("pk", "contacts")
    return {pk: private_keys(contacts) for pk, contacts in rows}
