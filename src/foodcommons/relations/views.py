"""Pages of relations: the published grid, the declaration form of a place's facts, the comparison of short chains,
food aid open now."""

import datetime
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from foodcommons.collaboration import selectors as collaboration
from foodcommons.collaboration.permissions import Action, allowed
from foodcommons.core.form_errors import show_field_errors
from foodcommons.core.mail import absolute
from foodcommons.core.problems import InvalidInput, NotFound, Problem, VersionConflict
from foodcommons.relations import foodaid, land, selectors, services
from foodcommons.relations.domain.foodaid import CLOSURE_REASONS, note_in
from foodcommons.relations.domain.grid import BY_KEY, CRITERIA, GRID_DATE, GRID_VERSION, skos_scheme, text_in
from foodcommons.relations.domain.land import STAGES, OutlineError, current_stage, stage_label
from foodcommons.relations.forms import ClosuresForm, DrawnFieldForm, RelationForm, initial_from_facts, outline_message
from foodcommons.territories.models import Territory

DEFAULT_COMPARED = ("chain", "price_setter", "commitment", "direct_contact")
BRUSSELS = "04000"


def _language() -> str:
    return (translation.get_language() or "fr")[:2]


@require_safe
def criteria(request):
    """The grid of relation criteria with the meaning of each criterion and value, in the page's language."""
    language = _language()
    rows = [{"key": c.key, "label": text_in(c.label, language), "meaning": text_in(c.meaning, language),
             "values": [{"code": v.code, "label": text_in(v.label, language), "sentence": text_in(v.sentence, language)} for v in c.values]}
            for c in CRITERIA]
    return render(request, "relations/criteria.html", {"criteria": rows, "version": GRID_VERSION, "date": GRID_DATE})


@require_safe
def criteria_skos(request):
    """The grid as a SKOS concept scheme in JSON-LD."""
    body = json.dumps(skos_scheme(absolute("/")), ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type="application/ld+json; charset=utf-8")


def _place(public_id: str):
    try:
        place = collaboration.place_by_public_id(public_id)
    except NotFound:
        raise Http404("no such place") from None
    if place.is_deleted or not selectors.is_short_chain(place):
        raise Http404("no relation profile")
    return place


def declare(request, public_id: str):
    """Declare the relation facts of a short-chain place: published for its team, a suggestion for anyone else."""
    place = _place(public_id)
    role = collaboration.role_on_place(request.user if request.user.is_authenticated else None, place)
    team = allowed(role, Action.EDIT_PLACE)
    anonymous = not request.user.is_authenticated
    context = {"place": place, "name": place.display_name(_language()), "team": team}
    if request.method != "POST":
        form = RelationForm(initial=initial_from_facts(selectors.current_facts(place), place.version), anonymous=anonymous)
        return render(request, "relations/declare.html", {**context, "form": form})
    form = RelationForm(request.POST, anonymous=anonymous)
    if not form.is_valid():
        return render(request, "relations/declare.html", {**context, "form": form}, status=400)
    try:
        outcome = services.declare_facts(public_id=public_id, declarations=form.declarations(), base_version=form.cleaned_data["version"],
                                         author=request.user, email=form.cleaned_data.get("email", ""), language=_language(),
                                         comment=form.cleaned_data.get("comment", ""))
    except VersionConflict:
        form = RelationForm(initial=initial_from_facts(selectors.current_facts(place), place.version), anonymous=anonymous)
        return render(request, "relations/declare.html", {**context, "form": form, "conflict": True}, status=409)
    except InvalidInput as problem:
        show_field_errors(form, problem)
        return render(request, "relations/declare.html", {**context, "form": form}, status=400)
    if outcome.suggestion is not None:
        return render(request, "relations/declare.html", {**context, "form": None, "suggested": True})
    return redirect(f"/places/{public_id}#relations")


def _compared_criteria(request) -> list[str]:
    chosen = [k for k in request.GET.getlist("criteria") if k in BY_KEY]
    return chosen or list(DEFAULT_COMPARED)


@require_safe
def compare(request):
    """The short chains of a territory side by side on the chosen criteria, with no score."""
    language = _language()
    code = request.GET.get("territory", "").strip() or BRUSSELS
    territory = Territory.objects.filter(code=code).first()
    chosen = _compared_criteria(request)
    options = [{"key": c.key, "label": text_in(c.label, language), "checked": c.key in chosen} for c in CRITERIA]
    territories = Territory.objects.exclude(level=Territory.Level.COMMUNE).order_by("code")
    context = {"territory": territory, "code": code, "options": options, "territories": territories,
               "columns": [text_in(BY_KEY[k].label, language) for k in chosen]}
    if territory is None:
        return render(request, "relations/compare.html", {**context, "rows": [], "unknown_territory": True}, status=404)
    try:
        rows, total = selectors.compared_chains(territory=code, criteria=chosen, language=language)
    except Problem as problem:
        return render(request, "relations/compare.html", {**context, "rows": [], "error": problem.as_dict()}, status=problem.status)
    return render(request, "relations/compare.html", {**context, "rows": rows, "total": total, "limit": selectors.COMPARE_LIMIT})


