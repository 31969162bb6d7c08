"""API endpoints of relations (mounted under /api/): the grid as SKOS, a place's relation facts, declarations, checks,
the comparison of a territory's short chains, food-aid access (open now, Open Referral HSDS)."""

from django.http import HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from foodcommons.accounts.auth import OptionalTokenAuth, TokenAuth
from foodcommons.collaboration import selectors as collaboration
from foodcommons.core.mail import absolute
from foodcommons.core.problems import NotFound
from foodcommons.core.schemas import ProblemOut
from foodcommons.relations import foodaid, land, selectors, services
from foodcommons.relations.domain.foodaid import hsds_tables
from foodcommons.relations.domain.grid import BY_KEY, CRITERIA, GRID_VERSION, skos_scheme
from foodcommons.relations.exports import hsds_zip
from foodcommons.territories.selectors import territory_exists

router = Router(tags=["relations"])
CRITERION_KEYS = tuple(c.key for c in CRITERIA)
PROBLEMS = dict.fromkeys((400, 401, 403, 404, 409, 429), ProblemOut)


class FactsOut(Schema):
    """The relation facts of a short-chain place: every criterion of the grid, null when not declared."""

    place: str
    version: int
    grid: str
    facts: dict


class DeclarationIn(Schema):
    """Facts to declare ({criterion: {value, evidence?}}, null withdraws one), on the place's version."""

    version: int
    facts: dict
    comment: str = ""
    email: str = ""


class DeclarationOut(Schema):
    """What a declaration became: published (the place's new version) or a suggestion for moderators."""

    status: str
    version: int | None = None
    suggestion: str | None = None


class CheckIn(Schema):
    """The place's version a check is based on."""

    version: int
    comment: str = ""


class CompareQuery(Schema):
    territory: str = Field(pattern=r"^[0-9]{5}$", description="NIS code of a region, province, arrondissement or commune")
    criteria: list[str] = Field(default=[], description=f"Criteria to compare, of {', '.join(CRITERION_KEYS)} (default: all; others ignored)")


def _short_chain(public_id: str):
    place = collaboration.place_by_public_id(public_id)
    if place.is_deleted or not selectors.is_short_chain(place):
        raise NotFound(f"The place '{public_id}' is not a short chain: it has no relation profile.")
    return place


def _facts_out(place) -> dict:
    return {"place": place.public_id, "version": place.version, "grid": GRID_VERSION, "facts": selectors.public_facts(place)}


@router.get("/relations/criteria", summary="The grid of relation criteria as SKOS (JSON-LD)")
def relation_criteria(request):
    """Return the versioned grid of relation criteria, each criterion and value with its meaning in FR/NL/EN."""
    import json

    return HttpResponse(json.dumps(skos_scheme(absolute("/")), ensure_ascii=False), content_type="application/ld+json")


@router.get("/places/{public_id}/relations", response={200: FactsOut, 404: ProblemOut},
            summary="The relation facts of a short-chain place")
def place_relations(request, public_id: str):
    """Return every criterion of the grid for the place: the declared fact (who, when, evidence, check) or null."""
    return _facts_out(_short_chain(public_id))


@router.patch("/places/{public_id}/relations", auth=OptionalTokenAuth(),
              response={200: DeclarationOut, 202: DeclarationOut, **PROBLEMS}, summary="Declare relation facts of a place")
def declare_relations(request, public_id: str, payload: DeclarationIn):
    """Publish facts as the place's team (editors of its organisation), else store them as a suggestion (202)."""
    _short_chain(public_id)
    outcome = services.declare_facts(public_id=public_id, declarations=payload.facts, base_version=payload.version,
                                     author=request.user, email=payload.email, comment=payload.comment)
    if outcome.suggestion is not None:
        return Status(202, {"status": "suggested", "suggestion": outcome.suggestion.public_id})
    assert outcome.result is not None  # published when it is not a suggestion
    return Status(200, {"status": "published", "version": outcome.result.place.version})


@router.post("/places/{public_id}/relations/{criterion}/check", auth=TokenAuth(),
             response={200: FactsOut, **PROBLEMS}, summary="Record that a moderator checked a declared fact")
def check_relation(request, public_id: str, criterion: str, payload: CheckIn):
    """Mark the declared fact of `criterion` as checked by the network (moderators of the place's organisation)."""
    _short_chain(public_id)
    result = services.check_fact(public_id=public_id, criterion=criterion, base_version=payload.version, moderator=request.user,
                                 comment=payload.comment)
    return _facts_out(result.place)


