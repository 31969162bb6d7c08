"""API endpoints of this area (mounted under /api/): suggestions, moderation, reports, upkeep, history, organisations, tokens."""

from django.conf import settings
from django.utils import timezone
from ninja import Router, Status

from foodcommons.accounts import tokens
from foodcommons.accounts.auth import OptionalTokenAuth, TokenAuth
from foodcommons.collaboration import schemas, selectors, services
from foodcommons.collaboration.domain.text import render_markdown
from foodcommons.collaboration.domain.upkeep import is_stale
from foodcommons.collaboration.models import Report, Suggestion
from foodcommons.core import ratelimit
from foodcommons.core.problems import FieldError, InvalidInput
from foodcommons.core.schemas import ProblemOut

router = Router(tags=["collaboration"])

PROBLEMS = dict.fromkeys((400, 401, 403, 404, 409, 410, 429), ProblemOut)


def _signed_in(request):
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def suggestion_json(item: Suggestion) -> dict:
    """Return what a contributor learns about their suggestion."""
    detail = {
        Suggestion.Status.UNCONFIRMED: "Open the link sent by e-mail to confirm this suggestion.",
        Suggestion.Status.PENDING: "A moderator will review this suggestion.",
    }.get(item.status, f"This suggestion was {item.status}.")
    return {"id": item.public_id, "kind": item.kind, "status": item.status, "place": item.place.public_id if item.place else None, "detail": detail}


def accepted_for_review(item: Suggestion) -> Status:
    """Return the 202 answer of a write that became a suggestion."""
    return Status(202, suggestion_json(item))


@router.post("/suggestions", response={202: schemas.SuggestionOut, **PROBLEMS}, auth=OptionalTokenAuth(), summary="Suggest a new place, a change or a deletion")
def suggest(request, payload: schemas.SuggestionIn):
    user = _signed_in(request)
    if user is None:
        ratelimit.check(scope="suggest", key=ratelimit.client_address(request))
    data = payload.data.dict(exclude_unset=True) if payload.data else {}
    common = {"author": user, "email": _valid_email(payload.email) if user is None else "", "language": payload.language, "comment": payload.comment or ""}
    if payload.kind == "create":
        item = services.suggest_only(kind="create", public_id=None, data=data, base_version=None, **common)
    else:
        if not payload.place:
            raise InvalidInput([FieldError("place", "required to change or delete a place")])
        item = services.suggest_only(kind=payload.kind, public_id=payload.place, data=data, base_version=payload.version, **common)
    return accepted_for_review(item)


def _valid_email(value: str | None) -> str:
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(value or "", check_deliverability=False).normalized
    except EmailNotValidError:
        raise InvalidInput([FieldError("email", "a valid e-mail address is required to confirm an anonymous suggestion")]) from None


@router.get("/suggestions/{suggestion_id}", response={200: schemas.SuggestionOut, **PROBLEMS}, summary="The status of a suggestion")
def get_suggestion(request, suggestion_id: str):
    return suggestion_json(selectors.suggestion(suggestion_id))


@router.get("/moderation/queue", response={200: schemas.QueueOut, **PROBLEMS}, auth=TokenAuth(), summary="Suggestions and reports you may decide")
def moderation_queue(request):
    suggestions, reports = selectors.moderation_queue(request.user)
    return {
        "suggestions": [
            {
                "id": s.public_id, "kind": s.kind, "place": s.place.public_id if s.place else None, "base_version": s.base_version,
                "current_version": s.place.version if s.place else None, "author": selectors.display_name(s.author),
                "comment": s.comment, "created_at": s.created_at.isoformat(), "changes": [c.as_dict() for c in selectors.suggestion_diff(s)],
            }
            for s in suggestions
        ],
        "reports": [_report_json(r) for r in reports],
    }


def _report_json(item: Report) -> dict:
    return {
        "id": item.public_id, "place": item.place.public_id, "reason": item.reason,
        "duplicate_of": item.duplicate_of.public_id if item.duplicate_of else None, "comment_html": render_markdown(item.comment),
        "author": selectors.display_name(item.author), "created_at": item.created_at.isoformat(),
    }


@router.post(
    "/suggestions/{suggestion_id}/accept", response={200: schemas.SuggestionOut, **PROBLEMS}, auth=TokenAuth(), summary="Publish a suggestion (moderators)"
)
def accept(request, suggestion_id: str, payload: schemas.DecisionIn):
    item = services.accept_suggestion(public_id=suggestion_id, moderator=request.user, comment=payload.comment, patch=payload.data, version=payload.version)
    return suggestion_json(item)


@router.post(
    "/suggestions/{suggestion_id}/reject", response={200: schemas.SuggestionOut, **PROBLEMS}, auth=TokenAuth(), summary="Refuse a suggestion (moderators)"
)
def reject(request, suggestion_id: str, payload: schemas.DecisionIn):
    return suggestion_json(services.reject_suggestion(public_id=suggestion_id, moderator=request.user, comment=payload.comment))


