"""Server-rendered pages of the public map and directory, and the map's JSON endpoints."""

import zipfile
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from foodcommons.core.problems import NotFound, Problem
from foodcommons.web import selectors
from foodcommons.web.domain.mapquery import parse_map_query


def _language() -> str:
    return (get_language() or "fr")[:2]


def _problem(problem: Problem) -> JsonResponse:
    return JsonResponse(problem.as_dict(), status=problem.status, content_type="application/problem+json")


def _map_context(request, *, embed: bool) -> dict:
    language = _language()
    return {
        "embed": embed,
        "legend": selectors.legend(language),
        "category_options": selectors.category_options(language),
        "attribute_options": selectors.filterable_attributes(language),
        "regions": selectors.territory_options(language),
        "tile_url": settings.FOODCOMMONS_TILE_URL,
        "tile_attribution": settings.FOODCOMMONS_TILE_ATTRIBUTION,
        "params": request.GET,
        "attrs": request.GET.getlist("attr"),
        "map_strings": _map_strings(embed),
        "territory_name": _extra_territory_name(request.GET.get("territory", ""), language),
        "bounds": selectors.territory_bounds(request.GET.get("territory", "")[:5]) if request.GET.get("territory") else None,
        **selectors.home_figures(),
    }


def _map_strings(embed: bool) -> dict:
    return {
        "language": get_language() or "fr", "placeCount": _plural_forms("{n} place", "{n} places"),
        "zoomIn": _("Zoom in to"), "around": _("around"),
        "none": _("No place matches in this view."), "away": _("away"),
        "noTiles": _("Base map unavailable: showing Belgian boundaries only."), "embed": embed,
        "zoomInTitle": _("Zoom in"), "zoomOutTitle": _("Zoom out"), "closePopup": _("Close"),
        "twoFingers": _("Use two fingers to move the map"), "youAreHere": _("You are here"),
        "locating": _("Looking for your position…"), "noPosition": _("Your position is not available."),
        "activeCount": _plural_forms("{n} active filter", "{n} active filters"),
        "addHere": _("Add a place here"), "addHereUrl": reverse("collaboration:new-place"),
        "unknownPlace": _("No commune or postcode “{text}” is known here. Try the name of a commune or a Belgian postcode."),
    }


def _plural_forms(singular: str, plural: str) -> dict:
    """Return a count's two forms, keyed by the Intl.PluralRules category each serves (French puts 0 with 1, Dutch does not)."""
    return {"one": ngettext(singular, plural, 1), "other": ngettext(singular, plural, 2)}


def _extra_territory_name(code: str, language: str) -> str:
    """Name a territory of the URL that the filter does not list (a commune or an arrondissement)."""
    found = selectors.territories.info(code) if code else None
    if found is None or found.level in ("region", "province"):
        return ""
    return found.names.get(language) or found.names.get("fr") or code


@require_safe
def map_page(request):
    """The public map with its filters and the list of what is in view."""
    return render(request, "web/map.html", _map_context(request, embed=False))


@require_safe
@xframe_options_exempt
def embed(request):
    """The map alone, with filters preset from the URL, for an iframe on another site."""
    return render(request, "web/map.html", _map_context(request, embed=True))


@require_safe
def widget(request):
    """A page that writes the iframe snippet for a network's website."""
    language = _language()
    return render(request, "web/widget.html", {
        "category_options": selectors.category_options(language),
        "regions": selectors.territory_options(language),
    })


@require_safe
def clusters(request):
    """The clusters or places of one map view, as JSON."""
    try:
        query = parse_map_query(request.GET)
        view = selectors.map_view(query, language=_language())
    except Problem as problem:
        return _problem(problem)
    if not view["total"]:
        view["empty"] = empty_help_text(selectors.empty_help(query), query, _language())
    return JsonResponse(view)


