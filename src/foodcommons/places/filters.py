"""The filters of places, each one entry: its parameter, its parse rule and its condition.

Imported by PlacesConfig.ready. A filter of another area registers its own entry the same way, in its
AppConfig.ready (imports: `source`, collaboration: `stale`); see docs/architecture.md, "add a filter".
"""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.core.sql import ids_condition
from foodcommons.places import search_index
from foodcommons.places.domain import query as q
from foodcommons.places.domain.query import Filter, PlaceQuery, register_filter
from foodcommons.places.models import PlaceAreaServed, PlaceCategory
from foodcommons.taxonomy.selectors import categories_named, category_tree, expand_categories
from foodcommons.territories import selectors as territories

# A viewport at most this wide (degrees; a 1280-pixel map at zoom 12 is 0.44°) holds few places:
# probing each one's categories beats listing every place of a broad category (a third of a million
# ids for "short chains"), which is right for large views and for no bbox at all.
NARROW_SPAN = 0.6


def in_bbox(bbox, query: PlaceQuery):
    """Places whose point or area's bounding box meets the box."""
    return search_index.dialect().bbox_filter(*bbox)


def has_words(text: str, query: PlaceQuery) -> Q:
    """Places whose names, descriptions or addresses hold every word, or of a category the words name and holding the rest."""
    tokens = search_index.query_tokens(text)
    if not tokens:
        return Q()
    index = search_index.dialect()
    named, rest = categories_named(tokens)
    if not named:
        return Q(index.text_filter(tokens))
    if listed := _words_or_categories_listed(tokens, named, rest, query):
        return listed
    words = Q(index.text_filter(tokens))
    # "aide alimentaire", "voedselhulp", "GASAP Schaerbeek": the categories named, the other words in the text.
    by_category = Q(index.text_filter(rest)) if rest else Q()
    for slugs in named:
        by_category &= _of_categories(expand_categories(sorted(slugs)), query)
    return words | by_category


def _words_or_categories_listed(tokens: list[str], named: list[frozenset[str]], rest: list[str], query: PlaceQuery):
    """Return "holding the words, or of the categories named and holding the rest" as one list of ids, or None.

    An OR of two conditions walks the places (PostgreSQL) or collects and sorts every match (SQLite) to find the
    first page and its capped count; the union of two short id lists, looked up by primary key in id order, stops
    there. Only when both sides are short lists and no box narrows the search (a viewport has its own plan).
    """
    if query.bbox:
        return None
    index = search_index.dialect()
    groups = [ids_condition("category_id", expand_categories(sorted(slugs))) for slugs in named]
    first, first_params = groups[0]
    table = PlaceCategory._meta.db_table
    by_category, params = f"SELECT place_id FROM {table} WHERE {first}", list(first_params)
    if not index.lists_few(by_category, tuple(params)):
        return None
    for condition, group_params in groups[1:]:
        by_category += f" AND place_id IN (SELECT place_id FROM {table} WHERE {condition})"
        params += group_params
    if rest:
        rest_ids = index.text_ids(rest)
        if rest_ids is None:
            return None
        by_category += f" AND place_id IN ({rest_ids[0]})"
        params += rest_ids[1]
    words = index.text_ids(tokens)
    if words is None:
        return None
    # UNION ALL: an id list is a set either way, and the duplicates cost less than sorting them out.
    return index.among_ids(f"{words[0]} UNION ALL {by_category}", (*words[1], *params))


def in_categories(slugs, query: PlaceQuery | None = None):
    """Places of one of these categories or of their subcategories."""
    unknown = [s for s in slugs if s not in category_tree().nodes]
    if unknown:
        raise InvalidInput([FieldError("category", f"unknown category '{s}'") for s in unknown])
    return _of_categories(expand_categories(list(slugs)), query)


def _of_categories(ids: list[int], query: PlaceQuery | None):
    bbox = query.bbox if query else None
    if bbox and bbox[2] - bbox[0] <= NARROW_SPAN:
        return Exists(PlaceCategory.objects.filter(place_id=OuterRef("pk"), category_id__in=ids))
    return Q(pk__in=PlaceCategory.objects.filter(category_id__in=ids).values("place_id"))


def in_territory(code: str, query: PlaceQuery | None = None) -> Q:
    """Places whose commune lies in the territory, or that serve it, a part of it or a territory around it."""
    if not territories.territory_exists(code):
        raise InvalidInput([FieldError("territory", f"unknown territory NIS code '{code}'")])
    communes = territories.commune_codes_within(code)
    serving = set(communes) | {code, *territories.ancestors_of(code)}
    # Fetching the (few) serving places first keeps both sides of the OR on an index.
    served = list(PlaceAreaServed.objects.filter(territory_id__in=serving).values_list("place_id", flat=True).distinct())
    return Q(commune_id__in=communes) | Q(pk__in=served) if served else Q(commune_id__in=communes)


def with_status(values, query: PlaceQuery) -> Q:
    """Places in one of these statuses."""
    return Q(status__in=values)


def with_attributes(pairs, query: PlaceQuery) -> Q:
    """Places whose attributes hold every key with its value."""
    condition = Q()
    for key, value in pairs:
        condition &= Q(**{f"attributes__{key}": value})
    return condition


def fresh_within(days: int, query: PlaceQuery) -> Q:
    """Places confirmed or changed in the last `days` days."""
    since = timezone.now() - datetime.timedelta(days=days)
    return Q(last_confirmed__gte=since) | Q(updated_at__gte=since)


def updated_within(bounds, query: PlaceQuery) -> Q:
    """Places last changed within the interval (open ends allowed)."""
    since, until = bounds
    condition = Q()
    if since:
        condition &= Q(updated_at__gte=since)
    if until:
        condition &= Q(updated_at__lte=until)
    return condition


def register_place_filters() -> None:
    """Register the filters on the places' own columns and relations."""
    for entry in (
        Filter("bbox", q.last_bbox, in_bbox, "west,south,east,north in degrees (WGS 84)", schema={"examples": ["4.33,50.83,4.40,50.88"]}),
        Filter("q", q.words, has_words, "Words to find in names, descriptions and addresses (accents and case ignored)",
               schema={"maxLength": q.MAX_TEXT}),
        Filter("category", q.identifiers, in_categories, "Category identifier, subcategories included; repeatable", many=True),
        Filter("territory", q.territory_code, in_territory,
               "NIS code of a region, province, arrondissement or commune: the places in it and the places serving it"),
        Filter("status", q.statuses, with_status, "active, temporarily_closed or closed; repeatable", many=True,
               schema={"type": "string", "enum": list(q.STATUSES)}),
        Filter("attr", q.attribute_values, with_attributes, "key:value of an attribute (true and false for yes/no ones); repeatable",
               many=True),
        Filter("fresh", q.days, fresh_within, f"Only places confirmed or changed in the last N days (1 to {q.MAX_FRESH_DAYS})",
               schema={"minimum": 1, "maximum": q.MAX_FRESH_DAYS}, annotation=int),
        Filter("updated", q.interval, updated_within, "Time of the last change: an RFC 3339 instant or date, or an interval start/end ('..' for open ends)"),
    ):
        register_filter(entry)
