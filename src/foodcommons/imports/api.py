"""API endpoints of sources and imports (mounted under /api/): runs, review of duplicates, provenance."""

import json

from django.http import HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from foodcommons.accounts.auth import TokenAuth
from foodcommons.core.problems import NotFound, Problem, problem_type
from foodcommons.core.schemas import ProblemOut
from foodcommons.imports import access, schemas, selectors
from foodcommons.imports.connectors import FORMATS, limits
from foodcommons.imports.models import Correction, ImportRun, MatchCandidate, Source
from foodcommons.imports.services import outbox, review, runs, sources

router = Router(tags=["imports"])
PROBLEMS = dict.fromkeys((400, 401, 403, 404, 409), ProblemOut)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def source_json(source: Source) -> dict:
    """Return the API view of a source."""
    fields = ("slug", "name", "licence", "attribution", "format", "location", "priority", "overrides_people",
              "schedule_hours", "field_mapping", "category_mapping", "default_category")
    organisation = source.organisation.slug if source.organisation else ""
    return {**{f: getattr(source, f) for f in fields}, "organisation": organisation, "last_run_at": _iso(source.last_run_at)}


def run_json(run: ImportRun) -> dict:
    """Return the API view of an import run."""
    return {"id": run.pk, "source": run.source.slug, "status": run.status, "location": run.location, "format": run.file_format,
            "started_at": run.started_at.isoformat(), "finished_at": _iso(run.finished_at), "counts": run.counts,
            "errors": run.errors, "decisions": run.decisions, "notices": run.notices}


def candidate_json(candidate: MatchCandidate, root: str) -> dict:
    """Return the API view of a match candidate."""
    def place(p):
        return {"id": p.public_id, "name": p.display_name(), "url": f"{root}/api/places/{p.public_id}"}

    return {"id": candidate.pk, "a": place(candidate.place_a), "b": place(candidate.place_b), "score": candidate.score,
            "reasons": candidate.reasons, "status": candidate.status}


@router.get("/sources", response=list[schemas.SourceOut], summary="Sources of data, with licence, attribution and mapping")
def list_sources(request):
    return [source_json(s) for s in Source.objects.select_related("organisation")]


def correction_json(c: Correction) -> dict:
    """Return the API view of a correction of a source's value."""
    return {"id": c.pk, "source": c.source.slug, "place": c.place.public_id, "external_id": c.record.external_id if c.record else "",
            "field": c.field, "source_value": c.source_value, "new_value": c.new_value, "author": c.author.username if c.author else "",
            "comment": c.comment, "created_at": c.created_at.isoformat(), "updated_at": c.updated_at.isoformat(), "status": c.status,
            "closed_because": c.closed_because, "conflict": c.conflict}


def _maintained_source(request, slug: str) -> Source:
    source = Source.objects.filter(slug=slug).first()
    if source is None:
        raise NotFound(f"No source '{slug[:64]}'.")
    if not access.may_import(user=request.user, source=source):
        raise Problem(status=403, title="Forbidden", kind=problem_type("forbidden"),
                      detail="The outbox of a source is for platform staff and the editors of the organisation that keeps it.")
    return source


@router.get("/sources/{slug}/outbox", response={200: list[schemas.CorrectionOut], **PROBLEMS}, auth=TokenAuth(),
            summary="The corrections people made to a source's values: open ones (conflicts first), then settled ones")
def source_outbox(request, slug: str, open_only: bool = False):
    source = _maintained_source(request, slug)
    return [correction_json(c) for c in selectors.outbox(source, open_only=open_only)]


@router.get("/sources/{slug}/outbox.osc", response={200: str, **PROBLEMS}, auth=TokenAuth(),
            summary="The open corrections of an OpenStreetMap-sourced list as an osmChange file, for a mapper to review and upload",
            openapi_extra={"responses": {200: {"description": "osmChange (OSM API 0.6)", "content": {"application/xml": {"schema": {"type": "string"}}}}}})
