"""Why two places may be the same, in the page's language: matching writes its reasons as English codes."""

import re

from django import template
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

register = template.Library()


def _reason(text: str):
    return pgettext_lazy("match reason", text)


# Keyed by the words imports.domain.matching writes (stored in runs and candidates); a measure may follow in brackets.
REASON_LABELS = {code: _reason(code) for code in (
    "same name", "names agree", "names close", "names similar", "names differ",
    "far apart even for a commune centroid", "same commune area (centroid coordinates, weak)",
    "same spot", "close", "nearby", "distant",
    "same phone", "same e-mail", "same website", "different websites",
    "same postcode", "different postcodes", "same locality",
    "same street, different numbers", "same street", "same street and number",
    "same category", "unrelated categories", "both from the same source",
)}
_MEASURE = re.compile(r"^(?P<code>.+?) \((?P<measure>[0-9.]+(?: k?m)?)\)$")


def reason_label(reason: str) -> str:
    """Return one matching reason in the active language, its measure (a similarity, metres) kept and localised."""
    if reason in REASON_LABELS:
        return str(REASON_LABELS[reason])
    found = _MEASURE.match(reason)
    if found is None or found["code"] not in REASON_LABELS:
        return reason
    measure = found["measure"].replace(".", get_format("DECIMAL_SEPARATOR"))
    return f"{REASON_LABELS[found['code']]} ({measure})"


@register.filter
def reasons_text(reasons) -> str:
    """Join matching reasons with '; ', each in the active language."""
    return "; ".join(reason_label(r) for r in reasons or ())


# What the import did to a value of a row (imports.domain.checks codes), in the page's language.
NOTICE_LABELS = {
    "invalid_email": _("not a valid e-mail address: left out"),
    "invalid_phone": _("not a valid phone number: left out"),
    "invalid_website": _("not a valid web address: left out"),
    "invalid_hours": _("not opening hours in the OpenStreetMap syntax (for example Mo-Fr 09:00-18:00): left out"),
    "invalid_postcode": _("not a Belgian postcode (four digits): left out"),
    "unreadable_coordinates": _("coordinates that cannot be read: the place is to locate"),
    "more_contacts": _("several values: only the first is kept"),
    "long_description": _("too long: shortened"),
    "swapped_coordinates": _("latitude and longitude swapped: put back in their places"),
    "outside_belgium": _("outside Belgium: check the coordinates"),
    "no_location": _("no location: the place is to locate, it is not on the map until someone places it"),
    "shared_point": _("many records on this very point (a commune's centre?): marked approximate"),
    "no_category": _("no known category: the row is skipped; map its type to a category in the source's settings"),
}


@register.filter
def notice_text(code: str) -> str:
    """Say what the import did to a value, in the active language."""
    return str(NOTICE_LABELS.get(code, code))


NOTICE_FIELDS = {
    "email": _("E-mail"), "phone": _("Phone"), "website": _("Website"), "opening_hours": _("Opening hours"), "postcode": _("Postcode"),
    "location": _("Location"), "categories": _("Category"), "description": _("Description"),
}


@register.filter
def notice_field(name: str) -> str:
    """Name the field of a notice in the active language."""
    return str(NOTICE_FIELDS.get(name, name))
