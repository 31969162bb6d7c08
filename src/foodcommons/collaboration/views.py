"""Pages of contributions, history, upkeep, moderation and organisations (thin: validate, call one service, render).

A Problem a service raises becomes its page through web.middleware.ProblemPageMiddleware; the views catch only
those they answer otherwise: field errors shown on the form, a conflict shown as both versions to merge.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from foodcommons.collaboration import forms, selectors, services
from foodcommons.collaboration.domain.text import render_markdown
from foodcommons.collaboration.domain.upkeep import is_stale
from foodcommons.collaboration.permissions import Action, allowed
from foodcommons.core import ratelimit
from foodcommons.core.form_errors import show_field_errors
from foodcommons.core.problems import FieldError, InvalidInput, Problem, VersionConflict
from foodcommons.places.domain.privacy import private_keys, published_state


def _user(request):
    return request.user if request.user.is_authenticated else None


def _check_limit(request, scope: str, refusal: str) -> None:
    """Count one more attempt of the visitor in `scope`; over the limit, raise 429 with `refusal` as the page's words."""
    key = f"user:{request.user.pk}" if request.user.is_authenticated else ratelimit.client_address(request)
    try:
        ratelimit.check(scope=scope, key=key)
    except Problem as refused:
        raise Problem(status=429, title=refusal) from refused


def _after_write(request, outcome):
    if outcome.suggestion is not None:
        return render(request, "collaboration/suggested.html", {"suggestion": outcome.suggestion}, status=202)
    messages.success(request, _("Published."))
    return redirect("collaboration:history", outcome.result.place.public_id)


def new_place(request):
    """Suggest or add a place, after a look at similar places nearby."""
    anonymous = not request.user.is_authenticated
    form = forms.PlaceForm(request.POST or None, anonymous=anonymous, require_point=True, initial=_point_from_query(request.GET))
    similar = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        similar = selectors.similar_places(name=" ".join(filter(None, [data["name_fr"], data["name_nl"], data["name_en"]])), lon=data["lon"], lat=data["lat"])
        if not similar or request.POST.get("not_a_duplicate"):
            if anonymous:
                _check_limit(request, "suggest", _("Too many suggestions; try again later."))
            try:
                outcome = services.create_or_suggest(
                    data=forms.place_data(data), author=_user(request), email=data.get("email", ""), language=get_language(), comment=data["comment"]
                )
            except InvalidInput as problem:
                show_field_errors(form, problem)
            else:
                return _after_write(request, outcome)
    return render(request, "collaboration/place_form.html", {"form": form, "similar": similar, "creating": True, "form_strings": _form_strings()})


def _point_from_query(query) -> dict:
    """Return the point a link gives (the map's "add a place here"), when it is one."""
    try:
        lon, lat = float(query.get("lon", "")), float(query.get("lat", ""))
    except ValueError:
        return {}
    return {"lon": round(lon, 6), "lat": round(lat, 6)} if -180 <= lon <= 180 and -90 <= lat <= 90 else {}


