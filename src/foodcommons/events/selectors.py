"""Reads of events: upcoming ones by territory or organisation, one event with its programme, seats, participants."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from foodcommons.collaboration.permissions import Action, Role, allowed, role_for
from foodcommons.collaboration.selectors import role_in_organisation
from foodcommons.core.problems import NotFound
from foodcommons.events.domain.registration import Seats
from foodcommons.events.models import Event, Registration
from foodcommons.territories.selectors import ancestors_of, commune_codes_within

_RELATIONS = ("place", "organisation", "territory")


def _events() -> QuerySet:
    return Event.objects.select_related(*_RELATIONS).prefetch_related("sessions", "work_streams").annotate(
        taken=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED))
    )


def territory_codes_within(code: str) -> list[str]:
    """Return `code` and every territory inside it (provinces, arrondissements, communes)."""
    communes = commune_codes_within(code)
    codes = {code, *communes}
    for commune in communes:
        for ancestor in ancestors_of(commune):
            codes.add(ancestor)
            if ancestor == code:
                break
    return sorted(codes - set(ancestors_of(code)))


def events(*, territory: str | None = None, organisation: str | None = None, work_stream: str | None = None, upcoming: bool = True, past: bool = False,
           include_cancelled: bool = True) -> list[Event]:
    """Return events (upcoming by default, or past ones, latest first), of a territory including its sub-territories, or of an organisation."""
    found = _events()
    if past:
        found = found.filter(ends_at__lt=timezone.now())
        upcoming = False
    elif upcoming:
        found = found.filter(ends_at__gte=timezone.now())
    if territory:
        found = found.filter(territory_id__in=territory_codes_within(territory))
    if organisation:
        found = found.filter(organisation__slug=organisation)
    if work_stream:
        found = found.filter(work_streams__slug=work_stream)
    if not include_cancelled:
        found = found.exclude(status=Event.Status.CANCELLED)
    return list(found.order_by("-starts_at", "-pk") if past else found.order_by("starts_at", "pk"))


def work_streams():
    """Return the shared work streams (the model through the relation: knowledge is a sibling app)."""
    return Event._meta.get_field("work_streams").related_model.objects.all()


def documents_after(event: Event) -> list:
    """Return the documents of the library linked to an event (minutes, harvest of results), newest first."""
    return list(event.documents.order_by("-published_on", "-created_at"))


def event(public_id: str) -> Event:
    """Return one event with its programme and seats taken, or raise NotFound."""
    found = _events().filter(public_id=public_id).first()
    if found is None:
        raise NotFound(f"No event with id '{public_id}'.")
    return found


def seats(event: Event) -> Seats:
    """Return the capacity and the seats taken of an event."""
    taken = getattr(event, "taken", None)
    if taken is None:
        taken = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
    return Seats(event.capacity, taken)


def role_on_event(user, *, organisation) -> Role:
    """Return the role of `user` towards the events of `organisation` (None: platform events, staff only)."""
    authenticated = bool(user is not None and user.is_authenticated)
    if organisation is None:
        return role_for(authenticated=authenticated, platform_moderator=authenticated and user.is_staff)
    return role_in_organisation(user, organisation)


def may_manage(user, event: Event) -> bool:
    """Tell whether `user` may edit this event and see its participants."""
    return allowed(role_on_event(user, organisation=event.organisation), Action.MANAGE_EVENTS)


def registrations(event: Event) -> list[Registration]:
    """Return the registrations of an event, in the order they came."""
    return list(event.registrations.select_related("user").order_by("created_at", "pk"))


def registration(public_id: str) -> Registration:
    """Return one registration with its event, or raise NotFound."""
    found = Registration.objects.select_related("event").filter(public_id=public_id).first()
    if found is None:
        raise NotFound(f"No registration with id '{public_id}'.")
    return found
