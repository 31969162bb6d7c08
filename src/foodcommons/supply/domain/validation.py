"""Checks of offers, buyers, demands, tenders, lots and interests before they are stored. Pure."""

import re
from datetime import date, datetime

from stdnum import exceptions as stdnum_errors
from stdnum.be import vat as belgian_vat

from foodcommons.core.problems import FieldError
from foodcommons.supply.domain.units import DAYS, DELIVERIES_PER_MONTH, PERIODS, PROCESSING, UNITS

BUYER_KINDS = ("school", "creche", "hospital", "rest_home", "administration", "other")
PROCEDURES = ("open", "restricted", "negotiated", "low_value", "framework")
CRITERION_KINDS = ("price", "quality", "cost")
# AFSCA (FAVV) operator numbers are the company's BCE/KBO number or a unit number: 10 digits, dots and spaces allowed.
AFSCA = re.compile(r"^\d{10}$")
NIS = re.compile(r"^\d{5}$")
CPV = re.compile(r"^\d{8}-\d$")


def _positive(data: dict, key: str, errors: list, *, required: bool, prefix: str = "") -> None:
    value = data.get(key)
    if value is None:
        if required:
            errors.append(FieldError(prefix + key, "a number above zero is required"))
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        errors.append(FieldError(prefix + key, "a number above zero is required"))


def _months(value, errors: list, field: str) -> None:
    if not isinstance(value, (list, tuple)) or not value or any(isinstance(m, bool) or not isinstance(m, int) or not 1 <= m <= 12 for m in value):
        errors.append(FieldError(field, "one month or more, numbered 1 (January) to 12 (December)"))
    elif len(set(value)) != len(value):
        errors.append(FieldError(field, "each month once"))


def _choice(value, allowed: tuple, errors: list, field: str) -> None:
    if value not in allowed:
        errors.append(FieldError(field, "one of: " + ", ".join(allowed)))


def _choices(values, allowed: tuple, errors: list, field: str) -> None:
    if not isinstance(values, (list, tuple)) or any(v not in allowed for v in values):
        errors.append(FieldError(field, "a list of: " + ", ".join(allowed)))


def _product(value, products, errors: list, field: str) -> None:
    if value not in products:
        errors.append(FieldError(field, "a product type of the DFC taxonomy is required"))


def afsca_digits(number: str) -> str:
    """Return an AFSCA number without its dots and spaces."""
    return re.sub(r"[\s.]", "", number or "")


def offer_errors(data: dict, *, products, today: date) -> list[FieldError]:
    """Return the problems of an offer: product, months, volume, price, minimum order, area, days, processing, certificates."""
    errors: list[FieldError] = []
    _product(data.get("product"), products, errors, "product")
    _months(data.get("months"), errors, "months")
    _positive(data, "volume", errors, required=True)
    _choice(data.get("volume_unit"), UNITS, errors, "volume_unit")
    _choice(data.get("volume_period"), PERIODS, errors, "volume_period")
    _positive(data, "price", errors, required=False)
    _positive(data, "minimum_order", errors, required=False)
    _positive(data, "delivery_radius_km", errors, required=False)
    if (data.get("delivery_radius_km") or 0) > 500:
        errors.append(FieldError("delivery_radius_km", "at most 500 km"))
    communes = data.get("delivery_communes") or []
    if not isinstance(communes, (list, tuple)) or any(not isinstance(c, str) or not NIS.match(c) for c in communes):
        errors.append(FieldError("delivery_communes", "communes by their five-digit NIS code"))
    if not data.get("delivery_radius_km") and not communes:
        errors.append(FieldError("delivery_radius_km", "a delivery radius or a list of communes is required"))
    _choices(data.get("delivery_days") or [], DAYS, errors, "delivery_days")
    _choices(data.get("processing") or [], PROCESSING, errors, "processing")
    if not data.get("processing"):
        errors.append(FieldError("processing", "at least one of: " + ", ".join(PROCESSING)))
    intermediaries = data.get("intermediaries", 0)
    if isinstance(intermediaries, bool) or not isinstance(intermediaries, int) or not 0 <= intermediaries <= 5:
        errors.append(FieldError("intermediaries", "a whole number from 0 (sold by the producer) to 5"))
    errors += certificate_errors(data, today=today)
    return errors


