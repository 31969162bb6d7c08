"""Endpoints of places: search, exports, one place, its history, and writes."""

import io
from urllib.parse import urlencode

import orjson
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field, create_model

from foodcommons.accounts.auth import OptionalTokenAuth, TokenAuth, is_writer
from foodcommons.collaboration import services as collaboration
from foodcommons.collaboration.api import accepted_for_review
from foodcommons.collaboration.schemas import SuggestionOut
from foodcommons.core import spreadsheet
from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.core.schemas import ProblemOut
from foodcommons.places import public_json, schemas, selectors, services
from foodcommons.places.domain.query import DEFAULT_LIMIT, FILTERS, MAX_LIMIT, Filter, parse_place_query
from foodcommons.places.representations import collection_attribution, csv_columns, csv_row, geojson_feature, licence_fields, place_json

router = Router(tags=["places"])
exports_router = Router(tags=["places"])

PROBLEMS = {400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut}


def _filter_field(entry: Filter) -> tuple:
    if entry.many:
        extra = {"items": {"type": "string", **entry.schema}} if entry.schema else None
        return list[entry.annotation], Field([], description=entry.description, json_schema_extra=extra)
    return entry.annotation | None, Field(None, description=entry.description, json_schema_extra=entry.schema or None)


# The search parameters are the filters every app registered (places.domain.query.FILTERS), then the order and page.
if not apps.ready:
    raise ImproperlyConfigured("foodcommons.api.places is imported before every app registered its filters of places")
