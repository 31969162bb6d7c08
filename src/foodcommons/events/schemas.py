"""Request and answer schemas of the events API."""

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import AwareDatetime, ConfigDict

# Strict like the other bodies, except that times come as RFC 3339 strings (strict mode would refuse them).
BODY_CONFIG = ConfigDict(extra="forbid")


class Texts(Schema):
    model_config = BODY_CONFIG
    fr: str | None = None
    nl: str | None = None
    en: str | None = None


class SessionIn(Schema):
    model_config = BODY_CONFIG
    title: Texts
    starts_at: AwareDatetime
    ends_at: AwareDatetime | None = None


class EventIn(Schema):
    """An event to create or the fields to change (PATCH: only those given)."""

    model_config = BODY_CONFIG
    title: Texts | None = None
    description: Texts | None = None
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    programme: list[SessionIn] | None = None
    place: str | None = None
    address: str | None = None
    online_url: str | None = None
    organisation: str | None = None
    territory: str | None = None
    work_streams: list[str] | None = None
    documents: list[str] | None = None
    capacity: int | None = None
    requires_approval: bool | None = None
    questions: list[str] | None = None
    status: Literal["published", "cancelled"] | None = None


class RegistrationIn(Schema):
    """A registration: an e-mail address unless the token names a person, a name, answers to the event's questions."""

    model_config = BODY_CONFIG
    email: str | None = None
    name: str | None = None
    answers: list[str] | None = None
    language: str | None = None


class RegistrationOut(Schema):
    id: str
    status: str
    detail: str


class ParticipantOut(Schema):
    id: str
    name: str
    email: str
    status: str
    registered_at: datetime
    language: str
    answers: list[dict]


class SessionOut(Schema):
    title: dict[str, str]
    starts_at: datetime
    ends_at: datetime | None


class EventOut(Schema):
    """An event, with its schema.org Event document (`jsonld`) and its calendar file (`ics`)."""

    id: str
    title: dict[str, str]
    description: dict[str, str]
    starts_at: datetime
    ends_at: datetime
    programme: list[SessionOut]
    place: str | None
    address: str
    online_url: str
    organisation: str | None
    territory: str | None
    work_streams: list[str]
    documents: list[str]
    capacity: int | None
    seats_left: int | None
    requires_approval: bool
    questions: list[str]
    status: str
    url: str
    ics: str
    jsonld: dict