def certificate_errors(data: dict, *, today: date) -> list[FieldError]:
    """Return the problems of an organic certificate (certifier and a future expiry) and an AFSCA number."""
    errors: list[FieldError] = []
    if data.get("organic"):
        if not (data.get("organic_certifier") or "").strip():
            errors.append(FieldError("organic_certifier", "an organic certificate names its certifier (e.g. Certisys)"))
        expires = data.get("organic_expires")
        if not isinstance(expires, date):
            errors.append(FieldError("organic_expires", "an organic certificate has an expiry date"))
        elif expires < today:
            errors.append(FieldError("organic_expires", "this certificate has expired"))
    afsca = data.get("afsca_number") or ""
    if afsca and not AFSCA.match(afsca_digits(afsca)):
        errors.append(FieldError("afsca_number", "an AFSCA number has ten digits"))
    return errors


def buyer_errors(data: dict) -> list[FieldError]:
    """Return the problems of a buyer: its kind."""
    errors: list[FieldError] = []
    _choice(data.get("kind"), BUYER_KINDS, errors, "kind")
    return errors


def _location(data: dict, errors: list, field: str) -> None:
    lon, lat = data.get("lon"), data.get("lat")
    if data.get("place") is None and (not isinstance(lon, (int, float)) or not isinstance(lat, (int, float))
                                      or not (2.0 <= lon <= 7.0 and 49.0 <= lat <= 52.0)):
        errors.append(FieldError(field, "a delivery point in Belgium (longitude, latitude) or a place is required"))


def line_errors(line: dict, *, products, prefix: str) -> list[FieldError]:
    """Return the problems of one demand line: product, quantity per delivery, unit, frequency, months."""
    errors: list[FieldError] = []
    _product(line.get("product"), products, errors, prefix + "product")
    _positive(line, "quantity", errors, required=True, prefix=prefix)
    _choice(line.get("unit"), UNITS, errors, prefix + "unit")
    _choice(line.get("frequency"), tuple(DELIVERIES_PER_MONTH), errors, prefix + "frequency")
    _months(line.get("months"), errors, prefix + "months")
    return errors


def demand_errors(data: dict, *, products) -> list[FieldError]:
    """Return the problems of a demand: title, delivery point, constraints, budget and its lines."""
    errors: list[FieldError] = []
    if not (data.get("title") or "").strip():
        errors.append(FieldError("title", "a title is required"))
    _location(data, errors, "delivery_point")
    if data.get("processing"):
        _choice(data["processing"], PROCESSING, errors, "processing")
    _positive(data, "budget", errors, required=False)
    lines = data.get("lines") or []
    if not lines:
        errors.append(FieldError("lines", "at least one product is required"))
    if len(lines) > 50:
        errors.append(FieldError("lines", "at most 50 products"))
    for i, line in enumerate(lines):
        errors += line_errors(line, products=products, prefix=f"lines[{i}].")
    return errors


def lot_errors(lot: dict, *, products, prefix: str) -> list[FieldError]:
    """Return the problems of a lot: title, CPV code, product, quantity, unit, months, delivery point, award criteria."""
    errors: list[FieldError] = []
    if not (lot.get("title") or "").strip():
        errors.append(FieldError(prefix + "title", "a lot has a title"))
    if not CPV.match(lot.get("cpv") or ""):
        errors.append(FieldError(prefix + "cpv", "a CPV code such as 03221000-6"))
    _product(lot.get("product"), products, errors, prefix + "product")
    _positive(lot, "quantity", errors, required=True, prefix=prefix)
    _choice(lot.get("unit"), UNITS, errors, prefix + "unit")
    _months(lot.get("months"), errors, prefix + "months")
    _location(lot, errors, prefix + "delivery_point")
    criteria = lot.get("award_criteria") or []
    if not criteria:
        errors.append(FieldError(prefix + "award_criteria", "at least one award criterion"))
    for j, criterion in enumerate(criteria):
        if not (criterion.get("name") or "").strip():
            errors.append(FieldError(f"{prefix}award_criteria[{j}].name", "each criterion has a name"))
        _choice(criterion.get("type"), CRITERION_KINDS, errors, f"{prefix}award_criteria[{j}].type")
        weight = criterion.get("weight")
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= 100:
            errors.append(FieldError(f"{prefix}award_criteria[{j}].weight", "a weight above 0 and at most 100"))
    if criteria and not errors and abs(sum(c["weight"] for c in criteria) - 100) > 0.01:
        errors.append(FieldError(prefix + "award_criteria", "the weights add up to 100"))
    return errors