PlaceFilters = create_model(
    "PlaceFilters",
    __base__=Schema,
    **{entry.name: _filter_field(entry) for entry in FILTERS.values()},
    near=(str | None, Field(None, description="lon,lat: sort by distance from this point")),
    limit=(int, Field(DEFAULT_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}", json_schema_extra={"minimum": 1, "maximum": MAX_LIMIT})),
    cursor=(str | None, Field(None, description="The next_cursor of the previous page")),
)


PLACE_KEYS = tuple(schemas.PlaceOut.model_fields)  # what `properties=` may name: the keys of a place of a list answer
PlaceListParams = create_model(
    "PlaceListParams",
    __base__=PlaceFilters,
    properties=(str | None, Field(None, description=(
        "The keys of each place to return (those of PlaceOut), comma-separated, as OGC API - Features' `properties`; "
        "`id` is always returned, every key when this is absent"), json_schema_extra={"examples": ["name,geometry,categories"]})),
)


def chosen_keys(value: str | None) -> tuple[str, ...] | None:
    """Return the keys `properties=` keeps in each place (`id` first), None for whole places; refuse unknown keys."""
    if value is None:
        return None
    names = dict.fromkeys(n.strip() for n in value.split(",") if n.strip())
    unknown = [n for n in names if n not in PLACE_KEYS]
    if unknown:
        raise InvalidInput([FieldError("properties", f"unknown property '{n}'") for n in unknown])
    return ("id", *(n for n in names if n != "id"))


def _with_keys(listed: list[public_json.ListItem], keys: tuple[str, ...] | None) -> list:
    # Each place cut to `keys` (None: whole), for pages built afresh or asking for keys added after the stored bodies.
    if keys is None:
        return [item.encoded for item in listed]
    places = [orjson.loads(orjson.dumps(item.encoded)) if isinstance(item.encoded, orjson.Fragment) else item.encoded for item in listed]
    return [public_json.cut_to(place, keys) for place in places]


def base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _page(request, filters: PlaceFilters) -> tuple[list[dict], selectors.PlacePage]:
    page = selectors.search_places(parse_place_query(**filters.dict()))
    root, private = base_url(request), is_writer(request)
    items = [place_json(p, base_url=root, include_private=private, distance=page.distances.get(p.pk)) for p in page.places]
    return items, page


def _next_url(request, cursor: str | None) -> str | None:
    if not cursor:
        return None
    params = [(k, v) for k, v in request.GET.lists() for v in v if k != "cursor"]
    return request.build_absolute_uri(request.path) + "?" + urlencode([*params, ("cursor", cursor)])


def _link_header(response: HttpResponse, next_url: str | None) -> HttpResponse:
    if next_url:
        response["Link"] = f'<{next_url}>; rel="next"'
    return response


def _list_items(request, filters: PlaceFilters, keys: tuple[str, ...] | None) -> tuple[list[public_json.ListItem], selectors.PlacePage]:
    # The places of the page, cut to `keys` when the stored bodies can be read cut (keys=None: whole places).
    query = parse_place_query(**filters.dict(exclude={"properties"}))
    if is_writer(request):  # private contacts shown: built afresh, never from the published bodies
        page = selectors.search_places(query)
        root = base_url(request)
        items = [place_json(p, base_url=root, include_private=True, distance=page.distances.get(p.pk)) for p in page.places]
        for item in items:
            item.setdefault("distance_m", None)
        return [public_json.ListItem(item, item) for item in items], page
    page = selectors.search_place_keys(query)
    return public_json.list_items(page, base_url=base_url(request), keys=keys), page


@router.get("", response={200: schemas.PlaceListOut, **PROBLEMS}, auth=OptionalTokenAuth(), summary="Search places")
def list_places(request, filters: Query[PlaceListParams]):
    keys = chosen_keys(filters.properties)
    # Cut from the stored bodies (by their versions, see public_json._CUT) when none of the keys is added after them.
    cut_here = keys is not None and not public_json.cut_from_bodies(keys)
    listed, page = _list_items(request, filters, None if cut_here else keys)
    items = [item.summary for item in listed]
    body = {
        "total": page.total,
        "total_exact": page.total_exact,
        "count": len(items),
        "next_cursor": page.next_cursor,
        "next": _next_url(request, page.next_cursor),
        **licence_fields(items),
        "attribution": collection_attribution(items),
        "places": _with_keys(listed, keys if cut_here or is_writer(request) else None),
    }
    # Validating hundreds of places against PlaceListOut again cost half of a viewport answer; the stored bodies
    # and place_json hold exactly that shape, which tests/api/test_list_schema.py holds them to.
    return HttpResponse(orjson.dumps(body), content_type="application/json")


@exports_router.get(
    "/places.geojson",
    response={200: dict, **PROBLEMS},
    auth=OptionalTokenAuth(),
    summary="Search places as a GeoJSON FeatureCollection (RFC 7946)",
    openapi_extra={"responses": {200: {"description": "A FeatureCollection", "content": {"application/geo+json": {"schema": {"type": "object"}}}}}},
)
def places_geojson(request, filters: Query[PlaceFilters]):
    items, page = _page(request, filters)
    next_url = _next_url(request, page.next_cursor)
    body = {
        "type": "FeatureCollection",
        "features": [geojson_feature(i) for i in items],
        "numberMatched": page.total,
        "numberReturned": len(items),
        "links": [{"rel": "next", "href": next_url, "type": "application/geo+json"}] if next_url else [],
        # One licence when every record has it; otherwise only the list (a mixed page claims no single licence).
        **{k: v for k, v in licence_fields(items).items() if v is not None},
        "attribution": collection_attribution(items),
    }
    response = HttpResponse(orjson.dumps(body), content_type="application/geo+json")
    return _link_header(response, next_url)


@exports_router.get(
    "/places.csv",
    response={200: str, **PROBLEMS},
    auth=OptionalTokenAuth(),
    summary="Search places as CSV (UTF-8, comma-separated, one header row)",
    openapi_extra={"responses": {200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}}},
)
def places_csv(request, filters: Query[PlaceFilters]):
    items, page = _page(request, filters)
    buffer = io.StringIO()
    writer = spreadsheet.writer(buffer)
    writer.writerow(csv_columns())
    writer.writerows(csv_row(i) for i in items)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["X-Total-Count"] = str(page.total)
    return _link_header(response, _next_url(request, page.next_cursor))


@router.get("/{place_id}", response={200: schemas.PlaceDetailOut, **PROBLEMS}, auth=OptionalTokenAuth(),
            summary="One place, with where each of its values comes from")
