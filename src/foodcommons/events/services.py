"""Writes of events: create and edit (organisation editors), register, confirm, cancel, approve, with a waiting list."""

from datetime import datetime, timedelta

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from foodcommons.collaboration.permissions import Action, allowed
from foodcommons.collaboration.services import Forbidden
from foodcommons.core.ids import new_public_id
from foodcommons.core.mail import absolute
from foodcommons.core.problems import FieldError, InvalidInput, NotFound, Problem, problem_type
from foodcommons.events import selectors
from foodcommons.events.domain.registration import Seats, clean_answers, placement, promotions
from foodcommons.events.domain.validation import event_errors
from foodcommons.events.models import Event, Registration, Session
from foodcommons.events.tasks import send_registration_email

CONFIRM_SALT = "events.registration.confirm"
CANCEL_SALT = "events.registration.cancel"
CONFIRM_LINK_DAYS = 7
# The reminder goes to the participants holding a seat this long before the event starts.
REMINDER_BEFORE = timedelta(days=2)
EVENT_COLUMNS = ("title_fr", "title_nl", "title_en", "description_fr", "description_nl", "description_en", "starts_at", "ends_at",
                 "place", "address", "online_url", "organisation", "territory", "capacity", "requires_approval", "questions", "status", "source")
S = Registration.Status


def _user(author):
    return author if getattr(author, "is_authenticated", False) else None


def _require_manager(user, organisation) -> None:
    role = selectors.role_on_event(_user(user), organisation=organisation)
    if not allowed(role, Action.MANAGE_EVENTS):
        raise Forbidden(f"The role '{role}' may not manage the events of this organisation.")


def _check(data: dict) -> None:
    if errors := event_errors(data):
        raise InvalidInput(errors)


def _write_sessions(event: Event, sessions: list[dict]) -> None:
    event.sessions.all().delete()
    Session.objects.bulk_create([
        Session(event=event, starts_at=s["starts_at"], ends_at=s.get("ends_at"),
                title_fr=s.get("title_fr", ""), title_nl=s.get("title_nl", ""), title_en=s.get("title_en", ""))
        for s in sessions
    ])


def _write_links(event: Event, data: dict) -> None:
    """Set the event's work streams and documents when `data` names them (objects or slugs/ids)."""
    if "work_streams" in data:
        model = Event._meta.get_field("work_streams").related_model
        given = list(data["work_streams"] or [])
        slugs = [w for w in given if isinstance(w, str)]
        event.work_streams.set([w for w in given if not isinstance(w, str)] + list(model.objects.filter(slug__in=slugs)))
    if "documents" in data:
        event.documents.set(list(data["documents"] or []))


@transaction.atomic
def create_event(*, data: dict, author, check_role: bool = True) -> Event:
    """Create an event for an organisation whose editor `author` is (the demo loader passes check_role=False)."""
    if check_role:
        _require_manager(author, data.get("organisation"))
    _check(data)
    event = Event.objects.create(public_id=new_public_id(), **{k: data[k] for k in EVENT_COLUMNS if k in data})
    _write_sessions(event, data.get("sessions") or [])
    _write_links(event, data)
    return event


@transaction.atomic
def update_event(*, public_id: str, data: dict, author) -> Event:
    """Change an event's fields (those given); its programme is replaced when `sessions` is given."""
    event = Event.objects.select_for_update().filter(public_id=public_id).first() or selectors.event(public_id)
    _require_manager(author, event.organisation)
    if "organisation" in data and data["organisation"] != event.organisation:
        _require_manager(author, data["organisation"])
    merged = {k: getattr(event, k) for k in EVENT_COLUMNS}
    merged.update({k: v for k, v in data.items() if k in EVENT_COLUMNS})
    sessions = data.get("sessions")
    _check({**merged, "sessions": sessions or []})
    for key, value in merged.items():
        setattr(event, key, value)
    event.save()
    if sessions is not None:
        _write_sessions(event, sessions)
    _write_links(event, data)
    _promote(event)
    return event


def confirm_token(registration: Registration) -> str:
    """Return the token of the link that confirms an anonymous registration."""
    return signing.dumps({"r": registration.public_id}, salt=CONFIRM_SALT)


def cancel_token(registration: Registration) -> str:
    """Return the token of the link that cancels a registration (every e-mail carries it)."""
    return signing.dumps({"r": registration.public_id}, salt=CANCEL_SALT)


def _links(registration: Registration) -> dict:
    return {
        "cancel_link": absolute(reverse("events:cancel", args=[cancel_token(registration)])),
        "event_link": absolute(reverse("events:event", args=[registration.event.public_id])),
    }


def _tell(registration: Registration, template: str, *, extra: dict | None = None) -> None:
    send_registration_email.enqueue(registration_id=registration.public_id, template=template, context={**_links(registration), **(extra or {})})


def _locked_event(public_id: str) -> Event:
    # One writer at a time per event: a row lock on PostgreSQL; on SQLite every write transaction is IMMEDIATE (serialised).
    event = Event.objects.select_for_update().filter(public_id=public_id).first()
    if event is None:
        raise NotFound(f"No event with id '{public_id}'.")
    return event


def _seats(event: Event) -> Seats:
    return Seats(event.capacity, Registration.objects.filter(event=event, status=S.CONFIRMED).count())


