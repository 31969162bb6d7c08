"""The OpenStreetMap tags a correction of a tracked field suggests (pure), for a mapper to review and make with their
own account: the platform never writes to OpenStreetMap itself."""

import re

OSM_OBJECT = re.compile(r"^(node|way|relation)/(\d+)$")
LANGUAGE_TAGS = {"name": "name", "description": "description"}
CONTACT_TAGS = {"phone": "phone", "email": "email", "website": "website"}
ADDRESS_TAGS = {"street": "addr:street", "house_number": "addr:housenumber", "postcode": "addr:postcode", "locality": "addr:city"}


def osm_url(external_id: str) -> str:
    """Return the openstreetmap.org page of an OSM object's identifier ("node/123"), or "" for other identifiers."""
    found = OSM_OBJECT.match(external_id or "")
    return f"https://www.openstreetmap.org/{found[1]}/{found[2]}" if found else ""


def suggested_tags(field: str, value) -> dict[str, str]:
    """Return the tags that would carry a field's new value ({} when no tag does: a moved point, categories)."""
    base, _, language = field.partition(".")
    if base in LANGUAGE_TAGS:
        return {f"{LANGUAGE_TAGS[base]}:{language}": value or ""}
    if field == "opening_hours":
        return {"opening_hours": value or ""}
    if field == "contacts":
        return {CONTACT_TAGS[c["kind"]]: c["value"] for c in value or () if c.get("kind") in CONTACT_TAGS}
    if field == "address":
        return {tag: str((value or {}).get(part, "")) for part, tag in ADDRESS_TAGS.items() if (value or {}).get(part)}
    return {}
