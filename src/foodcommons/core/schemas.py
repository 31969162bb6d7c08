"""Schemas every app's API shares: problem documents, the strictness of request bodies, versions."""

from typing import Annotated

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field

from foodcommons.core.ids import MAX_VERSION


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
