"""Places as JSON-LD: schema.org, and the Data Food Consortium ontology for producers and shops (pure)."""

import re

from foodcommons.places.domain.fields import place_fields
from foodcommons.relations.domain.jsonld import relation_terms

DFC = "https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_BusinessOntology.owl#"
CONTEXT = {
    "@vocab": "https://schema.org/",
    "schema": "https://schema.org/",
    "dfc-b": DFC,
    "geojson": "https://purl.org/geojson/vocab#",
    "license": {"@id": "schema:license", "@type": "@id"},
    "sameAs": {"@id": "schema:sameAs", "@type": "@id"},
    "url": {"@id": "schema:url", "@type": "@id"},
}
# The schema.org type of a place follows its first category, or that category's top-level ancestor.
SCHEMA_TYPES = {
    "production": "LocalBusiness", "farm-shop": "Store", "local-shop": "Store", "market": "LocalBusiness",
    "box-scheme": "LocalBusiness", "csa": "Organization", "buying-group": "Organization", "food-coop": "Store",
    "processing": "LocalBusiness", "catering": "LocalBusiness", "sustainable-restaurant": "Restaurant",
    "food-aid": "Organization", "social-grocery": "Store", "social-restaurant": "Restaurant",
    "gardens": "Place", "compost-recovery": "Place", "land": "Place", "support": "Organization",
}
# Producers, processors and shops are DFC enterprises.
DFC_ENTERPRISES = {"production", "processing", "farm-shop", "local-shop", "market", "box-scheme", "food-coop"}
LICENCE_URLS = {
    "ODbL-1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "GPL-3.0": "https://www.gnu.org/licenses/gpl-3.0.html",
}
DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
RULE = re.compile(r"^((?:(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:-(?:Mo|Tu|We|Th|Fr|Sa|Su))?,?)+)\s+((?:\d\d:\d\d-\d\d:\d\d,?)+)$")
OSM_ID = re.compile(r"^(node|way|relation)/\d+$")


def licence_url(spdx: str) -> str:
    """Return the URL of an SPDX licence."""
    return LICENCE_URLS.get(spdx, f"https://spdx.org/licenses/{spdx}.html")


def _days(spec: str) -> list[str]:
    days = []
    for part in filter(None, spec.split(",")):
        first, _, last = part.partition("-")
        start, end = DAYS.index(first), DAYS.index(last or first)
        days += [DAYS[(start + i) % 7] for i in range((end - start) % 7 + 1)]
    return days


def opening_hours_specification(value: str) -> list[dict]:
    """Return schema.org OpeningHoursSpecification of the simple rules (days and times) of an OSM value."""
    specs = []
    for rule in filter(None, (r.strip() for r in value.split(";"))):
        match = RULE.match(rule)
        if not match:
            continue
        days = [f"https://schema.org/{DAY_NAMES[DAYS.index(d)]}" for d in _days(match.group(1))]
        for span in filter(None, match.group(2).split(",")):
            opens, closes = span.split("-")
            specs.append({"@type": "OpeningHoursSpecification", "dayOfWeek": days, "opens": opens, "closes": closes})
    return specs


def schema_type(categories: list[str], top_level: dict[str, str]) -> str:
    """Return the schema.org type of a place from its categories."""
    for slug in categories:
        for key in (slug, top_level.get(slug, slug)):
            if key in SCHEMA_TYPES:
                return SCHEMA_TYPES[key]
    return "Place"


def _address(address: dict) -> dict:
    street = " ".join(filter(None, [address.get("street"), address.get("house_number")]))
    return {
        "@type": "PostalAddress",
        **({"streetAddress": street} if street else {}),
        **({"postalCode": address["postcode"]} if address.get("postcode") else {}),
        **({"addressLocality": address["locality"]} if address.get("locality") else {}),
        "addressCountry": "BE",
    }


def _language_map(texts: dict) -> list[dict]:
    return [{"@value": text, "@language": lang} for lang, text in texts.items()]


def _contacts(contacts: list[dict]) -> dict:
    out: dict = {}
    for c in contacts:
        key = {"website": "url", "email": "email", "phone": "telephone"}[c["kind"]]
        out.setdefault(key, c["value"] if key != "email" else f"mailto:{c['value']}")
    return out


def _dfc(data: dict) -> dict:
    address = data["address"]
    geometry = data.get("geometry") or {}
    dfc_address = {
        "@type": "dfc-b:Address",
        **({"dfc-b:hasStreet": " ".join(filter(None, [address.get("street"), address.get("house_number")]))} if address.get("street") else {}),
        **({"dfc-b:hasPostalCode": address["postcode"]} if address.get("postcode") else {}),
        **({"dfc-b:hasCity": address["locality"]} if address.get("locality") else {}),
        "dfc-b:hasCountry": "Belgium",
    }
    if geometry.get("type") == "Point":
        dfc_address.update({"dfc-b:longitude": geometry["coordinates"][0], "dfc-b:latitude": geometry["coordinates"][1]})
    return {"dfc-b:name": next(iter(data["name"].values()), ""), "dfc-b:hasAddress": dfc_address}


def plain_terms(data: dict) -> dict:
    """Return {schema.org term: value} of the non-empty fields places.domain.fields maps to a term (texts by language as language maps)."""
    terms = {}
    for f in place_fields():
        if f.jsonld and (value := data.get(f.name)):
            terms[f.jsonld] = _language_map(value) if isinstance(value, dict) else value
    return terms


def place_jsonld(data: dict, *, top_level: dict[str, str]) -> dict:
    """Return a place representation (as the JSON API gives it) as a JSON-LD document."""
    kind = schema_type(data["categories"], top_level)
    enterprise = any(s in DFC_ENTERPRISES or top_level.get(s) in DFC_ENTERPRISES for s in data["categories"])
    geometry = data.get("geometry") or {}
    document = {
        "@context": CONTEXT,
        "@id": data["url"],
        "@type": [kind, "dfc-b:Enterprise"] if enterprise else kind,
        "identifier": [data["id"], *({"@type": "PropertyValue", "propertyID": s["source"], "value": s["external_id"]} for s in data["sources"])],
        "name": _language_map(data["name"]),
        **({"description": _language_map(data["description"])} if data["description"] else {}),
        "address": _address(data["address"]),
        **_contacts(data["contacts"]),
        "keywords": data["categories"],
        "license": licence_url(data["licence"]),
        "creditText": " ; ".join(data["attribution"]),
        "dateModified": data["updated_at"],
        "version": str(data["version"]),
        "sameAs": [f"https://www.openstreetmap.org/{s['external_id']}" for s in data["sources"] if OSM_ID.match(s["external_id"])],
    }
    if geometry.get("type") == "Point":
        lon, lat = geometry["coordinates"][:2]
        document["geo"] = {"@type": "GeoCoordinates", "longitude": lon, "latitude": lat}
    document.update(plain_terms(data))
    if data["opening_hours"] and (specs := opening_hours_specification(data["opening_hours"])):
        document["openingHoursSpecification"] = specs
    if data["address"].get("commune"):
        document["containedInPlace"] = {"@type": "AdministrativeArea", "identifier": f"NIS:{data['address']['commune']}"}
    if enterprise:
        document.update(_dfc(data))
    context, facts = relation_terms(data.get("attributes") or {}, data["url"].split("api/places/")[0])
    if facts:
        document["@context"] = {**CONTEXT, **context}
        document.update(facts)
    return document