@require_safe
def food_aid_now(request):
    """Food aid open now in a territory, without referral unless asked otherwise: short, for a phone and a hurry."""
    language = _language()
    code = request.GET.get("territory", "").strip() or BRUSSELS
    territory = Territory.objects.filter(code=code).first()
    without_referral = request.GET.get("referral") != "any"
    territories = Territory.objects.exclude(level=Territory.Level.COMMUNE).order_by("code")
    context = {"territory": territory, "code": code, "territories": territories, "without_referral": without_referral}
    if territory is None:
        return render(request, "relations/food_aid_now.html", {**context, "places": [], "unknown_territory": True}, status=404)
    places = foodaid.food_aid_open_now(territory=code, without_referral=without_referral)
    rows = [{"place": p, "name": p.display_name(language), "card": foodaid.access_card(p, language)} for p in places]
    return render(request, "relations/food_aid_now.html", {**context, "rows": rows})


def _field_row(place, language: str) -> dict:
    attributes = place.attributes or {}
    stage = current_stage(attributes.get("land_stages"))
    return {"place": place, "name": place.display_name(language), "surface": attributes.get("surface_ha"),
            "stage": stage_label(stage["stage"], language) if stage else "", "since": stage["from"] if stage else "",
            "until": (stage or {}).get("to", "")}


def _draw_form(language: str, data=None) -> DrawnFieldForm:
    return DrawnFieldForm(data, threats=land.threat_choices(language), stages=[(k, stage_label(k, language)) for k in STAGES])


def _food_aid_place(public_id: str):
    try:
        place = collaboration.place_by_public_id(public_id)
    except NotFound:
        raise Http404("no such place") from None
    if place.is_deleted or not foodaid.is_food_aid(place):
        raise Http404("not a food-aid place")
    return place


def _closures_form(place, language: str, data=None) -> ClosuresForm:
    existing = (place.attributes or {}).get("temporary_closures") or []
    reasons = [(code, capfirst(text_in(words, language))) for code, words in CLOSURE_REASONS.items()]
    return ClosuresForm(data, initial={"version": place.version}, reasons=reasons, existing=existing)


def _closures_context(place, language: str, form: ClosuresForm, team: bool) -> dict:
    today = timezone.localdate().isoformat()
    rows = [{"closure": c, "start": datetime.date.fromisoformat(c["from"]), "end": datetime.date.fromisoformat(c["to"]),
             "reason": text_in(CLOSURE_REASONS.get(c["reason"], CLOSURE_REASONS["other"]), language), "note": note_in(c.get("note"), language),
             "past": c["to"] < today, "remove": box} for c, box in form.kept_rows()]
    return {"place": place, "name": place.display_name(language), "form": form, "rows": rows, "team": team}


def closures(request, public_id: str):
    """The dated temporary closures of a food-aid place (holidays, no stock): its team publishes, others suggest."""
    place = _food_aid_place(public_id)
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login?next={request.path}")
    language = _language()
    team = allowed(collaboration.role_on_place(request.user, place), Action.EDIT_PLACE)
    if request.method != "POST":
        return render(request, "relations/closures.html", _closures_context(place, language, _closures_form(place, language), team))
    form = _closures_form(place, language, request.POST)
    if not form.is_valid():
        return render(request, "relations/closures.html", _closures_context(place, language, form, team), status=400)
    try:
        outcome = services.set_closures(public_id=public_id, closures=form.closures(), base_version=form.cleaned_data["version"],
                                        author=request.user, language=language, comment=form.cleaned_data.get("comment", ""))
    except VersionConflict:
        place = _food_aid_place(public_id)
        context = _closures_context(place, language, _closures_form(place, language), team)
        return render(request, "relations/closures.html", {**context, "conflict": True}, status=409)
    except InvalidInput as problem:
        show_field_errors(form, problem)
        return render(request, "relations/closures.html", _closures_context(place, language, form, team), status=400)
    if outcome.suggestion is not None:
        return render(request, "relations/closures.html", {**_closures_context(place, language, form, team), "suggested": True})
    return redirect(f"/places/{public_id}#food-aid-access")


