"""Open-data endpoints under /api/: change feed, Atom, JSON-LD, dumps and the DCAT catalogue."""

from django.conf import settings
from django.http import HttpResponse
from ninja import Router, Schema
from pydantic import Field

from foodcommons.api import schemas
from foodcommons.opendata import atom, changes, linked_data

router = Router(tags=["open data"])

PROBLEMS = {400: schemas.ProblemOut, 404: schemas.ProblemOut}


def base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


class ChangeOut(Schema):
    cursor: str = Field(description="Resume after this change with ?since=<cursor>")
    id: str = Field(description="Public identifier of the place")
    version: int
    change: str = Field(description="created, updated or deleted")
    action: str = Field(description="create, update, delete, restore or revert")
    at: str
    state: dict = Field(description="The public state of the place after the change")


class ChangesOut(Schema):
    changes: list[ChangeOut]
    next_cursor: str = Field(description="Pass as ?since= to get the changes after this page")
    next: str
    more: bool = Field(description="True when more changes are ready now; otherwise poll later with next_cursor")
    licence: str
    attribution: list[str]


@router.get("/changes", response={200: ChangesOut, **PROBLEMS}, summary="The change feed: every revision, in order")
def list_changes(request, since: str | None = None, limit: int = changes.DEFAULT_LIMIT):
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