def source_outbox_osmchange(request, slug: str):
    source = _maintained_source(request, slug)
    export = selectors.osmchange_export(source)
    response = HttpResponse(export.document, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{source.slug}-corrections.osc"'
    response["X-Corrections-Carried"], response["X-Corrections-Left-Out"] = str(export.corrections), str(len(export.left_out))
    return response


@router.get("/sources/{slug}/outbox.geojson", response={200: dict, **PROBLEMS}, auth=TokenAuth(),
            summary="The open corrections as GeoJSON for mappers: one feature per correction, with its OSM object and the tags to change")
def source_outbox_geojson(request, slug: str):
    source = _maintained_source(request, slug)
    response = HttpResponse(json.dumps(selectors.outbox_geojson(source), ensure_ascii=False), content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="{source.slug}-corrections.geojson"'
    return response


@router.post("/corrections/{correction_id}", response={200: schemas.CorrectionOut, **PROBLEMS}, auth=TokenAuth(),
             summary="Mark a correction applied in the source's list, or declined")
def decide_correction(request, correction_id: int, body: schemas.CorrectionDecisionIn):
    correction = Correction.objects.select_related("source").filter(pk=correction_id).first()
    if correction is None:
        raise NotFound(f"No correction {correction_id}.")
    _maintained_source(request, correction.source.slug)
    decided = outbox.decide(correction_id=correction_id, status=body.status, author=request.user)
    return correction_json(Correction.objects.select_related("source", "place", "record", "author").get(pk=decided.pk))


class ImportParams(Schema):
    source: str = Field(..., description="Slug of the source (registered on first use)")
    format: str | None = Field(None, description=f"One of {', '.join(FORMATS)}; detected from the content when omitted")
    dry_run: bool = Field(False, description="Report what would happen and write nothing")
    licence: str = Field("", description="SPDX licence of a new source")


@router.post("/imports", response={200: schemas.RunOut, **PROBLEMS}, auth=TokenAuth(), summary="Import a file sent as the request body")
def import_body(request, params: Query[ImportParams]):
    limits.check_size(_declared_length(request), limits.configured(), field="body")  # before the body is read
    source = sources.source_to_import(slug=params.source, licence=params.licence, file_format=params.format or "")
    run = runs.import_file(data=request.body, source=source, file_format=params.format or "", location=f"upload by {request.user}",
                               dry_run=params.dry_run, author=request.user)
    return run_json(run)


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@router.get("/imports/runs", response={200: list[schemas.RunOut], **PROBLEMS}, auth=TokenAuth(), summary="Recent import runs")
def list_runs(request, source: str | None = None):
    found = ImportRun.objects.select_related("source")
    if source:
        found = found.filter(source__slug=source)
    return [run_json(r) for r in found[:100]]


@router.get("/imports/runs/{run_id}", response={200: schemas.RunOut, **PROBLEMS}, auth=TokenAuth(), summary="One import run")
def get_run(request, run_id: int):
    return run_json(selectors.get_run(run_id))


@router.post("/imports/runs/{run_id}/revert", response={200: schemas.RunOut, **PROBLEMS}, auth=TokenAuth(), summary="Revert a whole import run")
def revert_run(request, run_id: int):
    return run_json(runs.revert_run(run_id=run_id, author=request.user))


def _reviewable(request, candidate_id: int) -> None:
    """Refuse a decision on a pair the caller may not decide (staff, or editors of the organisation keeping its source)."""
    candidate = MatchCandidate.objects.select_related("run__source").filter(pk=candidate_id).first()
    if candidate is None:
        raise NotFound(f"No match candidate {candidate_id}.")
    if not access.may_review(user=request.user, candidate=candidate):
        raise Problem(status=403, title="Forbidden", kind=problem_type("forbidden"),
                      detail="Only platform staff and editors of the organisation that keeps the list these duplicates came from decide them.")


@router.get("/imports/candidates", response={200: list[schemas.CandidateOut], **PROBLEMS}, auth=TokenAuth(),
            summary="Possible duplicates to review: all for staff, else those from the lists your organisations keep")
def list_candidates(request, limit: int = 100):
    root = request.build_absolute_uri("/").rstrip("/")
    return [candidate_json(c, root) for c in access.reviewable_candidates(user=request.user, limit=max(1, min(limit, 1000)))]


class ScanOut(Schema):
    queued: int


@router.post("/imports/candidates/scan", response={200: ScanOut, **PROBLEMS}, auth=TokenAuth(),
             summary="Look for duplicates among all places; pairs already decided are never proposed again")
def scan(request):
    return {"queued": review.scan_duplicates()}


@router.post("/imports/candidates/{candidate_id}/merge", response={200: schemas.CandidateOut, **PROBLEMS}, auth=TokenAuth(), summary="Merge two places")
def merge_candidate(request, candidate_id: int, body: schemas.MergeIn):
    _reviewable(request, candidate_id)
    candidate = review.merge_candidate(candidate_id=candidate_id, keep=body.keep, author=request.user, take_from_other=body.take_from_other)
    return candidate_json(candidate, request.build_absolute_uri("/").rstrip("/"))


@router.post("/imports/candidates/{candidate_id}/keep-apart", response={200: schemas.CandidateOut, **PROBLEMS}, auth=TokenAuth(),
             summary="Say two places are different actors (never proposed again)")
def keep_apart(request, candidate_id: int):
    _reviewable(request, candidate_id)
    candidate = review.keep_apart(candidate_id=candidate_id, author=request.user)
    return candidate_json(candidate, request.build_absolute_uri("/").rstrip("/"))


@router.get("/imports/missing", response={200: list[schemas.MissingOut], **PROBLEMS}, auth=TokenAuth(), summary="Records their source no longer lists")
def list_missing(request):
    return [{"source": r.source.slug, "external_id": r.external_id, "place": r.place.public_id, "missing_since": r.missing_since.isoformat()}
            for r in selectors.missing_records()]


@router.get("/places/{public_id}/provenance", response={200: schemas.ProvenanceOut, 404: ProblemOut},
            summary="Where each value of a place comes from, with licence and attribution")
def place_provenance(request, public_id: str):
    return selectors.place_provenance(public_id)
