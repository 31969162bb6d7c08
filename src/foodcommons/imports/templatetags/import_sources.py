"""The "Sources" section of a place page: each source with licence and attribution, and where each value comes from."""

from django import template
from django.utils.translation import gettext_lazy as _

from foodcommons.imports.selectors import place_origins, place_sources

register = template.Library()

FIELD_LABELS = {
    "name.fr": _("Name (French)"), "name.nl": _("Name (Dutch)"), "name.en": _("Name (English)"),
    "description.fr": _("Description (French)"), "description.nl": _("Description (Dutch)"), "description.en": _("Description (English)"),
    "categories": _("Categories"), "geometry": _("Location"), "address": _("Address"), "contacts": _("Contacts"),
    "opening_hours": _("Opening hours"),
}


@register.inclusion_tag("imports/place_sources.html")
def place_sources_section(place):
    """Render the sources of a place and, per field, the origin of its published value and the other sources giving one."""
    origins = place_origins(place=place)
    rows = [{"label": FIELD_LABELS.get(name, name), "field": name, "published": value["published"],
             "others": sorted({o["source_name"] for o in value["others"] if o["origin"] == "source"})}
            for name, value in origins.items()]
    return {"sources": place_sources(place=place), "rows": rows, "place": place}
