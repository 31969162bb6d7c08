"""Food-aid access (pure): dated temporary closures, whether a place is open at a moment, and its Open Referral HSDS 3.0
service record."""

import datetime
import uuid
from dataclasses import dataclass

CLOSURE_REASONS = {
    "holidays": {"fr": "congés", "nl": "vakantie", "en": "holidays"},
    "stock": {"fr": "rupture de stock", "nl": "geen voorraad", "en": "out of stock"},
    "works": {"fr": "travaux", "nl": "werken", "en": "works"},
    "other": {"fr": "autre raison", "nl": "andere reden", "en": "another reason"},
}
MAX_CLOSURES = 20
# Identifiers of HSDS records are UUIDs: derived from the place's public id, stable across exports.
HSDS_NAMESPACE = uuid.UUID("5b0c2f8e-2a55-4c3e-9b7a-6f0d3c1e8a14")
HSDS_VERSION = "3.0"


def clean_closures(value) -> list[dict]:
    """Return dated closures [{from, to, reason, note?}] sorted by start, or raise ValueError saying what is expected."""
    if not isinstance(value, list) or len(value) > MAX_CLOSURES:
        raise ValueError(f"expected a list of at most {MAX_CLOSURES} closures {{from, to, reason, note}}")
    closures = []
    for item in value:
        if not isinstance(item, dict):
            raise ValueError("each closure is an object {from, to, reason, note}")
        try:
            start, end = datetime.date.fromisoformat(str(item.get("from"))), datetime.date.fromisoformat(str(item.get("to")))
        except ValueError:
            raise ValueError("each closure has dates from and to as YYYY-MM-DD") from None
        if end < start:
            raise ValueError("a closure ends on or after the day it starts")
        if item.get("reason") not in CLOSURE_REASONS:
            raise ValueError(f"the reason of a closure is one of {', '.join(CLOSURE_REASONS)}")
        note = _clean_note(item.get("note"))
        closures.append({"from": start.isoformat(), "to": end.isoformat(), "reason": item["reason"], **({"note": note} if note else {})})
    return sorted(closures, key=lambda c: (c["from"], c["to"]))


NOTE_LANGUAGES = ("fr", "nl", "en")


def _clean_note(note) -> str | dict:
    """A note is one text, or one text per language {fr, nl, en} (the empty ones left out)."""
    if isinstance(note, dict):
        unknown = set(note) - set(NOTE_LANGUAGES)
        if unknown:
            raise ValueError(f"the note of a closure is a text or texts in {', '.join(NOTE_LANGUAGES)}")
        texts = {lang: str(note.get(lang) or "").strip()[:300] for lang in NOTE_LANGUAGES}
        return {lang: text for lang, text in texts.items() if text}
    return str(note or "").strip()[:300]


def note_in(note, language: str) -> str:
    """Return a closure's note in `language`, else in another language it was written in."""
    if isinstance(note, dict):
        return next((note[lang] for lang in (language[:2], *NOTE_LANGUAGES) if note.get(lang)), "")
    return note or ""


@dataclass(frozen=True)
class Closure:
    """A closure as a page says it: from, to, and why in the page's language."""

    start: datetime.date
    end: datetime.date
    reason: str
    note: str
    current: bool


def closures_ahead(closures, today: datetime.date, language: str) -> list[Closure]:
    """Return the closures that are under way or still to come, the current one first."""
    found = []
    for item in closures or []:
        start, end = datetime.date.fromisoformat(item["from"]), datetime.date.fromisoformat(item["to"])
        if end >= today:
            reason = CLOSURE_REASONS.get(item["reason"], CLOSURE_REASONS["other"])
            found.append(Closure(start, end, reason.get(language[:2], reason["fr"]), note_in(item.get("note"), language), start <= today))
    return found


def closed_on(closures, day: datetime.date) -> bool:
    """Tell whether a dated closure covers `day`."""
    return any(c["from"] <= day.isoformat() <= c["to"] for c in closures or [])


def hsds_id(kind: str, public_id: str) -> str:
    """Return the stable UUID of the HSDS record of `kind` for a place."""
    return str(uuid.uuid5(HSDS_NAMESPACE, f"{kind}:{public_id}"))


def belgian_region(postcode: str) -> str:
    """Return the region of a Belgian postcode (HSDS asks for a state or province)."""
    number = int(postcode) if postcode.isdigit() else 0
    if 1000 <= number <= 1299:
        return "Brussels-Capital Region"
    if 1300 <= number <= 1499 or 4000 <= number <= 7999:
        return "Wallonia"
    return "Flanders"