def _place(registration: Registration, event: Event, *, approved: bool = False) -> None:
    registration.status = placement(_seats(event), requires_approval=event.requires_approval, approved=approved)
    registration.queued_at = timezone.now()
    registration.save(update_fields=["status", "queued_at"])
    _tell(registration, "events/email/registration_status")


def _promote(event: Event) -> list[Registration]:
    waiting = list(Registration.objects.filter(event=event, status=S.WAITLISTED).order_by("queued_at", "pk"))
    promoted = waiting[: promotions(_seats(event), len(waiting))]
    for registration in promoted:
        registration.status = S.CONFIRMED
        registration.save(update_fields=["status"])
        _tell(registration, "events/email/registration_status", extra={"promoted": True})
    return promoted


def _open(event: Event) -> None:
    if event.status == Event.Status.CANCELLED:
        raise Problem(status=409, title="Event cancelled", detail="This event is cancelled.", kind=problem_type("event-cancelled"))
    if event.ends_at < timezone.now():
        raise Problem(status=409, title="Event over", detail="This event is over.", kind=problem_type("event-over"))


@transaction.atomic
def register(*, public_id: str, user=None, email: str = "", name: str = "", answers: list[str] | None = None, language: str = "fr") -> Registration:
    """Register to an event: at once when signed in, after the e-mailed link otherwise; a seat, the waiting list or approval."""
    event = _locked_event(public_id)
    _open(event)
    user = _user(user)
    email = (user.email if user and not email else email).strip().lower()
    if not email or "@" not in email:
        raise InvalidInput([FieldError("email", "an e-mail address is required")])
    active = Registration.objects.filter(event=event, email=email).exclude(status__in=[S.CANCELLED, S.DECLINED]).first()
    if active is not None:
        if user is None and active.status == S.UNCONFIRMED:
            _tell(active, "events/email/confirm_registration", extra={"confirm_link": _confirm_link(active)})
        return active
    registration = Registration.objects.create(
        public_id=new_public_id(), event=event, user=user, email=email, name=name.strip()[:200], language=(language or "fr")[:2],
        answers=clean_answers(list(event.questions or []), list(answers or [])), status=S.UNCONFIRMED,
    )
    if user is None:
        _tell(registration, "events/email/confirm_registration", extra={"confirm_link": _confirm_link(registration)})
    else:
        _place(registration, event)
    return registration


def _confirm_link(registration: Registration) -> str:
    return absolute(reverse("events:confirm", args=[confirm_token(registration)]))


def _from_token(token: str, salt: str, max_age: int | None) -> str:
    try:
        return signing.loads(token, salt=salt, max_age=max_age)["r"]
    except (signing.BadSignature, KeyError, TypeError):
        raise InvalidInput([FieldError("token", "this link is invalid or has expired")]) from None


@transaction.atomic
def confirm_registration(*, token: str) -> Registration:
    """Confirm an anonymous registration by its e-mailed link: it then takes a seat, waits, or waits for approval."""
    public_id = _from_token(token, CONFIRM_SALT, CONFIRM_LINK_DAYS * 86400)
    event = _locked_event(selectors.registration(public_id).event.public_id)
    registration = Registration.objects.get(public_id=public_id)
    if registration.status == S.UNCONFIRMED:
        _open(event)
        _place(registration, event)
    registration.event = event
    return registration


@transaction.atomic
def cancel_registration(*, token: str) -> Registration:
    """Cancel a registration by its link; the first of the waiting list takes the seat freed."""
    public_id = _from_token(token, CANCEL_SALT, None)
    event = _locked_event(selectors.registration(public_id).event.public_id)
    registration = Registration.objects.get(public_id=public_id)
    if registration.status not in (S.CANCELLED, S.DECLINED):
        registration.status = S.CANCELLED
        registration.save(update_fields=["status"])
        _tell(registration, "events/email/registration_cancelled")
        _promote(event)
    registration.event = event
    return registration


@transaction.atomic
def decide_registration(*, public_id: str, approve: bool, author) -> Registration:
    """Approve (a seat or the waiting list) or decline a registration waiting for the organisers."""
    event = _locked_event(selectors.registration(public_id).event.public_id)
    _require_manager(author, event.organisation)
    registration = Registration.objects.get(public_id=public_id)
    if registration.status != S.PENDING:
        raise Problem(status=409, title="Already decided", detail=f"This registration is {registration.status}.", kind=problem_type("already-decided"))
    if approve:
        _place(registration, event, approved=True)
    else:
        registration.status = S.DECLINED
        registration.save(update_fields=["status"])
        _tell(registration, "events/email/registration_status")
    return registration


def registration_of_cancel_link(token: str) -> Registration:
    """Return the registration a cancellation link names (the page asks before cancelling)."""
    return selectors.registration(_from_token(token, CANCEL_SALT, None))


def send_reminders(*, now: datetime | None = None) -> int:
    """E-mail each confirmed participant of an event starting within REMINDER_BEFORE, once, with the cancellation link; return how many."""
    now = now or timezone.now()
    due = Registration.objects.filter(status=S.CONFIRMED, reminded_at__isnull=True, event__status=Event.Status.PUBLISHED,
                                      event__starts_at__gt=now, event__starts_at__lte=now + REMINDER_BEFORE).select_related("event")
    sent = 0
    for registration in due:
        # Claimed by one update: two jobs running at once still send each reminder once.
        if Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(reminded_at=now):
            _tell(registration, "events/email/reminder")
            sent += 1
    return sent