@router.get("/relations/compare", response={200: dict, **PROBLEMS},
            summary="The short chains of a territory side by side on criteria (no score)")
def compare_relations(request, query: Query[CompareQuery]):
    """Return the short-chain places of a territory with their declared facts on the chosen criteria (all by default)."""
    if not territory_exists(query.territory):
        raise NotFound(f"No territory has the NIS code '{query.territory}'.")
    chosen = [k for k in query.criteria if k in BY_KEY] or [c.key for c in CRITERIA]
    rows, total = selectors.compared_chains(territory=query.territory, criteria=chosen, language="en")
    return {"territory": query.territory, "criteria": chosen, "total": total,
            "places": [{"id": r["place"].public_id, "name": r["place"].display_name("fr"),
                        "facts": {k: selectors.current_facts(r["place"]).get(k) for k in chosen}} for r in rows]}


class HsdsQuery(Schema):
    territory: str | None = Field(default=None, pattern=r"^[0-9]{5}$", description="NIS code: only the food aid of this territory")


class OpenNowQuery(Schema):
    territory: str = Field(pattern=r"^[0-9]{5}$", description="NIS code of a region, province, arrondissement or commune")
    without_referral: bool = Field(default=True, description="Only places that said no referral is needed (unknown is left out)")


def _known_territory(code: str | None) -> None:
    if code and not territory_exists(code):
        raise NotFound(f"No territory has the NIS code '{code}'.")


@router.get("/food-aid/hsds.json", response={200: list[dict], **PROBLEMS},
            summary="Food-aid places as Open Referral HSDS 3.0 services (JSON)")
def food_aid_hsds(request, query: Query[HsdsQuery]):
    """Return every live food-aid place as an HSDS 3.0 service with its organization, location, costs, languages, documents."""
    _known_territory(query.territory)
    return foodaid.hsds_services(territory=query.territory)


@router.get("/food-aid/hsds.zip", response={200: None, **PROBLEMS}, summary="Food-aid places as Open Referral HSDS 3.0 tables (zipped CSV)")
def food_aid_hsds_csv(request, query: Query[HsdsQuery]):
    """Return the HSDS 3.0 tabular form: services.csv, organizations.csv, locations.csv, … in one zip."""
    _known_territory(query.territory)
    response = HttpResponse(hsds_zip(hsds_tables(foodaid.hsds_services(territory=query.territory))), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="foodcommons-food-aid-hsds.zip"'
    return response


@router.get("/food-aid/open-now", response={200: list[dict], **PROBLEMS}, summary="Food-aid places open now (hours and dated closures)")
def food_aid_open_now(request, query: Query[OpenNowQuery]):
    """Return the active food-aid places of a territory open at this moment, without referral by default."""
    _known_territory(query.territory)
    places = foodaid.food_aid_open_now(territory=query.territory, without_referral=query.without_referral)
    return [{"id": p.public_id, "name": {k: v for k in ("fr", "nl", "en") if (v := getattr(p, f"name_{k}"))},
             "url": absolute(f"/places/{p.public_id}"), "opening_hours": p.opening_hours} for p in places]


class LandUploadOut(Schema):
    """What an upload became: the places published and the suggestions stored, one per polygon."""

    published: list[str]
    suggested: list[str]


class CommuneTotalOut(Schema):
    commune: str
    count: int
    surface_ha: float


@router.post("/land/uploads", auth=TokenAuth(), response={201: LandUploadOut, **PROBLEMS},
             summary="Upload threatened farmland (GeoJSON, KML, GeoPackage or zipped shapefile)")
def upload_land(request, file: File[UploadedFile], threat: Form[str] = "other", stage: Form[str] = "", stage_from: Form[str] = "",
                reference_link: Form[str] = ""):
    """Write each polygon of the file as a field under threat, its surface computed; a bad file writes nothing (400)."""
    stages = [{"stage": stage, "from": stage_from}] if stage else []
    outcomes = land.import_land(filename=file.name or "", content=file.read(), threat=threat, stages=stages,
                                reference_link=reference_link, author=request.user)
    return Status(201, {"published": [o.result.place.public_id for o in outcomes if o.result is not None],
                        "suggested": [o.suggestion.public_id for o in outcomes if o.suggestion is not None]})


@router.get("/land/communes", response={200: list[CommuneTotalOut]}, summary="Threatened farmland per commune: how many fields, what surface")
def land_communes(request):
    """Return the number and surface (ha) of the fields under threat in each commune, the largest surface first."""
    return land.land_totals()
