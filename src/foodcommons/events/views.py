"""Pages of events: the list, an event with its registration form, confirmation and cancellation, the organisers' pages."""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from foodcommons.collaboration.models import Membership, Organisation
from foodcommons.collaboration.permissions import Action, Role, allowed
from foodcommons.collaboration.services import Forbidden
from foodcommons.core import spreadsheet
from foodcommons.core.form_errors import show_field_errors
from foodcommons.core.problems import InvalidInput
from foodcommons.events import calendar, selectors, services
from foodcommons.events.forms import EventForm, RegistrationForm
from foodcommons.territories.models import Territory


def _language() -> str:
    return (translation.get_language() or "fr")[:2]


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_list(request):
    """Upcoming events, filtered by territory (with the territories inside it)."""
    code = request.GET.get("territory", "").strip()
    territory = Territory.objects.filter(code=code).first() if code else None
    past = request.GET.get("when") == "past"
    found = selectors.events(territory=territory.code if territory else None, past=past)
    choices = Territory.objects.exclude(level=Territory.Level.COMMUNE).order_by("code")
    return render(request, "events/list.html", {
        "events": found, "territory": territory, "territories": choices, "past": past,
        "work_streams": list(selectors.work_streams()),
        "may_create": bool(_editable_organisations(request.user)) or request.user.is_staff,
    })


def event_page(request, public_id):
    """One event: programme, where, seats left, the registration form and the .ics link."""
    event = selectors.event(public_id)
    form = RegistrationForm(questions=event.questions, signed_in=request.user.is_authenticated)
    return _event_page(request, event, form)


def _event_page(request, event, form, status=200):
    context = {"event": event, "form": form, "seats": selectors.seats(event), "may_manage": selectors.may_manage(request.user, event),
               "jsonld": json.dumps(calendar.jsonld(event, _language()), ensure_ascii=False).replace("</", "<\\/"),
               "where": calendar.location_text(event, _language()), "documents": selectors.documents_after(event)}
    return render(request, "events/event.html", context, status=status)


@require_POST
def register(request, public_id):
    """Register to an event from its page."""
    event = selectors.event(public_id)
    form = RegistrationForm(request.POST, questions=event.questions, signed_in=request.user.is_authenticated)
    if not form.is_valid():
        return _event_page(request, event, form, status=400)
    try:
        registration = services.register(public_id=public_id, user=request.user, email=form.cleaned_data.get("email", ""),
                                         name=form.cleaned_data["name"], answers=form.answers(), language=_language())
    except InvalidInput as problem:
        show_field_errors(form, problem)
        return _event_page(request, event, form, status=400)
    return render(request, "events/registered.html", {"event": event, "registration": registration})


def confirm(request, token):
    """The e-mailed link that confirms a registration."""
    registration = services.confirm_registration(token=token)
    return render(request, "events/registered.html", {"event": registration.event, "registration": registration, "confirmed_now": True})


def cancel(request, token):
    """The cancellation link: a page that asks, and cancels on POST."""
    if request.method == "POST":
        registration = services.cancel_registration(token=token)
        return render(request, "events/cancelled.html", {"event": registration.event, "registration": registration})
    registration = services.registration_of_cancel_link(token)
    return render(request, "events/cancel.html", {"event": registration.event, "registration": registration})


def event_ics(request, public_id):
    """One event as an .ics file."""
    event = selectors.event(public_id)
    return _ics(calendar.calendar([event], name=event.title(_language()), language=_language()), f"{public_id}.ics")


def site_ics(request):
    """Every upcoming event of the site as a calendar feed."""
    return _ics(calendar.calendar(selectors.events(), name=_("Events of foodcommons"), language=_language()), "events.ics")


def organisation_ics(request, slug):
    """The upcoming events of one organisation."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        from django.http import Http404

        raise Http404("No such organisation.")
    return _ics(calendar.calendar(selectors.events(organisation=slug), name=organisation.name, language=_language()), f"{slug}.ics")


def territory_ics(request, code):
    """The upcoming events of a territory and the territories inside it."""
    territory = Territory.objects.filter(code=code).first()
    if territory is None:
        from django.http import Http404

        raise Http404("No such territory.")
    return _ics(calendar.calendar(selectors.events(territory=code), name=territory.name(), language=_language()), f"{code}.ics")


def work_stream_ics(request, slug):
    """The upcoming events of one shared work stream."""
    stream = selectors.work_streams().filter(slug=slug).first()
    if stream is None:
        from django.http import Http404

        raise Http404("No such work stream.")
    return _ics(calendar.calendar(selectors.events(work_stream=slug), name=stream.name(), language=_language()), f"{slug}.ics")


def _editable_organisations(user):
    if not user.is_authenticated:
        return []
    if user.is_staff:
        return list(Organisation.objects.order_by("name"))
    ids = Membership.objects.filter(user=user).values_list("organisation_id", "role")
    return list(Organisation.objects.filter(pk__in=[i for i, role in ids if allowed(Role(role), Action.MANAGE_EVENTS)]).order_by("name"))


def _form_data(form) -> dict:
    data = {k: v for k, v in form.cleaned_data.items() if k != "programme"}
    return data


@login_required
def new_event(request):
    """Create an event, for editors of an organisation."""
    organisations = _editable_organisations(request.user)
    if not organisations and not request.user.is_staff:
        raise Forbidden("Only the editors of an organisation may create its events.")
    form = EventForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(data=_form_data(form), author=request.user)
        except InvalidInput as problem:
            show_field_errors(form, problem)
        else:
            return redirect("events:event", public_id=event.public_id)
    return render(request, "events/form.html", {"form": form, "creating": True}, status=400 if form.errors else 200)


@login_required
def edit_event(request, public_id):
    """Edit an event, for editors of its organisation."""
    event = selectors.event(public_id)
    if not selectors.may_manage(request.user, event):
        raise Forbidden("Only the editors of its organisation may edit this event.")
    organisations = _editable_organisations(request.user)
    if event.organisation and event.organisation not in organisations:
        organisations.append(event.organisation)
    form = EventForm(request.POST or None, organisations=organisations, initial=EventForm.initial_of(event))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(public_id=public_id, data=_form_data(form), author=request.user)
        except InvalidInput as problem:
            show_field_errors(form, problem)
        else:
            return redirect("events:event", public_id=public_id)
    return render(request, "events/form.html", {"form": form, "event": event}, status=400 if form.errors else 200)


@login_required
def participants(request, public_id):
    """The participants of an event, for its organisers; approve or decline those waiting."""
    event = selectors.event(public_id)
    if not selectors.may_manage(request.user, event):
        raise Forbidden("Only the organisers may see the participants.")
    if request.method == "POST":
        services.decide_registration(public_id=request.POST.get("registration", ""), approve=request.POST.get("decision") == "approve", author=request.user)
        return redirect("events:participants", public_id=public_id)
    return render(request, "events/participants.html", {"event": event, "registrations": selectors.registrations(event), "seats": selectors.seats(event)})


@login_required
def participants_csv(request, public_id):
    """The participants of an event as CSV, for its organisers."""
    event = selectors.event(public_id)
    if not selectors.may_manage(request.user, event):
        raise Forbidden("Only the organisers may export the participants.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{public_id}-participants.csv"'
    writer = spreadsheet.writer(response)
    writer.writerow(["name", "email", "status", "registered_at", "language", *event.questions])
    for r in selectors.registrations(event):
        answers = [a.get("answer", "") for a in r.answers]
        writer.writerow([r.name, r.email, r.status, r.created_at.isoformat(), r.language, *answers])
    return response