def tender_errors(data: dict, *, products, now: datetime) -> list[FieldError]:
    """Return the problems of a tender: title, procedure, future deadline, notice link and its lots."""
    errors: list[FieldError] = []
    if not (data.get("title") or "").strip():
        errors.append(FieldError("title", "a title is required"))
    _choice(data.get("procedure"), PROCEDURES, errors, "procedure")
    deadline = data.get("deadline")
    if not isinstance(deadline, datetime) or deadline.tzinfo is None:
        errors.append(FieldError("deadline", "a deadline with its time zone is required"))
    elif deadline < now:
        errors.append(FieldError("deadline", "the deadline has passed"))
    url = data.get("notice_url") or ""
    if url and not url.startswith(("https://", "http://")):
        errors.append(FieldError("notice_url", "a web address (https://…) of the official notice"))
    lots = data.get("lots") or []
    if not lots:
        errors.append(FieldError("lots", "at least one lot is required"))
    for i, lot in enumerate(lots):
        errors += lot_errors(lot, products=products, prefix=f"lots[{i}].")
    return errors


def interest_errors(data: dict) -> list[FieldError]:
    """Return the problems of a producer's answer: a message of at most 2,000 characters, an optional price above zero."""
    errors: list[FieldError] = []
    if len(data.get("message") or "") > 2000:
        errors.append(FieldError("message", "at most 2,000 characters"))
    _positive(data, "price", errors, required=False)
    return errors


REGISTRATION_KINDS = ("vat", "afsca", "organic")
# The reasons, in English for the API; the pages show them translated (supply/presentation.py marks them for the catalogs).
VAT_FORMAT = "a Belgian VAT / BCE number has ten digits, starting with 0 or 1 (e.g. BE 0403.170.701)"
VAT_CHECK = "the check digits of this VAT / BCE number do not match: please check it"
AFSCA_CHECK = "an AFSCA number is the ten digits of a BCE enterprise or establishment number, whose check digits match"
CERTIFIER_REQUIRED = "an organic certificate names its certifier (e.g. Certisys)"
EXPIRY_REQUIRED = "an organic certificate has an expiry date"
EXPIRED = "this certificate has expired"
NUMBER_REQUIRED = "a number is required"


def compact_registration(kind: str, number: str) -> str:
    """Return a registration number in its stored form: digits for VAT/BCE and AFSCA, trimmed text for a certificate."""
    if kind == "vat":
        return belgian_vat.compact(number or "")
    if kind == "afsca":
        return afsca_digits(number).removeprefix("BE")
    return (number or "").strip()


def _mod97_matches(digits: str) -> bool:
    # BCE enterprise numbers (0…, 1…) and establishment units (2…–8…): the last two digits are 97 − (the first eight mod 97).
    return len(digits) == 10 and digits.isdigit() and (int(digits[:8]) + int(digits[8:])) % 97 == 0


def registration_errors(data: dict, *, today: date) -> list[FieldError]:
    """Return the problems of a registration number: VAT/BCE and AFSCA check digits, an organic certificate's certifier and expiry."""
    kind, number = data.get("kind"), (data.get("number") or "").strip()
    errors: list[FieldError] = []
    _choice(kind, REGISTRATION_KINDS, errors, "kind")
    if errors:
        return errors
    if not number:
        return [FieldError("number", NUMBER_REQUIRED)]
    if kind == "vat":
        try:
            belgian_vat.validate(number)
        except stdnum_errors.InvalidChecksum:
            errors.append(FieldError("number", VAT_CHECK))
        except stdnum_errors.ValidationError:
            errors.append(FieldError("number", VAT_FORMAT))
    elif kind == "afsca" and not _mod97_matches(compact_registration("afsca", number)):
        errors.append(FieldError("number", AFSCA_CHECK))
    elif kind == "organic":
        if not (data.get("certifier") or "").strip():
            errors.append(FieldError("certifier", CERTIFIER_REQUIRED))
        expires = data.get("expires")
        if not isinstance(expires, date):
            errors.append(FieldError("expires", EXPIRY_REQUIRED))
        elif expires < today:
            errors.append(FieldError("expires", EXPIRED))
    return errors
