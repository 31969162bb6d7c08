"""Our fields and the OpenStreetMap tags they are read from, both ways (pure): the OSM connector reads with this table,
and the outbox maps people's corrections back onto the same tags, as an osmChange file a mapper reviews and uploads
with their own account: the platform never writes to OpenStreetMap itself."""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

OSM_OBJECT = re.compile(r"^(node|way|relation)/(\d+)$")
# The language the connector gives the plain `name` and `description` tags (the other languages are `name:nl`, …).
READ_LANGUAGE = "fr"
# Record field → the tags it is read from, the first present wins; a correction is written back into the tag that was
# read (the first present on the object), else into the first of the list.
READ_TAGS: dict[str, tuple[str, ...]] = {
    "name": ("name",), "description": ("description",),
    "street": ("addr:street",), "house_number": ("addr:housenumber",), "postcode": ("addr:postcode",), "locality": ("addr:city",),
    "phone": ("phone", "contact:phone"), "email": ("email", "contact:email"), "website": ("website", "contact:website", "url"),
    "opening_hours": ("opening_hours",),
}
ADDRESS_PARTS = ("street", "house_number", "postcode", "locality")
CONTACT_KINDS = ("phone", "email", "website")
GENERATOR = "foodcommons outbox"


def osm_url(external_id: str) -> str:
    """Return the openstreetmap.org page of an OSM object's identifier ("node/123"), or "" for other identifiers."""
    found = OSM_OBJECT.match(external_id or "")
    return f"https://www.openstreetmap.org/{found[1]}/{found[2]}" if found else ""


def first_tag(tags: dict, record_field: str) -> str:
    """Return the value of the first tag a record field is read from, or ""."""
    return next((str(tags[k]) for k in READ_TAGS[record_field] if tags.get(k)), "")


def _tag_for(tags: dict, record_field: str) -> str:
    return next((k for k in READ_TAGS[record_field] if tags.get(k)), READ_TAGS[record_field][0])


def _language_tag(base: str, language: str) -> str:
    return READ_TAGS[base][0] if language == READ_LANGUAGE else f"{READ_TAGS[base][0]}:{language}"


def tag_changes(field_name: str, source_value, new_value, tags: dict | None = None) -> dict[str, str | None]:
    """Return the tags a correction of one of our fields sets ({tag: value}, None: removed); {} when no tag carries it
    (categories, the point of a way). `tags` are the object's current tags (which of `phone`/`contact:phone` it uses)."""
    tags = tags or {}
    base, _, language = field_name.partition(".")
    if base in ("name", "description") and language:
        return {_language_tag(base, language): new_value or None}
    if field_name == "opening_hours":
        return {"opening_hours": new_value or None}
    if field_name == "address":
        old, new = source_value or {}, new_value or {}
        return {_tag_for(tags, part): new.get(part) or None for part in ADDRESS_PARTS if (old.get(part) or None) != (new.get(part) or None)}
    if field_name == "contacts":
        return _contact_changes(source_value or [], new_value or [], tags)
    return {}


def _contact_changes(old: list, new: list, tags: dict) -> dict[str, str | None]:
    changes: dict[str, str | None] = {}
    for kind in CONTACT_KINDS:
        before = [c["value"] for c in old if c.get("kind") == kind]
        after = [c["value"] for c in new if c.get("kind") == kind]
        if sorted(before) != sorted(after):
            changes[_tag_for(tags, kind)] = ";".join(after) or None  # OSM lists several values with ";"
    return changes


def suggested_tags(field_name: str, value) -> dict[str, str]:
    """Return the tags that would carry a field's new value, for the GeoJSON of mappers ({} when no tag does)."""
    return {tag: v or "" for tag, v in tag_changes(field_name, None, value).items()}


@dataclass
class OsmObject:
    """An OpenStreetMap object as the import read it: what an osmChange <modify> must repeat whole."""

    kind: str  # node, way, relation
    id: int
    version: int | None
    tags: dict[str, str]
    lat: float | None = None
    lon: float | None = None
    nodes: list[int] | None = None  # a way's node references, in order
    members: list[dict] | None = None  # a relation's {type, ref, role}

    @classmethod
    def from_record(cls, data: dict | None) -> "OsmObject | None":
        """Return the object kept in a source record's `osm` member, or None."""
        if not isinstance(data, dict) or data.get("type") not in ("node", "way", "relation"):
            return None
        return cls(kind=data["type"], id=int(data["id"]), version=data.get("version"), tags=dict(data.get("tags") or {}), lat=data.get("lat"),
                   lon=data.get("lon"), nodes=data.get("nodes"), members=data.get("members"))

    def as_record(self) -> dict:
        """Return the object as a source record keeps it (only what is known)."""
        kept = {"type": self.kind, "id": self.id, "version": self.version, "tags": self.tags, "lat": self.lat, "lon": self.lon,
                "nodes": self.nodes, "members": self.members}
        return {k: v for k, v in kept.items() if v is not None}

    def missing(self) -> str:
        """Return why a <modify> of this object cannot be written ("" when it can)."""
        if self.version is None:
            return "no_version"
        if self.kind == "node" and (self.lat is None or self.lon is None):
            return "no_location"
        if (self.kind == "way" and not self.nodes) or (self.kind == "relation" and self.members is None):
            return "no_members"
        return ""


@dataclass
class Change:
    """One object's corrections: the tags to set or remove, and a node's new point."""

    target: OsmObject
    tags: dict[str, str | None] = field(default_factory=dict)
    point: tuple[float, float] | None = None  # (lon, lat)

    def apply(self, field_name: str, source_value, new_value) -> bool:
        """Add one correction; return False when no part of the object carries it."""
        if field_name == "geometry":
            coordinates = (new_value or {}).get("coordinates") if isinstance(new_value, dict) else None
            if self.target.kind != "node" or (new_value or {}).get("type") != "Point" or not coordinates:
                return False
            self.point = (float(coordinates[0]), float(coordinates[1]))
            return True
        changes = tag_changes(field_name, source_value, new_value, self.target.tags)
        self.tags.update(changes)
        return bool(changes)

    def new_tags(self) -> dict[str, str]:
        """Return the object's whole set of tags after the corrections."""
        tags = dict(self.target.tags)
        for key, value in self.tags.items():
            if value is None:
                tags.pop(key, None)
            else:
                tags[key] = value
        return tags


def osmchange(changes: list[Change]) -> bytes:
    """Return an OSM API 0.6 osmChange document modifying each object: its version, whole tags, nodes or members."""
    root = ET.Element("osmChange", version="0.6", generator=GENERATOR)
    modify = ET.SubElement(root, "modify")
    for change in changes:
        modify.append(_element(change))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _element(change: Change) -> ET.Element:
    target = change.target
    element = ET.Element(target.kind, id=str(target.id), version=str(target.version))
    if target.kind == "node":
        lon, lat = change.point or (target.lon, target.lat)
        element.set("lat", f"{lat:.7f}")
        element.set("lon", f"{lon:.7f}")
    for ref in target.nodes or () if target.kind == "way" else ():
        ET.SubElement(element, "nd", ref=str(ref))
    for member in target.members or () if target.kind == "relation" else ():
        ET.SubElement(element, "member", type=str(member["type"]), ref=str(member["ref"]), role=str(member.get("role", "")))
    for key, value in sorted(change.new_tags().items()):
        ET.SubElement(element, "tag", k=key, v=value)
    return element
