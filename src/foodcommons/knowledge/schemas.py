"""Schemas of the knowledge API: answers, and the bodies of the writes of projects and documents (an organisation's editors)."""

from datetime import date
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict

BODY_CONFIG = ConfigDict(extra="forbid")


class KnowledgeTexts(Schema):
    fr: str | None = None
    nl: str | None = None
    en: str | None = None


class WorkStreamOut(Schema):
    slug: str
    name: KnowledgeTexts


class ProjectContactOut(Schema):
    name: str
    role: str
    email: str
    phone: str


class ProjectOut(Schema):
    id: str
    title: KnowledgeTexts
    summary: KnowledgeTexts
    status: str
    starts_on: date | None
    ends_on: date | None
    url: str
    organisations: list[str]
    territories: list[str]
    work_streams: list[str]
    places: list[str]
    documents: list[str]
    events: list[str]
    contacts: list[ProjectContactOut]
    page: str
    source: str


class VersionOut(Schema):
    number: int
    filename: str
    media_type: str
    size: int
    sha256: str
    url: str
    created_at: str
    note: str


class DocumentOut(Schema):
    id: str
    title: KnowledgeTexts
    description: KnowledgeTexts
    kind: str
    organisation: str | None
    territories: list[str]
    work_streams: list[str]
    authors: str
    published_on: date | None
    language: str
    licence: str
    link_url: str
    versions: list[VersionOut]
    page: str
    source: str


class PlatformOut(Schema):
    slug: str
    name: str
    url: str
    operator: str
    territories: list[str]
    coverage: KnowledgeTexts
    lists: KnowledgeTexts
    licence: str
    api_url: str
    formats: str
    update_frequency: str
    connector: str | None
    source: str


class ExpertiseOfferOut(Schema):
    id: str
    provider: str
    organisation: str | None
    title: KnowledgeTexts
    description: KnowledgeTexts
    audience: KnowledgeTexts
    needs: list[str]
    territories: list[str]
    price_model: str
    sector: str
    url: str
    page: str


class NeedCountOut(Schema):
    need: str
    territory: str | None
    count: int


class AnswerOut(Schema):
    body: str
    author: str | None
    created_at: str


class ExchangeOut(Schema):
    id: str
    kind: str
    title: str
    body: str
    organisation: str
    project: str | None
    territory: str | None
    work_streams: list[str]
    created_at: str
    answers: list[AnswerOut]
    page: str


class ProjectIn(Schema):
    """A project to create or the fields to change (PATCH: only those given); links by slug, NIS code or public id."""

    model_config = BODY_CONFIG
    title: KnowledgeTexts | None = None
    summary: KnowledgeTexts | None = None
    status: Literal["planned", "ongoing", "finished"] | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    url: str | None = None
    organisations: list[str] | None = None
    territories: list[str] | None = None
    work_streams: list[str] | None = None
    places: list[str] | None = None
    documents: list[str] | None = None


class DocumentIn(Schema):
    """A document published elsewhere (a link), or the fields to change; files are uploaded on the document's page."""

    model_config = BODY_CONFIG
    title: KnowledgeTexts | None = None
    description: KnowledgeTexts | None = None
    kind: str | None = None
    organisation: str | None = None
    territories: list[str] | None = None
    work_streams: list[str] | None = None
    authors: str | None = None
    published_on: date | None = None
    language: Literal["fr", "nl", "en", "de"] | None = None
    licence: str | None = None
    link_url: str | None = None