@router.post(
    "/places/{place_id}/reports",
    response={201: schemas.ReportOut, **PROBLEMS},
    auth=OptionalTokenAuth(),
    summary="Report a place: closed, wrong, duplicate or inappropriate",
)
def report(request, place_id: str, payload: schemas.ReportIn):
    user = _signed_in(request)
    ratelimit.check(scope="report", key=f"user:{user.pk}" if user else ratelimit.client_address(request))
    email = _valid_email(payload.email) if (user is None and payload.email) else ""
    item = services.report_place(
        public_id=place_id, reason=payload.reason, comment=payload.comment, duplicate_of=payload.duplicate_of, author=user, email=email
    )
    return Status(201, {"id": item.public_id, "place": item.place.public_id, "reason": item.reason, "status": item.status})


@router.post("/reports/{report_id}/resolve", response={200: schemas.ReportOut, **PROBLEMS}, auth=TokenAuth(), summary="Close a report (moderators)")
def resolve(request, report_id: str, payload: schemas.ResolveIn):
    item = services.resolve_report(public_id=report_id, moderator=request.user, dismiss=payload.dismiss, comment=payload.comment)
    return {"id": item.public_id, "place": item.place.public_id, "reason": item.reason, "status": item.status}


@router.post(
    "/places/{place_id}/confirm",
    response={200: schemas.ConfirmationOut, **PROBLEMS},
    auth=TokenAuth(),
    summary="Confirm a place is still accurate (maintainers)",
)
def confirm(request, place_id: str):
    done = services.confirm_place(public_id=place_id, user=request.user, via="api")
    return {"place": place_id, "last_confirmed": done.created_at.isoformat(), "confirmed_by": selectors.display_name(done.user)}


@router.get(
    "/places/{place_id}/upkeep", response={200: schemas.UpkeepOut, **PROBLEMS}, summary="When a place was last confirmed, by whom, and who maintains it"
)
def upkeep(request, place_id: str):
    place = selectors.place_by_public_id(place_id)
    last = selectors.last_confirmation(place)
    return {
        "place": place_id,
        "last_confirmed": place.last_confirmed.isoformat() if place.last_confirmed else None,
        "confirmed_by": selectors.display_name(last.user) if last else None,
        "stale": is_stale(
            last_confirmed=place.last_confirmed, created_at=place.created_at, now=timezone.now(), max_age_days=settings.FOODCOMMONS_STALE_AFTER_DAYS
        ),
        "maintainers": [m.organisation.slug for m in place.maintainers.select_related("organisation")],
    }


@router.get(
    "/places/{place_id}/history",
    response={200: list[schemas.HistoryEntryOut], **PROBLEMS},
    summary="Every revision of a place with a field-by-field diff, newest first",
)
def history(request, place_id: str):
    return [{**e.__dict__, "changes": [c.as_dict() for c in e.changes]} for e in selectors.history(place_id)]


@router.get("/organisations", response={200: list[schemas.OrganisationOut], **PROBLEMS}, summary="Organisations")
def list_organisations(request):
    return [{"slug": o.slug, "name": o.name, "description": o.description} for o in selectors.organisations()]


@router.post("/organisations", response={201: schemas.OrganisationOut, **PROBLEMS}, auth=TokenAuth(), summary="Create an organisation (you become its admin)")
def create_organisation(request, payload: schemas.OrganisationIn):
    o = services.create_organisation(slug=payload.slug, name=payload.name, description=payload.description, founder=request.user)
    return Status(201, {"slug": o.slug, "name": o.name, "description": o.description})


@router.post("/organisations/{slug}/members", response={204: None, **PROBLEMS}, auth=TokenAuth(), summary="Add, change or remove a member (admins)")
def set_member(request, slug: str, payload: schemas.MemberIn):
    services.set_member(slug=slug, username=payload.username, role=payload.role, by=request.user)
    return Status(204, None)


@router.post(
    "/organisations/{slug}/places",
    response={204: None, **PROBLEMS},
    auth=TokenAuth(),
    summary="Make the organisation a maintainer of a place, or stop (admins)",
)
def set_maintainer(request, slug: str, payload: schemas.MaintainerIn):
    services.set_maintainer(slug=slug, public_id=payload.place, by=request.user, maintains=payload.maintains)
    return Status(204, None)


def _token_json(record, token: str | None = None) -> dict:
    return {
        "id": record.pk, "name": record.name, "prefix": record.prefix, "can_write": record.can_write, "created_at": record.created_at.isoformat(),
        "last_used_at": record.last_used_at.isoformat() if record.last_used_at else None, "revoked": record.revoked_at is not None, "token": token,
    }


@router.get("/tokens", response={200: list[schemas.TokenOut], **PROBLEMS}, auth=TokenAuth(), summary="Your API tokens")
def list_tokens(request):
    return [_token_json(t) for t in tokens.list_tokens(user=request.user)]


@router.post("/tokens", response={201: schemas.TokenOut, **PROBLEMS}, auth=TokenAuth(), summary="Create an API token (shown once)")
def create_token(request, payload: schemas.TokenIn):
    secret = tokens.create_token(user=request.user, name=payload.name, can_write=payload.can_write)
    return Status(201, _token_json(tokens.list_tokens(user=request.user)[0], secret))


@router.delete("/tokens/{token_id}", response={200: schemas.TokenOut, **PROBLEMS}, auth=TokenAuth(), summary="Revoke one of your API tokens")
def revoke_token(request, token_id: int):
    return _token_json(tokens.revoke_token(user=request.user, token_id=token_id))
