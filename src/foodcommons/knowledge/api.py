"""API endpoints of the knowledge commons (mounted under /api/): projects, documents, the directory, expertise, needs."""

from django.urls import reverse
from ninja import Query, Router, Status

from foodcommons.accounts.auth import TokenAuth
from foodcommons.collaboration.models import Organisation
from foodcommons.core.mail import absolute
from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.core.schemas import ProblemOut
from foodcommons.knowledge import schemas, selectors, services
from foodcommons.knowledge.models import LANGUAGES, Document, ExpertiseOffer, Platform, Project, WorkStream
from foodcommons.places.models import Place
from foodcommons.territories.models import Territory

router = Router(tags=["knowledge"])
PROBLEMS = dict.fromkeys((400, 404), ProblemOut)
WRITE_PROBLEMS = dict.fromkeys((400, 401, 403, 404, 409), ProblemOut)
# A list of links in a body: the model it names and the field that identifies it.
LINKS = {"organisations": (Organisation, "slug"), "territories": (Territory, "code"), "work_streams": (WorkStream, "slug"),
         "places": (Place, "public_id"), "documents": (Document, "public_id")}


def _texts(obj, field: str) -> dict[str, str]:
    return {lang: v for lang in LANGUAGES if (v := getattr(obj, f"{field}_{lang}"))}


def project_json(project: Project) -> dict:
    """Return a project as the API shows it: public contacts only."""
    return {
        "id": project.public_id, "title": _texts(project, "title"), "summary": _texts(project, "summary"), "status": project.status,
        "starts_on": project.starts_on, "ends_on": project.ends_on, "url": project.url,
        "organisations": [o.slug for o in project.organisations.all()], "territories": [t.code for t in project.territories.all()],
        "work_streams": [w.slug for w in project.work_streams.all()], "places": [p.public_id for p in project.places.all()],
        "documents": [d.public_id for d in project.documents.all()], "events": [e.public_id for e in project.events.all()],
        "contacts": [{"name": c.name, "role": c.role, "email": c.email, "phone": c.phone} for c in selectors.public_contacts(project)],
        "page": absolute(reverse("knowledge:project", args=[project.public_id])), "source": project.source,
    }


def document_json(document: Document) -> dict:
    """Return a document with its versions (the text extracted stays in the search index)."""
    return {
        "id": document.public_id, "title": _texts(document, "title"), "description": _texts(document, "description"), "kind": document.kind,
        "organisation": document.organisation.slug if document.organisation else None,
        "territories": [t.code for t in document.territories.all()], "work_streams": [w.slug for w in document.work_streams.all()],
        "authors": document.authors, "published_on": document.published_on, "language": document.language, "licence": document.licence,
        "link_url": document.link_url, "page": absolute(reverse("knowledge:document", args=[document.public_id])), "source": document.source,
        "versions": [{"number": v.number, "filename": v.filename, "media_type": v.media_type, "size": v.size, "sha256": v.sha256,
                      "url": absolute(reverse("knowledge:document-file", args=[document.public_id, v.number])),
                      "created_at": v.created_at.isoformat(), "note": v.note} for v in document.versions.all()],
    }


def platform_json(platform: Platform) -> dict:
    """Return a platform of the directory."""
    return {"slug": platform.slug, "name": platform.name, "url": platform.url, "operator": platform.operator,
            "territories": [t.code for t in platform.territories.all()], "coverage": _texts(platform, "coverage"), "lists": _texts(platform, "lists"),
            "licence": platform.licence, "api_url": platform.api_url, "formats": platform.formats,
            "update_frequency": platform.update_frequency, "connector": platform.connector or None, "source": platform.source}


def offer_json(offer: ExpertiseOffer) -> dict:
    """Return an offer of expertise, without its contact e-mail (requests go through the page)."""
    return {"id": offer.public_id, "provider": offer.provider, "organisation": offer.organisation.slug if offer.organisation else None,
            "title": _texts(offer, "title"), "description": _texts(offer, "description"), "audience": _texts(offer, "audience"),
            "needs": list(offer.needs or []), "territories": [t.code for t in offer.territories.all()], "price_model": offer.price_model,
            "sector": offer.sector, "url": offer.url, "page": absolute(reverse("knowledge:offer", args=[offer.public_id]))}


@router.get("/knowledge/work-streams", response={200: list[schemas.WorkStreamOut]}, summary="The shared vocabulary of work streams")
def work_streams(request):
    return [{"slug": w.slug, "name": _texts(w, "name")} for w in selectors.work_streams()]


@router.get("/knowledge/projects", response={200: list[schemas.ProjectOut], **PROBLEMS},
            summary="Projects, by territory (with those inside it), work stream and words")
def list_projects(request, territory: str | None = Query(None), work_stream: str | None = Query(None), q: str | None = Query(None)):
    return [project_json(p) for p in selectors.projects(territory=territory, work_stream=work_stream, query=q or "")]


@router.get("/knowledge/projects/{project_id}", response={200: schemas.ProjectOut, **PROBLEMS}, summary="One project")
def get_project(request, project_id: str):
    return project_json(selectors.project(project_id))


@router.get("/knowledge/documents", response={200: list[schemas.DocumentOut], **PROBLEMS},
            summary="Documents, found by words inside them, kind, territory and work stream")
def list_documents(request, q: str | None = Query(None), kind: str | None = Query(None), territory: str | None = Query(None),
                   work_stream: str | None = Query(None)):
    return [document_json(d) for d in selectors.documents(query=q or "", kind=kind, territory=territory, work_stream=work_stream)]