def _form_strings() -> dict:
    """Return the words of the form's map and helpers, for its script (in the page's language)."""
    from django.conf import settings
    from django.urls import reverse

    return {
        "language": (get_language() or "fr")[:2], "tileUrl": settings.FOODCOMMONS_TILE_URL, "tileAttribution": settings.FOODCOMMONS_TILE_ATTRIBUTION,
        "geocodeUrl": reverse("web:geocode"), "boundariesUrl": reverse("web:boundaries"), "twoFingers": _("Use two fingers to move the map"),
        "searching": _("Searching…"), "notFound": _("Nothing found for this address, postcode or commune."),
        "approximate": _("Approximate position (%(label)s): drag the pin onto the place."), "exact": _("Found: %(label)s. Check the pin."),
        "moved": _("Pin placed by you."), "locating": _("Looking for your position…"), "noPosition": _("Your position is not available."),
        "pinLabel": _("The place (drag to move)"), "zoomInTitle": _("Zoom in"), "zoomOutTitle": _("Zoom out"),
        "days": [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")],
        "hoursFrom": _("from"), "hoursTo": _("to"), "hoursAnd": _("and"), "hoursWords": _("In words:"),
        "hoursInvalid": _("Choose at least one day and a closing time after the opening time."),
    }


def edit_place(request, place_id: str):
    """Change a place, or suggest the change; on a conflict, show both versions to merge."""
    place = selectors.place_by_public_id(place_id)
    current = selectors.current_state(place)
    anonymous = not request.user.is_authenticated
    form = forms.PlaceForm(request.POST or None, anonymous=anonymous, initial=forms.initial_from_state(current))
    context = {"form": form, "place": place, "creating": False, "form_strings": _form_strings()}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if anonymous:
            _check_limit(request, "suggest", _("Too many suggestions; try again later."))
        base = data["version"] or place.version
        based_on = selectors.revision_state(place, base) or current
        try:
            outcome = services.update_or_suggest(public_id=place_id, patch=forms.place_data(data, based_on), base_version=base, author=_user(request),
                                                 email=data.get("email", ""), language=get_language(), comment=data["comment"])
        except VersionConflict as problem:
            return _conflict(request, form, place, problem.extra["current"], data)
        except InvalidInput as problem:
            show_field_errors(form, problem)
        else:
            return _after_write(request, outcome)
    return render(request, "collaboration/place_form.html", context)


def _conflict(request, form, place, current: dict, mine: dict):
    theirs = forms.initial_from_state(published_state(current, private_keys(current.get("contacts"))))
    rows = [(form.fields[f].label, mine.get(f), theirs.get(f)) for f in forms.public_fields()]
    merged = forms.PlaceForm(initial={**mine, "version": current["version"]}, anonymous=not request.user.is_authenticated)
    return render(request, "collaboration/conflict.html", {"place": place, "rows": rows, "form": merged, "current_version": current["version"]}, status=409)


def report_place(request, place_id: str):
    """Report a place as closed, wrong, a duplicate or inappropriate."""
    place = selectors.place_by_public_id(place_id)
    form = forms.ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _check_limit(request, "report", _("Too many reports; try again later."))
        try:
            services.report_place(public_id=place_id, author=_user(request), language=get_language(), **form.cleaned_data)
        except InvalidInput as problem:
            show_field_errors(form, problem)
        else:
            messages.success(request, _("Thank you: the maintainers of this place will look at your report."))
            return redirect("collaboration:history", place_id)
    return render(request, "collaboration/report_form.html", {"form": form, "place": place})


def history(request, place_id: str):
    """Every revision of a place with its diff, when it was last confirmed, and what the visitor may do."""
    import datetime

    from foodcommons.collaboration.history_words import readable_changes, who_and_why

    place = selectors.place_by_public_id(place_id)
    language = (get_language() or "fr")[:2]
    entries = [
        {"version": e.version, "action": e.action, "action_label": e.action_label, "author": e.author,
         "created": datetime.datetime.fromisoformat(e.created_at).replace(microsecond=0), **who_and_why(e.author, e.comment),
         "changes": readable_changes(e.changes, language)}
        for e in selectors.history(place_id)
    ]
    role = selectors.role_on_place(_user(request), place)
    last = selectors.last_confirmation(place)
    from django.conf import settings

    return render(
        request,
        "collaboration/history.html",
        {
            "place": place,
            "entries": entries,
            "last": last,
            "confirmed_by": selectors.display_name(last.user) if last else None,
            "stale": is_stale(
                last_confirmed=place.last_confirmed, created_at=place.created_at, now=timezone.now(), max_age_days=settings.FOODCOMMONS_STALE_AFTER_DAYS
            ),
            "can_revert": allowed(role, Action.REVERT_PLACE),
            "can_confirm": allowed(role, Action.CONFIRM_PLACE),
            "maintainers": [m.organisation for m in place.maintainers.select_related("organisation")],
        },
    )


def _number(data, name: str) -> int:
    try:
        return int(data.get(name, 0))
    except ValueError:
        raise InvalidInput([FieldError(name, "expected an integer")]) from None


@require_POST
def revert_place(request, place_id: str):
    """Make an older revision current again (moderators), once asked to confirm (a page, so that it works without JavaScript)."""
    if request.POST.get("confirmed") != "1":
        place = selectors.place_by_public_id(place_id)
        version = _number(request.POST, "to_version")
        return render(request, "web/confirm_action.html", {
            "question": _("Revert %(place)s to version %(version)s?") % {"place": place.display_name(), "version": version},
            "explanation": _("Its current values are replaced by those of that version; the change is recorded in the history and can itself be reverted."),
            "action": request.path, "button": _("Yes, revert"), "cancel": f"/places/{place_id}/history#v{version}",
            "fields": [("to_version", version), ("version", _number(request.POST, "version")), ("comment", request.POST.get("comment", "")[:500])],
        })
    services.revert(public_id=place_id, to_version=_number(request.POST, "to_version"), base_version=_number(request.POST, "version"),
                    author=_user(request), comment=request.POST.get("comment", "")[:500])
    messages.success(request, _("Reverted."))
    return redirect("collaboration:history", place_id)


def confirm_place(request, place_id: str):
    """Confirm a place is still accurate: by a logged-in maintainer, or from a signed e-mail link."""
    token = request.GET.get("token") or request.POST.get("token")
    if request.method != "POST":
        # A GET only shows the button: mail scanners that open links must not confirm anything.
        return render(request, "collaboration/confirm.html", {"place_id": place_id, "token": token})
    if token:
        done = services.confirm_place_by_link(token=token)
        if done.place.public_id != place_id:
            raise InvalidInput([])
    else:
        services.confirm_place(public_id=place_id, user=_user(request), via="web")
    messages.success(request, _("Thank you: the place is confirmed as still accurate."))
    return redirect("collaboration:history", place_id)


def confirm_link(request, token: str):
    """The one-click link of a reminder e-mail, for any place: resolves to the confirm page."""
    from django.core import signing

    try:
        data = signing.loads(token, salt=services.CONFIRM_PLACE_SALT, max_age=services.CONFIRM_LINK_DAYS * 86400)
        place = selectors.Place.objects.get(pk=data["p"])
    except (signing.BadSignature, selectors.Place.DoesNotExist):
        raise Problem(status=400, title=_("This confirmation link is invalid or has expired.")) from None
    return render(request, "collaboration/confirm.html", {"place_id": place.public_id, "token": token, "place": place})


def confirm_suggestion(request, token: str):
    """Confirm an anonymous suggestion from the e-mail link (a button, so that link scanners confirm nothing)."""
    if request.method != "POST":
        return render(request, "collaboration/confirm_suggestion.html", {"token": token})
    item = services.confirm_suggestion(token=token)
    return render(request, "collaboration/suggested.html", {"suggestion": item, "confirmed": True})


@login_required
def moderation_queue(request):
    """Suggestions and reports the moderator may decide."""
    if not selectors.may_moderate_somewhere(request.user):
        # Not an empty queue: it would read as "nothing to do" to someone who may never see anything here.
        return render(request, "collaboration/not_a_moderator.html", status=403)
    suggestions, reports = selectors.moderation_queue(request.user)
    groups = [(g, [render_markdown(c) for c in g.comments]) for g in selectors.report_groups(reports)]
    return render(request, "collaboration/queue.html", {"suggestions": suggestions, "reports": groups})


@login_required
def moderate_suggestion(request, suggestion_id: str):
    """One suggestion with its diff; accept or reject with a comment."""
    item = selectors.suggestion(suggestion_id)
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accepting = form.cleaned_data["decision"] == "accept"
        if accepting and item.kind == item.Kind.DELETE and request.POST.get("confirmed") != "1":
            return render(request, "web/confirm_action.html", {
                "question": _("Delete %(place)s?") % {"place": item.place.display_name()},
                "explanation": _("The place leaves the map, the directory and the open data; its history stays and a moderator can restore it."),
                "action": request.path, "button": _("Yes, delete"), "cancel": request.path,
                "fields": [("decision", "accept"), ("comment", form.cleaned_data["comment"])],
            })
        decide = services.accept_suggestion if accepting else services.reject_suggestion
        try:
            decide(public_id=suggestion_id, moderator=request.user, comment=form.cleaned_data["comment"])
        except VersionConflict:
            messages.error(request, _("The place changed since this suggestion was made: edit the place to merge it by hand, then reject the suggestion."))
        else:
            messages.success(request, _("Decision recorded; the contributor is told by e-mail."))
            return redirect("collaboration:moderation")
    return render(request, "collaboration/suggestion.html", {"item": item, "changes": selectors.suggestion_diff(item), "form": form,
                                                             "author": selectors.display_name(item.author), "points": _suggestion_points(item)})


def _suggestion_points(item) -> dict | None:
    """Return the suggested point and the place's current one, for the moderator's small map (None without a point)."""
    from django.conf import settings

    def point(geometry):
        geometry = geometry or {}
        return geometry["coordinates"][:2] if geometry.get("type") == "Point" else None

    now = point(selectors.current_state(item.place).get("geometry")) if item.place is not None and not item.place.deleted_at else None
    suggested = point((item.payload or {}).get("geometry")) if "geometry" in (item.payload or {}) else now
    if suggested is None and now is None:
        return None
    return {"suggested": suggested, "now": now if now != suggested else None, "tileUrl": settings.FOODCOMMONS_TILE_URL,
            "tileAttribution": settings.FOODCOMMONS_TILE_ATTRIBUTION, "suggestedLabel": _("Suggested point"), "nowLabel": _("Point now"),
            "zoomInTitle": _("Zoom in"), "zoomOutTitle": _("Zoom out")}


@login_required
@require_POST
def resolve_report(request, report_id: str):
    """Close a report as handled or dismissed."""
    services.resolve_report(
        public_id=report_id, moderator=request.user, dismiss=request.POST.get("dismiss") == "1", comment=request.POST.get("comment", "")[:500]
    )
    return redirect("collaboration:moderation")


@login_required
@require_POST
def close_reported_place(request, report_id: str):
    """One click on a "the place is closed" report: the place becomes closed and the report handled."""
    item = services.close_reported_place(public_id=report_id, moderator=request.user, comment=request.POST.get("comment", "")[:500])
    messages.success(request, _("%(place)s is now marked as closed.") % {"place": item.place.display_name()})
    return redirect("collaboration:moderation")


def organisations(request):
    """Organisations, and a form to found one."""
    form = forms.OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.create_organisation(founder=_user(request), **form.cleaned_data)
        except InvalidInput as problem:
            show_field_errors(form, problem)
        else:
            return redirect("collaboration:organisation", organisation.slug)
    return render(request, "collaboration/organisations.html", {"organisations": selectors.organisations(), "form": form})


def organisation(request, slug: str):
    """An organisation: its members, the places it maintains, and (for admins) forms to manage them."""
    found = selectors.organisation(slug)
    member_form = forms.MemberForm(request.POST if "username" in request.POST else None)
    place_form = forms.MaintainerForm(request.POST if "place" in request.POST else None)
    if request.method == "POST":
        try:
            if member_form.is_valid():
                services.set_member(slug=slug, username=member_form.cleaned_data["username"], role=member_form.cleaned_data["role"] or None, by=_user(request))
            elif place_form.is_valid():
                services.set_maintainer(slug=slug, public_id=place_form.cleaned_data["place"], by=_user(request))
        except InvalidInput as problem:
            show_field_errors(member_form if member_form.is_bound else place_form, problem)
        else:
            return redirect("collaboration:organisation", slug)
    can_manage = allowed(selectors.role_in_organisation(_user(request), found), Action.MANAGE_MEMBERS)
    return render(request, "collaboration/organisation.html", {
        "organisation": found, "can_manage": can_manage, "member_form": member_form, "place_form": place_form,
        "members": found.memberships.select_related("user").order_by("user__username"),
        "places": [m.place for m in found.maintained.select_related("place").order_by("place__name_fr")],
    })