def get_place(request, place_id: str):
    from foodcommons.imports.selectors import place_origins
    from foodcommons.opendata import linked_data

    if linked_data.wants_jsonld(request):
        return linked_data.jsonld_response(place_id, base_url=base_url(request))
    place = selectors.get_place(place_id)
    private = is_writer(request)
    return {**place_json(place, base_url=base_url(request), include_private=private), "provenance": place_origins(place=place, include_private=private)}


@router.get("/{place_id}/revisions", response={200: list[schemas.RevisionOut], **PROBLEMS}, summary="The history of a place")
def list_revisions(request, place_id: str):
    from foodcommons.places.domain.privacy import published_state

    revisions = selectors.place_revisions(place_id)
    withheld = selectors.withheld_contacts([revisions[0].place_id]).get(revisions[0].place_id, frozenset()) if revisions else frozenset()
    return [
        {
            "version": r.version,
            "action": r.action,
            "author": r.author.username if r.author else None,
            "created_at": r.created_at.isoformat(),
            "comment": r.comment,
            "state": published_state(r.state, withheld),
        }
        for r in revisions
    ]


def _written(request, result: services.WriteResult, status: int = 200):
    """Answer a write with the state it wrote (its own version), never a later one another write made since."""
    # result.place is the place as the write's transaction left it (services.WriteResult); reading it again
    # after the commit could show a later writer's version.
    body = place_json(result.place, base_url=base_url(request), include_private=True)
    body["warnings"] = [w.as_dict() for w in result.warnings]
    return Status(status, body)


WRITE_RESPONSES = {**PROBLEMS, 409: ProblemOut, 410: ProblemOut, 413: ProblemOut, 202: SuggestionOut}


def _published_or_suggested(request, outcome, status: int = 200):
    """Answer a write that was published (the place) or became a suggestion (202 with its id)."""
    return _written(request, outcome.result, status) if outcome.result else accepted_for_review(outcome.suggestion)


@router.post("", response={201: schemas.PlaceWriteOut, **WRITE_RESPONSES}, auth=TokenAuth(), summary="Create a place")
def create_place(request, payload: schemas.PlaceCreateIn):
    data = payload.dict(exclude_unset=True)
    comment = data.pop("comment", None) or ""
    return _published_or_suggested(request, collaboration.create_or_suggest(data=data, author=request.user, comment=comment), 201)


@router.patch(
    "/{place_id}",
    response={200: schemas.PlaceWriteOut, **WRITE_RESPONSES},
    auth=TokenAuth(),
    summary="Change a place (JSON merge patch with its version)",
)
def update_place(request, place_id: str, payload: schemas.PlacePatchIn):
    data = payload.dict(exclude_unset=True)
    version, comment = data.pop("version"), data.pop("comment", None) or ""
    outcome = collaboration.update_or_suggest(public_id=place_id, patch=data, base_version=version, author=request.user, comment=comment)
    return _published_or_suggested(request, outcome)


@router.delete("/{place_id}", response={200: schemas.PlaceWriteOut, **WRITE_RESPONSES}, auth=TokenAuth(), summary="Delete a place (soft, revertible)")
def delete_place(request, place_id: str, version: int | None = None, comment: str = ""):
    outcome = collaboration.delete_or_suggest(public_id=place_id, base_version=version, author=request.user, comment=comment[:500])
    return _published_or_suggested(request, outcome)


@router.post("/{place_id}/restore", response={200: schemas.PlaceWriteOut, **WRITE_RESPONSES}, auth=TokenAuth(), summary="Restore a deleted place")
def restore_place(request, place_id: str, payload: schemas.RestoreIn):
    result = collaboration.restore(public_id=place_id, author=request.user, comment=payload.comment or "")
    return _written(request, result)


@router.post("/{place_id}/revert", response={200: schemas.PlaceWriteOut, **WRITE_RESPONSES}, auth=TokenAuth(), summary="Make an older version current again")
def revert_place(request, place_id: str, payload: schemas.RevertIn):
    result = collaboration.revert(
        public_id=place_id, to_version=payload.to_version, base_version=payload.version, author=request.user, comment=payload.comment or ""
    )
    return _written(request, result)
