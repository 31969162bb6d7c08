"""Why two places may be the same, in the page's language: matching writes its reasons as English codes."""

import re

from django import template
from django.utils.formats import get_format
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
