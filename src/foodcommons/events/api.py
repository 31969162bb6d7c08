"""API endpoints of events (mounted under /api/): list, detail with schema.org JSON-LD, writes for organisers, registrations."""

from django.urls import reverse
from django.utils import translation
from ninja import Query, Router, Status

from foodcommons.accounts.auth import OptionalTokenAuth, TokenAuth
from foodcommons.collaboration.models import Organisation
from foodcommons.core import ratelimit
from foodcommons.core.mail import absolute
from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.core.schemas import ProblemOut
from foodcommons.events import calendar, schemas, selectors, services
from foodcommons.events.models import Event, Registration
from foodcommons.places.models import Place
from foodcommons.territories.models import Territory

router = Router(tags=["events"])
PROBLEMS = dict.fromkeys((400, 401, 403, 404, 409, 429), ProblemOut)
DETAILS = {
    Registration.Status.UNCONFIRMED: "Open the link sent by e-mail to confirm this registration.",
    Registration.Status.PENDING: "The organisers will approve or decline this registration.",
    Registration.Status.CONFIRMED: "A seat is booked.",
    Registration.Status.WAITLISTED: "The event is full: on the waiting list, promoted when someone cancels.",
}


def _texts(obj, field: str) -> dict[str, str]:
    return {lang: v for lang in ("fr", "nl", "en") if (v := getattr(obj, f"{field}_{lang}"))}


def event_json(event: Event) -> dict:
    """Return an event as the API shows it."""
    seats = selectors.seats(event)
    language = (translation.get_language() or "fr")[:2]
    return {
        "id": event.public_id, "title": _texts(event, "title"), "description": _texts(event, "description"),
        "starts_at": event.starts_at, "ends_at": event.ends_at,
        "programme": [{"title": _texts(s, "title"), "starts_at": s.starts_at, "ends_at": s.ends_at} for s in event.sessions.all()],
        "place": event.place.public_id if event.place else None, "address": event.address, "online_url": event.online_url,
        "organisation": event.organisation.slug if event.organisation else None, "territory": event.territory_id,
        "work_streams": [w.slug for w in event.work_streams.all()], "documents": [d.public_id for d in event.documents.all()],
        "capacity": event.capacity, "seats_left": seats.left, "requires_approval": event.requires_approval,
        "questions": list(event.questions or []), "status": event.status,
        "url": absolute(reverse("events:event", args=[event.public_id])), "ics": absolute(reverse("events:event-ics", args=[event.public_id])),
        "jsonld": calendar.jsonld(event, language),
    }


def _data(payload: schemas.EventIn) -> dict:
    given = payload.dict(exclude_unset=True)
    data: dict = {}
    for field in ("title", "description"):
        if field in given:
            for lang in ("fr", "nl", "en"):
                data[f"{field}_{lang}"] = (given[field] or {}).get(lang) or ""
    for field in ("starts_at", "ends_at", "address", "online_url", "capacity", "requires_approval", "questions", "status"):
        if field in given and not (field in ("status", "starts_at", "ends_at") and given[field] is None):
            data[field] = given[field] if given[field] is not None or field == "capacity" else ""
    if "questions" in data:
        data["questions"] = data["questions"] or []
    if "requires_approval" in data:
        data["requires_approval"] = bool(data["requires_approval"])
    if data.get("status", Event.Status.PUBLISHED) not in Event.Status.values:
        raise InvalidInput([FieldError("status", "published or cancelled")])
    if "place" in given:
        data["place"] = _find(Place, "place", public_id=given["place"]) if given["place"] else None
    if "organisation" in given:
        data["organisation"] = _find(Organisation, "organisation", slug=given["organisation"]) if given["organisation"] else None
    if "territory" in given:
        data["territory"] = _find(Territory, "territory", code=given["territory"]) if given["territory"] else None
    if "work_streams" in given:
        data["work_streams"] = _all_of(selectors.work_streams(), "work_streams", "slug", given["work_streams"] or [])
    if "documents" in given:
        data["documents"] = _all_of(Event._meta.get_field("documents").related_model.objects.all(), "documents", "public_id", given["documents"] or [])
    if given.get("programme") is not None:
        data["sessions"] = [{"starts_at": s["starts_at"], "ends_at": s.get("ends_at"), **{f"title_{k}": v or "" for k, v in s["title"].items()}}
                            for s in given["programme"]]
    return data


def _all_of(queryset, field: str, key: str, values: list[str]) -> list:
    found = {getattr(o, key): o for o in queryset.filter(**{f"{key}__in": values})}
    if missing := [v for v in values if v not in found]:
        raise InvalidInput([FieldError(field, f"unknown: {', '.join(missing)}")])
    return [found[v] for v in dict.fromkeys(values)]


def _find(model, field: str, **where):
    found = model.objects.filter(**where).first()
    if found is None:
        raise InvalidInput([FieldError(field, f"no {field} '{next(iter(where.values()))}'")])
    return found


@router.get("/events", response={200: list[schemas.EventOut], **PROBLEMS}, summary="Upcoming events, by territory (with those inside it) or organisation")
def list_events(request, territory: str | None = Query(None), organisation: str | None = Query(None), work_stream: str | None = Query(None)):
    return [event_json(e) for e in selectors.events(territory=territory, organisation=organisation, work_stream=work_stream)]


@router.get("/events/{event_id}", response={200: schemas.EventOut, **PROBLEMS}, summary="One event, with its programme and schema.org JSON-LD")
def get_event(request, event_id: str):
    return event_json(selectors.event(event_id))


@router.post("/events", response={201: schemas.EventOut, **PROBLEMS}, auth=TokenAuth(), summary="Create an event of an organisation (its editors)")
def create_event(request, payload: schemas.EventIn):
    event = services.create_event(data=_data(payload), author=request.user)
    return Status(201, event_json(selectors.event(event.public_id)))


@router.patch("/events/{event_id}", response={200: schemas.EventOut, **PROBLEMS}, auth=TokenAuth(), summary="Change an event (its organisation's editors)")
def update_event(request, event_id: str, payload: schemas.EventIn):
    services.update_event(public_id=event_id, data=_data(payload), author=request.user)
    return event_json(selectors.event(event_id))


@router.post("/events/{event_id}/registrations", response={201: schemas.RegistrationOut, **PROBLEMS}, auth=OptionalTokenAuth(),
             summary="Register to an event: with a token at once, else confirmed by an e-mailed link")
def register_event(request, event_id: str, payload: schemas.RegistrationIn):
    user = getattr(request, "user", None)
    user = user if getattr(user, "is_authenticated", False) else None
    if user is None:
        ratelimit.check(scope="event-registration", key=ratelimit.client_address(request))
    registration = services.register(public_id=event_id, user=user, email=payload.email or "", name=payload.name or "",
                                     answers=payload.answers or [], language=payload.language or (translation.get_language() or "fr"))
    return Status(201, {"id": registration.public_id, "status": registration.status, "detail": DETAILS.get(registration.status, registration.status)})


@router.get("/events/{event_id}/registrations", response={200: list[schemas.ParticipantOut], **PROBLEMS}, auth=TokenAuth(),
            summary="The participants of an event (its organisers)")
def event_registrations(request, event_id: str):
    event = selectors.event(event_id)
    if not selectors.may_manage(request.user, event):
        raise services.Forbidden("Only the organisers may see the participants.")
    return [{"id": r.public_id, "name": r.name, "email": r.email, "status": r.status, "registered_at": r.created_at, "language": r.language,
             "answers": r.answers} for r in selectors.registrations(event)]