@router.get("/knowledge/documents/{document_id}", response={200: schemas.DocumentOut, **PROBLEMS}, summary="One document with its versions")
def get_document(request, document_id: str):
    return document_json(selectors.document(document_id))


@router.get("/knowledge/platforms", response={200: list[schemas.PlatformOut]}, summary="The directory of databases and platforms")
def list_platforms(request):
    return [platform_json(p) for p in selectors.platforms()]


@router.get("/knowledge/expertise", response={200: list[schemas.ExpertiseOfferOut], **PROBLEMS}, summary="Offers of expertise, by need and territory")
def list_expertise(request, need: str | None = Query(None), territory: str | None = Query(None), q: str | None = Query(None)):
    return [offer_json(o) for o in selectors.offers(need=need, territory=territory, query=q or "")]


@router.get("/knowledge/needs", response={200: list[schemas.NeedCountOut]}, summary="Anonymous counts of requests for help, by need and territory")
def need_counts(request):
    return [{"need": c["need"], "territory": c["territory"] or None, "count": c["count"]} for c in selectors.need_counts()]


def exchange_json(exchange) -> dict:
    """Return a question or a need with its public answers only (private ones are for the askers, on the page)."""
    return {"id": exchange.public_id, "kind": exchange.kind, "title": exchange.title, "body": exchange.body,
            "organisation": exchange.organisation.slug, "project": exchange.project.public_id if exchange.project else None,
            "territory": exchange.territory_id, "work_streams": [w.slug for w in exchange.work_streams.all()],
            "created_at": exchange.created_at.isoformat(), "page": absolute(reverse("knowledge:exchange", args=[exchange.public_id])),
            "answers": [{"body": a.body, "author": a.author.username if a.author else None, "created_at": a.created_at.isoformat()}
                        for a in exchange.answers.select_related("author") if not a.is_private]}


@router.get("/knowledge/exchanges", response={200: list[schemas.ExchangeOut], **PROBLEMS},
            summary="Questions and needs of the projects, with their public answers")
def list_exchanges(request, territory: str | None = Query(None), work_stream: str | None = Query(None)):
    return [exchange_json(x) for x in selectors.exchanges(territory=territory, work_stream=work_stream)]


@router.get("/knowledge/exchanges/{exchange_id}", response={200: schemas.ExchangeOut, **PROBLEMS}, summary="One question or need")
def get_exchange(request, exchange_id: str):
    return exchange_json(selectors.exchange(exchange_id))


def _linked(name: str, keys: list[str]) -> list:
    model, field = LINKS[name]
    found = {getattr(o, field): o for o in model.objects.filter(**{f"{field}__in": keys})}
    if missing := [k for k in keys if k not in found]:
        raise InvalidInput([FieldError(name, f"unknown: {', '.join(missing[:5])}")])
    return [found[k] for k in keys]


def _body(given: dict, texts: tuple[str, ...], plain: tuple[str, ...], links: tuple[str, ...]) -> dict:
    """Turn a request body into the service's data: texts per language, plain fields, links resolved (only what is given)."""
    data: dict = {}
    for field in texts:
        if field in given:
            data.update({f"{field}_{lang}": (given[field] or {}).get(lang) or "" for lang in LANGUAGES})
    for field in plain:
        if field in given and not (field in ("status", "kind", "language") and given[field] is None):
            data[field] = given[field] if given[field] is not None or field.endswith("_on") else ""
    for name in links:
        if name in given:
            data[name] = _linked(name, list(dict.fromkeys(given[name] or [])))
    return data


@router.post("/knowledge/projects", response={201: schemas.ProjectOut, **WRITE_PROBLEMS}, auth=TokenAuth(),
             summary="Create a project carried by organisations (their editors)")
def create_project(request, payload: schemas.ProjectIn):
    data = _body(payload.dict(exclude_unset=True), ("title", "summary"), ("status", "starts_on", "ends_on", "url"),
                 ("organisations", "territories", "work_streams", "places", "documents"))
    project = services.create_project(data=data, author=request.user)
    return Status(201, project_json(selectors.project(project.public_id)))


@router.patch("/knowledge/projects/{project_id}", response={200: schemas.ProjectOut, **WRITE_PROBLEMS}, auth=TokenAuth(),
              summary="Change a project (the editors of an organisation carrying it)")
def update_project(request, project_id: str, payload: schemas.ProjectIn):
    data = _body(payload.dict(exclude_unset=True), ("title", "summary"), ("status", "starts_on", "ends_on", "url"),
                 ("organisations", "territories", "work_streams", "places", "documents"))
    services.update_project(public_id=project_id, data=data, author=request.user)
    return project_json(selectors.project(project_id))


@router.post("/knowledge/documents", response={201: schemas.DocumentOut, **WRITE_PROBLEMS}, auth=TokenAuth(),
             summary="Publish a document of an organisation by its link (files are uploaded on the document's page)")
def create_document(request, payload: schemas.DocumentIn):
    given = payload.dict(exclude_unset=True)
    data = _body(given, ("title", "description"), ("kind", "authors", "published_on", "language", "licence", "link_url"), ("territories", "work_streams"))
    if data.get("kind") and data["kind"] not in Document.Kind.values:
        raise InvalidInput([FieldError("kind", f"one of {', '.join(Document.Kind.values)}")])
    if given.get("organisation"):
        data["organisation"] = _linked("organisations", [given["organisation"]])[0]
    document = services.create_document(data=data, author=request.user)
    return Status(201, document_json(selectors.document(document.public_id)))
