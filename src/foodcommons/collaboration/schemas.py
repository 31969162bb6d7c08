"""Input and output schemas of the collaboration API."""

from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from foodcommons.core.schemas import BODY_CONFIG, Version
from foodcommons.places.schemas import PlaceFields


class SuggestionOut(Schema):
    id: str
    kind: str
    status: str = Field(description="unconfirmed (waiting for the e-mail link), pending, accepted or rejected")
    place: str | None
    detail: str


class ChangeOut(Schema):
    field: str
    before: Any
    after: Any


class HistoryEntryOut(Schema):
    version: int
    action: str
    author: str = Field(description='A user name, "anonymous" or "deleted user"')
    created_at: str
    comment: str
    changes: list[ChangeOut]


class SuggestionIn(Schema):
    model_config = BODY_CONFIG
    kind: Literal["create", "update", "delete"] = "create"
    place: str | None = Field(None, description="The place to change or delete")
    version: Version | None = Field(None, description="The version the change is based on")
    data: PlaceFields | None = Field(None, description="The new place, or a JSON merge patch of the place")
    comment: str | None = Field(None, max_length=500)
    email: str | None = Field(None, max_length=254, description="Required without a token: a link confirms the suggestion")
    language: Literal["fr", "nl", "en"] | None = None


class QueueSuggestionOut(Schema):
    id: str
    kind: str
    place: str | None
    base_version: int | None
    current_version: int | None
    author: str
    comment: str
    created_at: str
    changes: list[ChangeOut]


class QueueReportOut(Schema):
    id: str
    place: str
    reason: str
    duplicate_of: str | None
    comment_html: str
    author: str
    created_at: str


class QueueOut(Schema):
    suggestions: list[QueueSuggestionOut]
    reports: list[QueueReportOut]


class DecisionIn(Schema):
    model_config = BODY_CONFIG
    comment: str = Field("", max_length=500)
    data: dict[str, Any] | None = Field(None, description="On accept: the moderator's merged version (patch or new place)")
    version: Version | None = Field(None, description="On accept after a conflict: the current version the merge is based on")


class ReportIn(Schema):
    model_config = BODY_CONFIG
    reason: Literal["closed", "wrong", "duplicate", "inappropriate"]
    comment: str = Field("", max_length=2000)
    duplicate_of: str | None = None
    email: str | None = Field(None, max_length=254)


class ReportOut(Schema):
    id: str
    place: str
    reason: str
    status: str


class ResolveIn(Schema):
    model_config = BODY_CONFIG
    dismiss: bool = False
    comment: str = Field("", max_length=500)


class ConfirmationOut(Schema):
    place: str
    last_confirmed: str
    confirmed_by: str


class UpkeepOut(Schema):
    place: str
    last_confirmed: str | None
    confirmed_by: str | None
    stale: bool
    maintainers: list[str]


class OrganisationIn(Schema):
    model_config = BODY_CONFIG
    slug: str = Field(max_length=64)
    name: str = Field(max_length=200)
    description: str = ""


class OrganisationOut(Schema):
    slug: str
    name: str
    description: str


class MemberIn(Schema):
    model_config = BODY_CONFIG
    username: str
    role: Literal["member", "editor", "moderator", "admin"] | None = Field(None, description="None removes the member")


class MaintainerIn(Schema):
    model_config = BODY_CONFIG
    place: str
    maintains: bool = True


class TokenIn(Schema):
    model_config = BODY_CONFIG
    name: str = Field("", max_length=100)
    can_write: bool = False


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    can_write: bool
    created_at: str
    last_used_at: str | None
    revoked: bool
    token: str | None = Field(None, description="Only in the answer that creates it")