def _eligibility(attributes: dict, labels) -> str | None:
    parts = []
    if attributes.get("publics_welcome"):
        parts.append(labels("publics_welcome", attributes["publics_welcome"]))
    if attributes.get("publics"):
        parts.append(", ".join(labels("publics", p) for p in attributes["publics"]))
    if attributes.get("audience"):
        parts.append(attributes["audience"])
    return ". ".join(parts) or None


def _application(attributes: dict, labels) -> str | None:
    parts = [labels("access_modality", m) for m in attributes.get("access_modality") or []]
    if attributes.get("referral_required") is True:
        parts.append("Referral needed" + (f": {attributes['referral_by']}" if attributes.get("referral_by") else ""))
    elif attributes.get("referral_required") is False:
        parts.append("No referral needed")
    return ". ".join(parts) or None


def _compact(value):
    """Leave out the fields with no value (HSDS types them as strings or numbers: an unknown is absent, not null)."""
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value


def _closure_alert(closure: dict) -> str:
    reason = CLOSURE_REASONS.get(closure["reason"], CLOSURE_REASONS["other"])["en"]
    note = note_in(closure.get("note"), "en")
    return f"Closed from {closure['from']} to {closure['to']} ({reason}{': ' + note if note else ''})"


def current_closure(closures, day: datetime.date) -> dict | None:
    """Return the dated closure that covers `day` (the one ending last), or None."""
    covering = [c for c in closures or [] if c["from"] <= day.isoformat() <= c["to"]]
    return max(covering, key=lambda c: c["to"], default=None)


def hsds_service(place: dict, labels) -> dict:
    """Return the HSDS 3.0 service record of a food-aid place (`place`: its public JSON; `labels(key, code)`: English labels)."""
    attributes = place.get("attributes") or {}
    public_id = place["id"]
    name = place["name"].get("fr") or place["name"].get("nl") or place["name"].get("en") or public_id
    service_id, organization_id, location_id = hsds_id("service", public_id), hsds_id("organization", public_id), hsds_id("location", public_id)
    description = place.get("description", {}).get("fr") or place.get("description", {}).get("nl") or place.get("description", {}).get("en")
    address = place.get("address") or {}
    geometry = place.get("geometry") or {}
    location: dict = {"id": location_id, "location_type": "physical", "name": name, "addresses": [], "accessibility": [], "languages": [],
                      "phones": [], "schedules": [], "contacts": [], "attributes": [], "metadata": []}
    if geometry.get("type") == "Point":
        location["longitude"], location["latitude"] = geometry["coordinates"][0], geometry["coordinates"][1]
    if address.get("street") and address.get("locality") and address.get("postcode"):
        street = " ".join(p for p in (address.get("street"), address.get("house_number")) if p)
        location["addresses"].append({"id": hsds_id("address", public_id), "location_id": location_id, "address_1": street,
                                      "city": address["locality"], "state_province": belgian_region(address["postcode"]),
                                      "postal_code": address["postcode"], "country": "BE", "address_type": "physical",
                                      "attributes": [], "metadata": []})
    if attributes.get("wheelchair_access") is not None:
        location["accessibility"].append({"id": hsds_id("accessibility", public_id), "location_id": location_id,
                                          "description": "Wheelchair access" if attributes["wheelchair_access"] else "No wheelchair access",
                                          "attributes": [], "metadata": []})
    service: dict = {
        "id": service_id, "organization_id": organization_id, "name": name, "description": description, "status": "active"
        if place.get("status") == "active" else "inactive", "eligibility_description": _eligibility(attributes, labels),
        "application_process": _application(attributes, labels), "minimum_age": attributes.get("minimum_age"),
        "maximum_age": attributes.get("maximum_age"), "last_modified": place.get("updated_at"),
        "url": next((c["value"] for c in place.get("contacts") or [] if c.get("kind") == "website"), None),
        "email": next((c["value"] for c in place.get("contacts") or [] if c.get("kind") == "email"), None),
        "languages": [{"id": hsds_id(f"language-{code}", public_id), "service_id": service_id, "code": code,
                       "name": labels("languages_spoken", code), "attributes": [], "metadata": []}
                      for code in attributes.get("languages_spoken") or [] if code != "sgn"],
        "required_documents": ([{"id": hsds_id("document", public_id), "service_id": service_id, "document": attributes["documents_required"],
                                 "attributes": [], "metadata": []}] if attributes.get("documents_required") else []),
        "cost_options": [], "schedules": [], "phones": [], "service_areas": [], "contacts": [], "funding": [], "attributes": [],
        "metadata": [], "service_at_locations": [{"id": hsds_id("service_at_location", public_id), "service_id": service_id,
                                                  "location_id": location_id, "location": location, "contacts": [], "phones": [],
                                                  "schedules": [], "attributes": [], "metadata": []}],
        "organization": {"id": organization_id, "name": name, "description": description or name, "email": None, "website": None,
                         "additional_websites": [], "funding": [], "contacts": [], "phones": [], "locations": [], "programs": [],
                         "organization_identifiers": [], "attributes": [], "metadata": []},
    }
    if attributes.get("price"):
        free = attributes["price"] == "free"
        service["cost_options"].append({
            "id": hsds_id("cost", public_id), "service_id": service_id,
            "option": labels("price_per", attributes["price_per"]) if attributes.get("price_per") else labels("price", attributes["price"]),
            "amount": 0 if free else attributes.get("price_amount"), "currency": "EUR", "amount_description": labels("price", attributes["price"]),
            "attributes": [], "metadata": []})
    if place.get("opening_hours"):
        service["schedules"].append({"id": hsds_id("schedule", public_id), "service_id": service_id, "description": place["opening_hours"],
                                     "notes": "OpenStreetMap opening_hours syntax", "attributes": [], "metadata": []})
    if attributes.get("temporary_closures"):
        closures = "; ".join(_closure_alert(c) for c in attributes["temporary_closures"])
        service["alert"] = closures
    return _compact(service)


