"""Input and output schemas of the JSON API, one per endpoint where they differ."""

from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field

from foodcommons.places.domain.geometry import GEOMETRY_TYPES
from foodcommons.places.domain.validation import MAX_VERSION



def _integral(value):
    # JSON Schema counts 4.0 as an integer; strict bodies still refuse "4" and true.
    return int(value) if isinstance(value, float) and value.is_integer() else value


Version = Annotated[int, Field(ge=1, le=MAX_VERSION), BeforeValidator(_integral)]


# Request bodies: unknown fields are refused, and JSON values are taken as the OpenAPI document types them
# (0 is not false, "3" is not 3): what the document calls invalid, the API refuses.
BODY_CONFIG = ConfigDict(extra="forbid", strict=True)


class FieldErrorOut(Schema):
    field: str
    reason: str


class ProblemOut(Schema):
    """An RFC 9457 problem document."""

    type: str
    title: str
    status: int
    detail: str | None = None
    errors: list[FieldErrorOut] | None = None
    current: dict | None = Field(None, description="On 409: the current state of the place")


Multilingual = dict[Literal["fr", "nl", "en"], str]


class ContactIn(Schema):
    model_config = BODY_CONFIG
    kind: Literal["website", "email", "phone"]
    value: str
    private: bool = False


class AddressIn(Schema):
    model_config = BODY_CONFIG
    street: str | None = None
    house_number: str | None = None
    postcode: str | None = None
    locality: str | None = None
    commune: str | None = Field(None, description="NIS code of the commune (set from the geometry when there is one)")


class GeometryIn(Schema):
    """A GeoJSON geometry; its coordinates are checked by the places' validation (nesting, ranges, closed valid rings)."""

    model_config = ConfigDict(extra="allow")  # GeoJSON allows a bbox and foreign members
    type: Literal[GEOMETRY_TYPES]
    coordinates: list[Any] = Field(description="[lon, lat] for a Point; a list of closed rings for a Polygon; a list of those for a MultiPolygon")


class PlaceFields(Schema):
    model_config = BODY_CONFIG
    name: Multilingual | None = Field(None, description='At least one language: {"fr": "…", "nl": "…", "en": "…"}')
    description: Multilingual | None = None
    categories: list[str] | None = Field(None, description="Category identifiers (see /api/categories)")
    geometry: GeometryIn | None = Field(None, description="GeoJSON Point, Polygon or MultiPolygon, lon/lat (WGS 84)")
    areas_served: list[str] | None = Field(None, description="NIS codes of the territories served")
    address: AddressIn | None = None
    contacts: list[ContactIn] | None = None
    opening_hours: str | None = Field(None, description="OpenStreetMap opening_hours syntax")
    status: Literal["active", "temporarily_closed", "closed"] | None = None
    attributes: dict[str, Any] | None = Field(None, description="Category-specific attributes (see /api/categories)")
    licence: str | None = Field(None, description="SPDX identifier; the instance default when absent")


class PlaceCreateIn(PlaceFields):
    comment: str | None = Field(None, max_length=500, description="Why this change (kept in the history)")


class PlacePatchIn(PlaceFields):
    version: Version = Field(description="The version this change is based on")
    comment: str | None = Field(None, max_length=500)


class RevertIn(Schema):
    model_config = BODY_CONFIG
    to_version: Version
    version: Version = Field(description="The current version this revert is based on")
    comment: str | None = Field(None, max_length=500)


class RestoreIn(Schema):
    model_config = BODY_CONFIG
    comment: str | None = Field(None, max_length=500)


class ContactOut(Schema):
    kind: str
    value: str
    private: bool = False


class SourceRecordOut(Schema):
    source: str
    external_id: str
    licence: str
    attribution: str


class PlaceOut(Schema):
    id: str
    url: str
    version: int
    name: dict[str, str]
    description: dict[str, str]
    categories: list[str]
    geometry: dict[str, Any] | None
    areas_served: list[str]
    address: dict[str, str]
    territories: list[str] = Field(description="NIS codes of the commune and the territories containing it")
    contacts: list[ContactOut]
    opening_hours: str
    status: str
    attributes: dict[str, Any]
    licence: str
    attribution: list[str]
    sources: list[SourceRecordOut]
    created_at: str
    updated_at: str
    last_confirmed: str | None
    deleted: bool
    distance_m: float | None = None


class FieldOriginOut(Schema):
    origin: Literal["source", "edit"] = Field(description="'source': an imported source gave it; 'edit': a person wrote it on this platform")
    source: str | None = Field(description="Slug of the source (None for an edit)")
    source_name: str | None
    licence: str | None = Field(description="SPDX licence of the value (for an edit, the place's licence)")
    attribution: str | None
    external_id: str | None = Field(description="Identifier of the record in the source")
    observed_at: str | None = Field(description="When the source gave this value (or when the edit was recorded)")


class OtherValueOut(FieldOriginOut):
    value: Any = Field(description="What this source (or an earlier edit) says, not published")


class FieldProvenanceOut(Schema):
    published: FieldOriginOut = Field(description="Where the published value comes from")
    others: list[OtherValueOut] = Field(description="The values the other sources give for this field")


class PlaceDetailOut(PlaceOut):
    provenance: dict[str, FieldProvenanceOut] = Field(
        description="For each field with claims (name.fr, name.nl, name.en, description.*, categories, geometry, address, contacts, "
                    "opening_hours): the origin of the published value and the other sources' values; empty for places no import touched")


class PlaceWriteOut(PlaceOut):
    warnings: list[FieldErrorOut] = []


class PlaceListOut(Schema):
    total: int = Field(description="How many places match, over all pages: exact up to 1000; past that 1000 and total_exact is false")
    total_exact: bool = Field(True, description="False when more places match than `total` says (counting stops at 1000)")
    count: int
    next_cursor: str | None
    next: str | None = Field(description="URL of the next page")
    licence: str
    attribution: list[str]
    places: list[PlaceOut]


class RevisionOut(Schema):
    version: int
    action: str
    author: str | None
    created_at: str
    comment: str
    state: dict[str, Any]


class AttributeOut(Schema):
    key: str
    type: str
    labels: dict[str, str]
    choices: list[dict[str, Any]]
    minimum: float | None
    maximum: float | None
    required: bool


class CategoryOut(Schema):
    id: str
    parent: str | None
    labels: dict[str, str]
    color: str
    attributes: list[AttributeOut]


class TerritoryOut(Schema):
    code: str
    level: str
    names: dict[str, str]
    parent: str | None
    population: int | None
    bbox: list[float] | None


class TerritoryDetailOut(TerritoryOut):
    geometry: dict[str, Any] | None