def _land_context(language: str, draw_form: DrawnFieldForm | None = None) -> dict:
    names = {t.code: t.name(language) for t in Territory.objects.filter(level=Territory.Level.COMMUNE)}
    totals = [{**row, "name": names.get(row["commune"], row["commune"] or "—")} for row in land.land_totals()]
    fields = [_field_row(place, language) for place in land.threatened_fields()[:land.LIST_LIMIT]]
    return {"totals": totals, "fields": fields, "threats": land.threat_choices(language), "stages": [(k, stage_label(k, language)) for k in STAGES],
            "draw_form": draw_form or _draw_form(language), "drawing_tool": bool(finders.find("geoman/leaflet-geoman.min.js")),
            "tile_url": settings.FOODCOMMONS_TILE_URL, "tile_attribution": settings.FOODCOMMONS_TILE_ATTRIBUTION,
            "land_strings": _land_strings(language)}


def _land_strings(language: str) -> dict:
    return {"language": language, "since": _("since %(day)s"), "until": _("until %(day)s"), "none": _("No threatened field is reported yet."),
            "drawing": _("Tap or click each corner of the field; finish on the first corner or with “Finish the outline”."),
            "drawn": _("Outline drawn: %(count)s corners. Check the details below and report the field."),
            "typed": _("The corners you typed are shown on the map."), "cleared": _("Outline removed: draw it again."),
            "twoFingers": _("Use two fingers to move the map"), "zoomInTitle": _("Zoom in"), "zoomOutTitle": _("Zoom out"),
            "closePopup": _("Close")}


def land_layer(request):
    """Farmland under threat: the fields on a map with their stage, per-commune totals, and for signed-in people a
    drawing form and an upload form."""
    language = _language()
    context = _land_context(language)
    if request.method != "POST":
        return render(request, "relations/land.html", context)
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login?next={request.path}")
    upload = request.FILES.get("file")
    stage = request.POST.get("stage", "")
    stages = [{"stage": stage, "from": request.POST.get("stage_from", "")}] if stage else []
    try:
        outcomes = land.import_land(filename=upload.name if upload else "", content=upload.read() if upload else b"",
                                    threat=request.POST.get("threat", "other"), stages=stages,
                                    reference_link=request.POST.get("reference_link", "").strip(), author=request.user)
    except InvalidInput as problem:
        return render(request, "relations/land.html", {**context, "errors": [e.reason for e in problem.errors]}, status=400)
    done = {"published": sum(o.result is not None for o in outcomes), "suggested": sum(o.suggestion is not None for o in outcomes)}
    return render(request, "relations/land.html", {**_land_context(language), "done": done})


def land_draw(request):
    """Report one field drawn on the map (or typed corner by corner): published for editors, a suggestion otherwise."""
    if request.method != "POST":
        return redirect("/land/#draw")
    if not request.user.is_authenticated:
        return redirect("/accounts/login?next=/land/")
    language = _language()
    form = _draw_form(language, request.POST)
    if not form.is_valid():
        return render(request, "relations/land.html", _land_context(language, form), status=400)
    cleaned = form.cleaned_data
    try:
        outcome = land.draw_field(outline=cleaned["outline"], name=cleaned["name"].strip() or _("Threatened field"), language=language,
                                  threat=cleaned["threat"], stages=form.stages(), permit_reference=cleaned["permit_reference"],
                                  reference_link=cleaned["reference_link"], followed_by=cleaned["followed_by"], author=request.user)
    except OutlineError as error:
        form.add_error("outline", outline_message(error.code, error.line))
        return render(request, "relations/land.html", _land_context(language, form), status=400)
    except InvalidInput as problem:
        show_field_errors(form, problem)
        return render(request, "relations/land.html", _land_context(language, form), status=400)
    if outcome.suggestion is not None:
        return render(request, "relations/land.html", {**_land_context(language), "drawn_suggested": True})
    return redirect(f"/places/{outcome.result.place.public_id}")


@require_safe
def land_fields_geojson(request):
    """The threatened fields as GeoJSON for the land map: outline, name, surface and current stage in the page's language."""
    language = _language()
    features = []
    for place in land.threatened_fields()[:land.LIST_LIMIT]:
        geometry = place.geometry()
        if not geometry:
            continue
        row = _field_row(place, language)
        features.append({"type": "Feature", "geometry": geometry, "properties": {
            "id": place.public_id, "name": row["name"], "surface_ha": row["surface"], "stage": row["stage"],
            "since": row["since"], "until": row["until"]}})
    return JsonResponse({"type": "FeatureCollection", "features": features})
