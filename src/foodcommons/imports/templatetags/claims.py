"""Values of tracked fields (names, contacts, address, a point, categories) as people read them, and their labels."""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from foodcommons.taxonomy.selectors import category_tree

register = template.Library()

LANGUAGE_NAMES = {"fr": _("French"), "nl": _("Dutch"), "en": _("English")}
FIELD_LABELS = {"categories": _("Categories"), "geometry": _("Location"), "address": _("Address"), "contacts": _("Contacts"),
                "opening_hours": _("Opening hours"), "name": _("Name"), "description": _("Description")}
ADDRESS_ORDER = ("street", "house_number", "postcode", "locality")


@register.filter
def claim_label(field: str) -> str:
    """Name a tracked field ("name.fr" → "Name (French)") in the active language."""
    base, _dot, language = field.partition(".")
    label = str(FIELD_LABELS.get(base, base))
    return f"{label} ({LANGUAGE_NAMES[language]})" if language in LANGUAGE_NAMES else label


@register.filter
def claim_value(value) -> str:
    """Write a tracked field's value in words: a point as "lat, lon", an address on one line, contacts and categories joined."""
    if value is None or value in ("", [], {}):
        return "—"
    if isinstance(value, dict) and value.get("type") == "Point":
        lon, lat = value["coordinates"][:2]
        return f"{lat:.5f}, {lon:.5f}"
    if isinstance(value, dict) and "type" in value:
        return str(_("an area"))
    if isinstance(value, dict):
        return " ".join(str(value[k]) for k in ADDRESS_ORDER if value.get(k))
    if isinstance(value, list) and all(isinstance(v, dict) and "value" in v for v in value):
        return "; ".join(v["value"] for v in value)
    if isinstance(value, list):
        return ", ".join(_category_name(v) for v in value)
    return str(value)


def _category_name(slug) -> str:
    node = category_tree().nodes.get(slug)
    if node is None:
        return str(slug)
    language = (get_language() or "fr")[:2]
    return node.labels.get(language) or node.labels.get("fr") or slug