def _directory_help(query, code: str | None, keep: dict, language: str) -> dict:
    """The empty-results help of the directory, each way out as a link."""
    found = empty_help_text(selectors.empty_help(query, within_bbox=False), query, language)
    for drop in found["drops"]:
        rest = {k: v for k, v in keep.items() if k != drop["filter"]}
        path = "/directory" if drop["filter"] == "territory" or not code else f"/directory/{code}"
        drop["href"] = path + (f"?{urlencode(rest, doseq=True)}" if rest else "")
    if found["belgium"]:
        found["belgium"]["href"] = "/directory" + (f"?{urlencode(keep, doseq=True)}" if keep else "")
    for category in found["empty_categories"]:
        category["href"] = f"/places/new?{urlencode({'category': category['slug']})}"
    return found


def _filter_name(name: str, query, language: str) -> str:
    """Name one filter of a query the way the person set it."""
    if name == "q":
        return _("the search “%(text)s”") % {"text": query.text}
    if name == "category":
        options = {o["slug"]: o["label"] for o in selectors.category_options(language)}
        return _("the category “%(name)s”") % {"name": ", ".join(options.get(s, s) for s in query.categories)}
    if name == "territory":
        found = selectors.territories.info(query.territory)
        place_name = (found.names.get(language) or found.names.get("fr")) if found else query.territory
        return _("the territory “%(name)s”") % {"name": place_name}
    if name == "open":
        return _("“open now”")
    if name == "fresh":
        return _("“confirmed or updated within”")
    return _("the extra filters")


def _count_text(count: int, cap: int) -> str:
    return _("more than %(count)s") % {"count": cap} if count >= cap else str(count)


def empty_help_text(found: dict, query, language: str) -> dict:
    """Put the empty-results help in words: what each filter removes, what all of Belgium holds, empty categories."""
    cap = found["cap"]
    drops = []
    for drop in found["drops"]:
        n = drop["remaining"]
        sentence = ngettext("Without %(filter)s: %(count)s place.", "Without %(filter)s: %(count)s places.", n) % {
            "filter": _filter_name(drop["filter"], query, language), "count": _count_text(n, cap)}
        if drop.get("without_hours"):
            m = drop["without_hours"]
            sentence = ngettext(
                "“Open now” leaves out %(count)s place that gives no opening hours.",
                "“Open now” leaves out %(count)s places that give no opening hours.", m,
            ) % {"count": _count_text(m, cap)} + " " + sentence
        drops.append({"filter": drop["filter"], "remaining": n, "text": sentence, "action": _("Remove this filter") if n else ""})
    belgium = None
    if found["belgium"] is not None:
        n = found["belgium"]
        belgium = {"remaining": n, "text": ngettext("In all of Belgium: %(count)s place.", "In all of Belgium: %(count)s places.", n) % {
            "count": _count_text(n, cap)}, "action": _("Search all of Belgium") if n else ""}
    options = {o["slug"]: o["label"] for o in selectors.category_options(language)}
    empty = [{"slug": s, "text": _("No “%(name)s” place has been added yet. Do you know one? Add it, it helps everyone.") % {
        "name": options.get(s, s)}} for s in found["empty_categories"]]
    return {
        "title": _("No place matches these filters."),
        "drops": drops,
        "belgium": belgium,
        "empty_categories": empty,
        "add": {"text": _("Add a place"), "href": "/places/new"},
    }


@require_safe
def locate(request):
    """The centre of a commune or postcode a visitor typed, for "near me" without location."""
    found = selectors.locate(request.GET.get("q", "")[:100]) if request.GET.get("q") else None
    if found is None:
        return _problem(NotFound("No commune or postcode matches."))
    return JsonResponse(found)


@require_safe
@cache_control(max_age=86400, public=True)
def boundaries(request):
    """The Belgian provinces as GeoJSON, drawn under the markers so the map reads without tiles."""
    return JsonResponse(selectors.boundaries_geojson())


