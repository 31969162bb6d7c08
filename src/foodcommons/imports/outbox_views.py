"""The outbox page of a source: the corrections people made to its values, to take back into the list it comes from."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from foodcommons.core import spreadsheet
from foodcommons.core.problems import Problem
from foodcommons.imports import access, selectors
from foodcommons.imports.domain.osm_tags import osm_url
from foodcommons.imports.models import Correction, Source
from foodcommons.imports.services import outbox as outbox_services
from foodcommons.imports.templatetags.claims import claim_label, claim_value

# Why a correction is not in the osmChange file, in the reader's language (osm_tags and selectors.osmchange_export).
LEFT_OUT_REASONS = {
    "no_object": gettext_lazy("the record is not an OpenStreetMap object"),
    "no_version": gettext_lazy("the import did not know the object's version: import an export with metadata (Overpass “out meta”, or a .osm or .pbf file)"),
    "no_location": gettext_lazy("the import did not know the node's position"),
    "no_members": gettext_lazy("the import did not know the way's nodes (import a .osm or .pbf file, or Overpass “out meta”, not GeoJSON)"),
    "no_tag": gettext_lazy("no OpenStreetMap tag carries this field (categories, or the outline of an area): see the GeoJSON"),
}


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
    if request.GET.get("format") == "osc":
        return osmchange_response(source)
    corrections = selectors.outbox(source)
    is_osm = any(c.record and osm_url(c.record.external_id) for c in corrections if c.status == Correction.Status.OPEN)
    export = selectors.osmchange_export(source) if is_osm else None
    return render(request, "imports/outbox.html", {
        "source": source, "corrections": corrections, "open": sum(1 for c in corrections if c.status == Correction.Status.OPEN),
        "osmchange": export, "left_out": [(c, LEFT_OUT_REASONS[reason]) for c, reason in export.left_out] if export else [],
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
    response = HttpResponse(json.dumps(selectors.outbox_geojson(source), ensure_ascii=False), content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="{source.slug}-corrections.geojson"'
    return response


def osmchange_response(source: Source) -> HttpResponse:
    """The open corrections as an osmChange file for a mapper to review and upload with their own account."""
    export = selectors.osmchange_export(source)
    response = HttpResponse(export.document, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{source.slug}-corrections.osc"'
    response["X-Corrections-Carried"], response["X-Corrections-Left-Out"] = str(export.corrections), str(len(export.left_out))
    return response
