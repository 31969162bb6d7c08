"""Words of the supply pages: criteria, their values, products and months in the page's language."""

from django.utils import formats
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext_lazy

from foodcommons.supply.products import product_tree

CRITERION_LABELS = {
    "product": gettext_lazy("Product"), "season": gettext_lazy("Season (months covered)"), "volume": gettext_lazy("Share of the volume"),
    "distance": gettext_lazy("Distance"), "delivery_area": gettext_lazy("Delivers to this point"),
    "certification": gettext_lazy("Organic certificate"), "processing": gettext_lazy("Processing"),
    "minimum_order": gettext_lazy("Minimum order"), "intermediaries": gettext_lazy("Intermediaries"),
}
PRODUCT_RELATIONS = {"exact": gettext_lazy("the product asked"), "narrower": gettext_lazy("a kind of the product asked"),
                     "broader": gettext_lazy("a broader product"), "sibling": gettext_lazy("a neighbouring product"), "none": gettext_lazy("another product")}
PROCESSING_LABELS = {"raw": gettext_lazy("raw"), "washed": gettext_lazy("washed"), "cut": gettext_lazy("cut (légumerie)")}
CERTIFICATION_VALUES = {"not asked": gettext_lazy("not asked"), "organic": gettext_lazy("valid"), "missing": gettext_lazy("missing or expired")}


def product_label(product: str, language: str) -> str:
    """Return a DFC product's name in the page's language."""
    return product_tree().label(product, language)


def month_names(months) -> str:
    """Return month numbers as names in the page's language."""
    return ", ".join(str(MONTHS[m]) for m in sorted(months))


def criterion_value(key: str, value: str) -> str:
    """Return a criterion's compared value as words of the page's language."""
    if key == "product":
        return str(PRODUCT_RELATIONS.get(value, value))
    if key == "season":
        return month_names(int(m) for m in value.split(",")) if value != "-" else _("none of the months asked")
    if key == "volume":
        return _("different unit") if value == "unit" else f"{formats.number_format(float(value) * 100, 0)} %"
    if key == "distance":
        return f"{formats.number_format(float(value), 1)} km"
    if key == "delivery_area":
        return _("yes") if value == "yes" else _("no")
    if key == "certification":
        return str(CERTIFICATION_VALUES.get(value, value))
    if key == "processing":
        return str(PROCESSING_LABELS.get(value, value))
    if key == "minimum_order":
        if value == "none":
            return _("no minimum")
        if value == "unit":
            return _("different unit")
        asked, minimum = value.split("/")
        return _("%(asked)s asked per delivery, %(minimum)s minimum") % {"asked": asked, "minimum": minimum}
    return value


def explained(match) -> list[dict]:
    """Return a match's criteria as rows: label, value in words, weight, points."""
    return [{"key": c.key, "label": CRITERION_LABELS[c.key], "value": criterion_value(c.key, c.value),
             "weight": formats.number_format(c.weight, 1), "points": formats.number_format(c.points, 2)} for c in match.criteria]


UNIT_LABELS = {"kg": pgettext_lazy("unit", "kg"), "l": pgettext_lazy("unit", "litres"), "piece": pgettext_lazy("unit", "pieces")}


def _percent(share: float) -> str:
    return f"{formats.number_format(share * 100, 0)} %"


def _quantity(value: float, unit: str) -> str:
    return f"{formats.number_format(round(value), 0, use_l10n=True, force_grouping=True)} {UNIT_LABELS.get(unit, unit)}"


def coverage_view(*, api_json: dict, language: str) -> dict:
    """Return the territory coverage indicator in words and numbers of the page's language."""
    return {
        **api_json,
        "totals": [{**t, "percent": _percent(t["share"]), "asked_text": _quantity(t["asked"], t["unit"]),
                    "covered_text": _quantity(t["covered"], t["unit"])} for t in api_json["totals"]],
        "families": [{**f, "percent": _percent(f["share"]), "asked_text": _quantity(f["asked"], f["unit"]),
                      "covered_text": _quantity(f["covered"], f["unit"]),
                      "months": [{"name": str(MONTHS[m["month"]]), "percent": _percent(m["share"])} for m in f["months"]]}
                     for f in api_json["families"]],
        "producers": [{**p, "quantity_text": _quantity(p["quantity"], p["unit"])} for p in api_json["producers"][:50]],
        "more_producers": max(0, len(api_json["producers"]) - 50),
    }


# The rules' reasons (supply/domain/validation.py), marked here so that the catalogs carry them: pages show them translated.
REGISTRATION_REASONS = (
    gettext_noop("a Belgian VAT / BCE number has ten digits, starting with 0 or 1 (e.g. BE 0403.170.701)"),
    gettext_noop("the check digits of this VAT / BCE number do not match: please check it"),
    gettext_noop("an AFSCA number is the ten digits of a BCE enterprise or establishment number, whose check digits match"),
    gettext_noop("an organic certificate names its certifier (e.g. Certisys)"),
    gettext_noop("an organic certificate has an expiry date"),
    gettext_noop("this certificate has expired"),
    gettext_noop("a number is required"),
)


def shown_number(registration) -> str:
    """Return a registration number as people write it: BE 0403.170.701 for VAT/BCE; AFSCA and certificates as stored."""
    digits = registration.number
    if registration.kind == "vat" and len(digits) == 10:
        return f"BE {digits[:4]}.{digits[4:7]}.{digits[7:]}"
    return digits
