"""The outbox page of a source: the corrections people made to its values, to take back into the list it comes from."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from foodcommons.core import spreadsheet
from foodcommons.core.problems import Problem
from foodcommons.imports import access, selectors
from foodcommons.imports.domain.osm_tags import osm_url, suggested_tags
from foodcommons.imports.models import Correction, Source
from foodcommons.imports.services import outbox as outbox_services
from foodcommons.imports.templatetags.claims import claim_label, claim_value


def _source_or_404(request, slug: str) -> Source:
    source = Source.objects.select_related("organisation").filter(slug=slug).first()
    if source is None:
        raise Http404("no such source")
    if not access.may_import(user=request.user, source=source):
        raise Problem(status=403, title=_("You may not see the corrections of this source."),
                      detail=_("They are for the editors of the organisation that keeps the list, and for staff."))
    return source


@login_required
def outbox(request, slug: str):
    """List a source's corrections; its maintainers mark them applied or declined, or download them."""
    source = _source_or_404(request, slug)
    if request.method == "POST":
        try:
            outbox_services.decide(correction_id=int(request.POST.get("correction", "")), status=request.POST.get("status", ""), author=request.user)
        except Problem as problem:
            messages.error(request, problem.errors[0].reason if getattr(problem, "errors", None) else problem.detail or problem.title)
        except ValueError:
            messages.error(request, _("Invalid input"))
        else:
            messages.success(request, _("Noted."))
        return redirect("imports:outbox", slug)
    if request.GET.get("format") == "csv":
        return _csv(source)
    if request.GET.get("format") == "geojson":
        return _geojson(source)
    corrections = selectors.outbox(source)
    return render(request, "imports/outbox.html", {
        "source": source, "corrections": corrections, "open": sum(1 for c in corrections if c.status == Correction.Status.OPEN),
    })


def _csv(source: Source) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{source.slug}-corrections.csv"'
    response.write("\ufeff")  # so that spreadsheets open the UTF-8 accents right
    writer = spreadsheet.writer(response)
    writer.writerow([_("Identifier in the list"), _("Name"), _("Field"), _("Value in the list"), _("Corrected value"), _("By"), _("On"),
                     _("Why"), _("Status")])
    for c in selectors.outbox(source, open_only=True, limit=100_000):
        writer.writerow([c.record.external_id if c.record else "", c.place.display_name(), claim_label(c.field), claim_value(c.source_value),
                         claim_value(c.new_value), c.author.username if c.author else "", c.updated_at.date().isoformat(), c.comment,
                         _("conflict: the list still says %(value)s") % {"value": claim_value(c.conflict["value"])} if c.conflict else ""])
    return response


def _geojson(source: Source) -> HttpResponse:
    """The open corrections as GeoJSON for mappers: one feature per correction at the place, with its OSM object and tags."""
    features = []
    for c in selectors.outbox(source, open_only=True, limit=100_000):
        external_id = c.record.external_id if c.record else ""
        point = c.new_value if c.field == "geometry" else selectors.place_point(c.place)
        features.append({"type": "Feature", "geometry": point, "properties": {
            "id": external_id, "osm": osm_url(external_id), "name": c.place.display_name(), "field": c.field,
            "value_in_the_list": c.source_value, "corrected_value": c.new_value, "suggested_tags": suggested_tags(c.field, c.new_value),
            "by": c.author.username if c.author else "", "on": c.updated_at.date().isoformat(), "why": c.comment,
        }})
    response = HttpResponse(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                            content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="{source.slug}-corrections.geojson"'
    return response
