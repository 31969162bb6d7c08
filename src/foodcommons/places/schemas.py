"""Request and answer schemas of places; PlaceFields and PlaceOut are built from places.domain.fields."""

from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, create_model

from foodcommons.core.fields import FieldSet, Shape
from foodcommons.core.schemas import BODY_CONFIG, FieldErrorOut, Version
from foodcommons.places.domain.fields import place_fields
from foodcommons.places.domain.geometry import GEOMETRY_TYPES

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


class ContactOut(Schema):
    kind: str
    value: str
    private: bool = False


class SourceRecordOut(Schema):
    source: str
    external_id: str
    licence: str
    attribution: str


# The names a field's Shape may give as a string (the schemas above).
NAMES = {"Multilingual": Multilingual, "ContactIn": ContactIn, "AddressIn": AddressIn, "GeometryIn": GeometryIn,
         "ContactOut": ContactOut, "SourceRecordOut": SourceRecordOut}


def _resolve(annotation):
    """Return the type a Shape names: a type as is, or "Name", "list[Name]", "… | None" with Name from NAMES."""
    if not isinstance(annotation, str):
        return annotation
    if annotation.endswith(" | None"):
        return _resolve(annotation.removesuffix(" | None")) | None
    if annotation.startswith("list[") and annotation.endswith("]"):
        return list[_resolve(annotation[5:-1])]
    return NAMES[annotation]


def _definition(shape: Shape) -> tuple:
    return _resolve(shape.annotation), Field(shape.default, description=shape.description) if shape.description else shape.default


class _Body(Schema):
    model_config = BODY_CONFIG


def fields_schema(fields: FieldSet, name: str = "PlaceFields") -> type[Schema]:
    """Return the schema of the writable fields of a request body."""
    return create_model(name, __base__=_Body, __module__=__name__, **{f.name: _definition(f.body) for f in fields if f.body})


def answer_schema(fields: FieldSet, name: str = "PlaceOut") -> type[Schema]:
    """Return the schema of a representation: every field an answer carries, in the set's order."""
    return create_model(name, __base__=Schema, __module__=__name__, **{f.name: _definition(f.answer) for f in fields if f.answer})


def cut_answer_schema(whole: type[Schema], name: str) -> type[Schema]:
    """Return the schema of a representation cut to some keys (`properties=`): `id` always, any other key of `whole`."""
    kept = {k: (f.annotation, f if k == "id" else Field(None, description=f.description)) for k, f in whole.model_fields.items()}
    return create_model(name, __base__=Schema, __module__=__name__, **kept)  # type: ignore[call-overload]


PlaceFields = fields_schema(place_fields())
PlaceOut = answer_schema(place_fields())
PlaceCutOut = cut_answer_schema(PlaceOut, "PlaceCutOut")


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
    licence: str | None = Field(description="The licence of every place of the page and its source records; null when they differ (see licences)")
    licences: list[str] = Field(description="The SPDX identifiers of the licences of the places of the page and of their source records")
    attribution: list[str]
    places: list[PlaceOut | PlaceCutOut] = Field(  # type: ignore[valid-type]
        description="The places of the page, whole (PlaceOut); with `properties=`, each holds only `id` and the keys named (PlaceCutOut)")


class RevisionOut(Schema):
    version: int
    action: str
    author: str | None
    created_at: str
    comment: str
    state: dict[str, Any]