@require_safe
def place(request, public_id: str):
    """The page of one place."""
    try:
        context = selectors.place_page(public_id, language=_language())
    except NotFound:
        raise Http404("no such place") from None
    place = context["place"]
    status = 410 if place.is_deleted else 200
    context["share_url"] = request.build_absolute_uri(request.path)
    if place.lon is not None:
        context["map_url"] = "/?" + urlencode({"lat": f"{place.lat:.5f}", "lon": f"{place.lon:.5f}", "z": 16})
        context["geo_url"] = f"geo:{place.lat:.6f},{place.lon:.6f}?q={place.lat:.6f},{place.lon:.6f}"
        context["osm_url"] = f"https://www.openstreetmap.org/?mlat={place.lat:.6f}&mlon={place.lon:.6f}#map=18/{place.lat:.6f}/{place.lon:.6f}"
        context["route_url"] = f"https://www.openstreetmap.org/directions?to={place.lat:.6f}%2C{place.lon:.6f}"
    else:
        context["map_url"] = "/"
    context["tile_url"] = settings.FOODCOMMONS_TILE_URL
    context["tile_attribution"] = settings.FOODCOMMONS_TILE_ATTRIBUTION
    return render(request, "web/place.html", context, status=status)


@require_safe
def directory(request, code: str | None = None):
    """The directory without JavaScript: territories to browse and the places of one, paginated."""
    language = _language()
    try:
        navigation = selectors.directory_territories(code, language=language)
        params = request.GET.copy()
        params.pop("page", None)
        if code:
            params["territory"] = code
        query = parse_map_query(params)
        places = selectors.directory_places(query) if (code or query.places.filters) else None
    except NotFound:
        raise Http404("no such territory") from None
    except Problem as problem:
        return render(
            request,
            "web/directory.html",
            {**navigation, "error": problem.as_dict(), "category_options": selectors.category_options(language)},
            status=problem.status,
        )
    page = Paginator(places, selectors.DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page")) if places is not None else None
    keep = {k: v for k, v in request.GET.lists() if k != "page"}
    help_links = _directory_help(query, code, keep, language) if page is not None and not page.paginator.count else None
    return render(request, "web/directory.html", {
        **navigation,
        "page": page,
        "empty_help": help_links,
        "query_string": urlencode(keep, doseq=True),
        "category_options": selectors.category_options(language),
        "selected_categories": request.GET.getlist("category"),
        "text": request.GET.get("q", ""),
        "open_now": query.open_now,
    })


@require_safe
def geocode(request):
    """Starting points for the pin of the add-a-place form: an address, postcode or commune typed, as JSON (approximate unless a service is configured)."""
    from foodcommons.territories import geocode as geocoder

    text = request.GET.get("q", "")[:200].strip()
    found = geocoder.search(text, _language()) if len(text) >= 2 else []
    return JsonResponse({"query": text, "results": [match.as_json() for match in found]})


@require_safe
def open_data(request):
    """The open data in plain words: full downloads, APIs, catalogue, change feed and which licence covers what."""
    return render(request, "web/open_data.html", {"licences": selectors.open_data_licences()})


def _dump_member(request, member: str, content_type: str, filename: str):
    from foodcommons.opendata import dumps

    dump = dumps.latest_dump() or dumps.build_dump(base_url=request.build_absolute_uri("/").rstrip("/"))
    with zipfile.ZipFile(dump.path) as archive:
        body = archive.read(member)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = f'"{member}-{dump.etag.strip(chr(34))}"'
    response["Cache-Control"] = "public, max-age=300"
    response["Link"] = '<https://opendatacommons.org/licenses/odbl/1-0/>; rel="license"'
    return response


@require_safe
def all_places_geojson(request):
    """Every public place as one GeoJSON file (from the latest full dump)."""
    return _dump_member(request, "places.geojson", "application/geo+json", "foodcommons-places.geojson")


@require_safe
def all_places_csv(request):
    """Every public place as one CSV file (from the latest full dump)."""
    return _dump_member(request, "places.csv", "text/csv; charset=utf-8", "foodcommons-places.csv")
