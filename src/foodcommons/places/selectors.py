"""Reads of places: search with indexes, keyset pagination, and loading for display."""

import math
from dataclasses import dataclass, field

from django.db.models import ExpressionWrapper, F, FloatField, Q, QuerySet

from foodcommons.core.problems import FieldError, InvalidInput, NotFound
from foodcommons.imports.models import SourceRecord
from foodcommons.places import search_index
from foodcommons.places.domain.query import PlaceQuery, encode_cursor
from foodcommons.places.models import Place, PlaceAreaServed, PlaceCategory, PlaceRevision
from foodcommons.taxonomy.selectors import category_tree, expand_categories
from foodcommons.territories import selectors as territories

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


def _filtered(query: PlaceQuery, where: Q | None = None) -> QuerySet:
    qs = Place.objects.filter(deleted_at__isnull=True)
    if where is not None:
        qs = qs.filter(where)
    index = search_index.dialect()
    if query.bbox:
        qs = qs.filter(index.bbox_filter(*query.bbox))
    if query.text and (tokens := search_index.query_tokens(query.text)):
        qs = qs.filter(index.text_filter(tokens))
    if query.categories:
        unknown = [c for c in query.categories if c not in category_tree().nodes]
        if unknown:
            raise InvalidInput([FieldError("category", f"unknown category '{c}'") for c in unknown])
        ids = expand_categories(list(query.categories))
        qs = qs.filter(pk__in=PlaceCategory.objects.filter(category_id__in=ids).values("place_id"))
    if query.territory:
        qs = qs.filter(_territory_condition(query.territory))
    if query.statuses:
        qs = qs.filter(status__in=query.statuses)
    if query.sources:
        qs = qs.filter(pk__in=SourceRecord.objects.filter(source__slug__in=query.sources).values("place_id"))
    return qs


def _territory_condition(code: str) -> Q:
    if not territories.territory_exists(code):
        raise InvalidInput([FieldError("territory", f"unknown territory NIS code '{code}'")])
    communes = territories.commune_codes_within(code)
    serving = set(communes) | {code, *territories.ancestors_of(code)}
    # Fetching the (few) serving places first keeps both sides of the OR on an index.
    served = list(PlaceAreaServed.objects.filter(territory_id__in=serving).values_list("place_id", flat=True).distinct())
    return Q(commune_id__in=communes) | Q(pk__in=served) if served else Q(commune_id__in=communes)


def search_places(query: PlaceQuery, *, where: Q | None = None) -> PlacePage:
    """Return one page of the places matching `query` (and `where`, a condition of other areas), with the total count."""
    qs = _filtered(query, where)
    if query.near:
        page = _near_page(qs, query)
    else:
        paged = qs.filter(pk__gt=query.after[0]) if query.after else qs
        rows = list(paged.order_by("pk")[: query.limit + 1])
        more = len(rows) > query.limit
        rows = rows[: query.limit]
        page = PlacePage(rows, 0, encode_cursor("id", (rows[-1].pk,)) if more else None)
    if query.after or page.next_cursor:
        # Counting a million matches costs more than the page itself: count up to the cap only.
        counted = qs.order_by()[: TOTAL_CAP + 1].count()
        page.total, page.total_exact = min(counted, TOTAL_CAP), counted <= TOTAL_CAP
    else:
        page.total = len(page.places)  # a first page that holds every match needs no count
    page.places = with_relations(page.places)
    return page


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
    rows: list[Place] = []
    for radius in [*(r + start for r in NEAR_RADII), None]:
        ring = qs
        if radius is not None:
            half_lon = radius / max(math.sqrt(squeeze), 0.01)
            ring = qs.filter(index.bbox_filter(lon - half_lon, lat - radius, lon + half_lon, lat + radius))
        rows = list(ring.order_by("d2", "pk")[: query.limit + 1])
        if radius is None:
            break
        rows = [r for r in rows if r.d2 <= radius * radius]
        if len(rows) > query.limit:
            break
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    cursor = encode_cursor("near", (rows[-1].d2, rows[-1].pk)) if more else None
    distances = {r.pk: round(math.sqrt(r.d2) * METRES_PER_DEGREE, 1) for r in rows}
    return PlacePage(rows, 0, cursor, distances)


def with_relations(places: list[Place]) -> list[Place]:
    """Attach category slugs, areas served and source records to places in three queries."""
    ids = [p.pk for p in places]
    tree = category_tree()
    slugs_by_id = {n.id: s for s, n in tree.nodes.items()}
    categories: dict[int, list[str]] = {}
    for place_id, category_id in PlaceCategory.objects.filter(place_id__in=ids).order_by("pk").values_list("place_id", "category_id"):
        categories.setdefault(place_id, []).append(slugs_by_id.get(category_id, str(category_id)))
    areas: dict[int, list[str]] = {}
    for place_id, code in PlaceAreaServed.objects.filter(place_id__in=ids).values_list("place_id", "territory_id"):
        areas.setdefault(place_id, []).append(code)
    records: dict[int, list[SourceRecord]] = {}
    for record in SourceRecord.objects.filter(place_id__in=ids).select_related("source"):
        records.setdefault(record.place_id, []).append(record)
    for place in places:
        place.category_slugs = categories.get(place.pk, [])
        place.area_codes = sorted(areas.get(place.pk, []))
        place.records = records.get(place.pk, [])
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
