"""Open-data endpoints under /api/: change feed, Atom, JSON-LD, dumps and the DCAT catalogue."""

from typing import Annotated, Any, Literal

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.http import http_date, parse_etags
from ninja import Query, Router, Schema, Status
from pydantic import Field

from foodcommons.accounts.auth import TokenAuth
from foodcommons.core.schemas import ProblemOut
from foodcommons.opendata import atom, changes, dumps, linked_data
from foodcommons.opendata.domain.dcat import catalogue_graph

router = Router(tags=["open data"])

PROBLEMS = {400: ProblemOut, 404: ProblemOut}


def base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# Not "ChangeOut": collaboration has a field-by-field ChangeOut, and one component name can hold one schema only.
class FeedChangeOut(Schema):
    """One change of the feed: a revision of a place, with the place's public state after it."""

    cursor: str = Field(description="Resume after this change with ?since=<cursor>")
    id: str = Field(description="Public identifier of the place")
    version: int
    change: Literal["created", "updated", "deleted"] = Field(description="What the change did to the place (restore and revert: updated)")
    action: Literal["create", "update", "delete", "restore", "revert"]
    at: str = Field(description="When the change was recorded (ISO 8601)")
    state: dict[str, Any] = Field(description="The public state of the place after the change")


class ChangesOut(Schema):
    changes: list[FeedChangeOut]
    next_cursor: str = Field(description="Pass as ?since= to get the changes after this page")
    next: str
    more: bool = Field(description="True when more changes are ready now; otherwise poll later with next_cursor")
    licence: str
    attribution: list[str]


# These tell the OpenAPI document what the feed accepts; the feed's own checks (changes.parse_cursor, changes_since) give the errors.
FeedCursor = Annotated[str | None, Field(json_schema_extra={"pattern": r"^[0-9]{0,18}$"})]
FeedLimit = Annotated[int, Field(json_schema_extra={"minimum": 1, "maximum": changes.MAX_LIMIT})]
SINCE = Query(None, description="Resume after this cursor (a next_cursor the feed gave); from the beginning when absent")
LIMIT = Query(changes.DEFAULT_LIMIT, description=f"Page size, 1 to {changes.MAX_LIMIT}")


@router.get("/changes", response={200: ChangesOut, **PROBLEMS}, summary="The change feed: every revision, in order")
def list_changes(request, since: FeedCursor = SINCE, limit: FeedLimit = LIMIT):
    page = changes.changes_since(since, limit=limit)
    return {
        "changes": page.changes,
        "next_cursor": page.next_cursor,
        "next": f"{base_url(request)}/api/changes?since={page.next_cursor}",
        "more": page.more,
        "licence": settings.FOODCOMMONS_DEFAULT_LICENCE,
        "attribution": [f"{settings.FOODCOMMONS_SITE_NAME} contributors"],
    }


@router.get(
    "/changes.atom",
    response={200: str, **PROBLEMS},
    summary="Atom feed of recent changes",
    openapi_extra={"responses": {200: {"description": "Atom", "content": {"application/atom+xml": {"schema": {"type": "string"}}}}}},
)
def changes_atom(request, territory: str | None = None, category: str | None = None):
    revisions = atom.recent_revisions(territory=territory, category=category)
    body = atom.atom_feed(revisions, base_url=base_url(request), feed_url=request.build_absolute_uri())
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


@router.get(
    "/places/{place_id}.jsonld",
    response={200: dict, **PROBLEMS},
    summary="One place as JSON-LD (schema.org, and the DFC ontology for producers and shops)",
    openapi_extra={"responses": {200: {"description": "JSON-LD", "content": {"application/ld+json": {"schema": {"type": "object"}}}}}},
)
def place_jsonld(request, place_id: str):
    return linked_data.jsonld_response(place_id, base_url=base_url(request))


class DumpOut(Schema):
    url: str = Field(description="The stable URL of the latest dump")
    file: str
    etag: str
    created: str
    changes_cursor: str = Field(description="Follow /api/changes?since=<this> to keep a copy made from this dump current")
    size: int
    licence: str


def _dump_json(request, dump: dumps.Dump) -> dict:
    return {**dump.as_dict(), "url": f"{base_url(request)}/api/dumps/latest", "licence": settings.FOODCOMMONS_DEFAULT_LICENCE}


def _latest_or_build(request) -> dumps.Dump:
    return dumps.latest_dump() or dumps.build_dump(base_url=base_url(request))


@router.get(
    "/dumps/latest",
    response={200: str, 304: None},
    summary="The latest full dump: a zipped Frictionless Data Package (built now if there is none)",
    openapi_extra={"responses": {200: {"description": "ZIP", "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}}},
)
def latest_dump(request):
    dump = _latest_or_build(request)
    if dump.etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponse(status=304)
    else:
        response = FileResponse(dump.path.open("rb"), content_type="application/zip", as_attachment=True, filename=dump.path.name)
    response["ETag"] = dump.etag
    response["Last-Modified"] = http_date(dump.path.stat().st_mtime)
    response["Cache-Control"] = "public, max-age=300"
    response["Link"] = '<https://opendatacommons.org/licenses/odbl/1-0/>; rel="license"'
    return response


@router.get("/dumps", response={200: DumpOut}, summary="What the latest dump is (built now if there is none)")
def dump_info(request):
    return _dump_json(request, _latest_or_build(request))


@router.post("/dumps", response={201: DumpOut, 401: ProblemOut, 403: ProblemOut}, auth=TokenAuth(), summary="Rebuild the dump now (staff)")
def rebuild_dump(request):
    return Status(201, _dump_json(request, dumps.build_dump(base_url=base_url(request))))


def _catalogue(request, rdf_format: str, content_type: str) -> HttpResponse:
    from foodcommons.imports.models import Source

    latest = changes.latest_change_time()
    graph = catalogue_graph(
        base_url=base_url(request), site=settings.FOODCOMMONS_SITE_NAME, licence=settings.FOODCOMMONS_DEFAULT_LICENCE,
        modified=latest.isoformat() if latest else None, sources=list(Source.objects.order_by("slug").values("name", "url", "attribution")),
    )
    from foodcommons.knowledge.catalogue import add_to_catalogue

    add_to_catalogue(graph, base_url=base_url(request))  # the document library and the directory of platforms
    # A context makes the JSON-LD one object with @graph, not a bare expanded array.
    context = {p: str(ns) for p, ns in graph.namespaces() if p in ("dcat", "dct", "foaf", "vcard", "xsd")}
    options = {"context": context, "auto_compact": True} if rdf_format == "json-ld" else {}
    return HttpResponse(graph.serialize(format=rdf_format, **options), content_type=f"{content_type}; charset=utf-8")


@router.get(
    "/catalog.ttl",
    response={200: str},
    summary="DCAT-AP catalogue of the datasets and distributions (Turtle), for open-data portals",
    openapi_extra={"responses": {200: {"description": "Turtle", "content": {"text/turtle": {"schema": {"type": "string"}}}}}},
)
def catalogue_turtle(request):
    return _catalogue(request, "turtle", "text/turtle")


@router.get(
    "/catalog.jsonld",
    response={200: dict},
    summary="DCAT-AP catalogue of the datasets and distributions (JSON-LD)",
    openapi_extra={"responses": {200: {"description": "JSON-LD", "content": {"application/ld+json": {"schema": {"type": "object"}}}}}},
)
def catalogue_jsonld(request):
    return _catalogue(request, "json-ld", "application/ld+json")