HSDS_TABLES = {  # table -> (file, columns), as the HSDS 3.0 tabular data package names them
    "services": ("services.csv", (
        "id", "organization_id", "program_id", "name", "alternate_name", "description", "url", "email", "status", "interpretation_services",
        "application_process", "fees_description", "wait_time", "fees", "accreditations", "eligibility_description", "minimum_age", "maximum_age",
        "assured_date", "assurer_email", "licenses", "alert", "last_modified",
    )),
    "organizations": ("organizations.csv", (
        "id", "name", "alternate_name", "description", "email", "website", "tax_status", "tax_id", "year_incorporated", "legal_status", "logo",
        "uri", "parent_organization_id",
    )),
    "locations": ("locations.csv", (
        "id", "location_type", "url", "organization_id", "name", "alternate_name", "description", "transportation", "latitude", "longitude",
        "external_identifier", "external_identifier_type",
    )),
    "service_at_locations": ("service_at_location.csv", (
        "id", "service_id", "location_id", "description",
    )),
    "addresses": ("addresses.csv", (
        "id", "location_id", "attention", "address_1", "address_2", "city", "region", "state_province", "postal_code", "country", "address_type",
    )),
    "languages": ("languages.csv", (
        "id", "service_id", "location_id", "phone_id", "name", "code", "note",
    )),
    "required_documents": ("required_documents.csv", (
        "id", "service_id", "document", "uri",
    )),
    "cost_options": ("cost_options.csv", (
        "id", "service_id", "valid_from", "valid_to", "option", "currency", "amount", "amount_description",
    )),
    "schedules": ("schedules.csv", (
        "id", "service_id", "location_id", "service_at_location_id", "valid_from", "valid_to", "dtstart", "timezone", "until", "count", "wkst",
        "freq", "interval", "byday", "byweekno", "bymonthday", "byyearday", "description", "opens_at", "closes_at", "schedule_link",
        "attending_type", "notes",
    )),
    "accessibility": ("accessibility.csv", (
        "id", "location_id", "description", "details", "url",
    )),
}


def hsds_tables(services: list[dict]) -> dict[str, list[dict]]:
    """Return the HSDS tabular rows (one table per CSV file) of service records."""
    tables: dict[str, list[dict]] = {name: [] for name in HSDS_TABLES}

    def add(table: str, record: dict) -> None:
        tables[table].append({k: record.get(k) for k in HSDS_TABLES[table][1]})

    for service in services:
        add("services", service)
        add("organizations", service["organization"])
        for link in service["service_at_locations"]:
            add("service_at_locations", link)
            add("locations", link["location"])
            for address in link["location"]["addresses"]:
                add("addresses", address)
            for access in link["location"]["accessibility"]:
                add("accessibility", access)
        for table, key in (("languages", "languages"), ("required_documents", "required_documents"), ("cost_options", "cost_options"),
                           ("schedules", "schedules")):
            for record in service[key]:
                add(table, record)
    return tables
