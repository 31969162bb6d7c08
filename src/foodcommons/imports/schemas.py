"""Input and output schemas of the imports API."""

from typing import Literal

from ninja import Schema
from pydantic import Field


class SourceOut(Schema):
    slug: str
    name: str
    organisation: str = Field(description="Identifier (slug) of the organisation that keeps the list; empty: platform staff")
    licence: str
    attribution: str
    format: str
    location: str
    priority: int
    overrides_people: bool
    schedule_hours: int | None
    field_mapping: dict
    category_mapping: dict
    default_category: str
    last_run_at: str | None


class RunOut(Schema):
    id: int
    source: str
    status: str
    location: str
    format: str
    started_at: str
    finished_at: str | None
    counts: dict
    errors: list[dict] = Field(description="[{row, field, reason}]")
    decisions: list[dict] = Field(description="[{row, external_id, action, place, score, reasons}]")
    notices: list[dict] = Field(description="[{row, field, value, code, outcome, fix}]: values dropped (outcome 'dropped') or changed "
                                "('changed') and locations to check ('check'); codes in docs/imports.md")


class CandidatePlaceOut(Schema):
    id: str
    name: str
    url: str


class CandidateOut(Schema):
    id: int
    a: CandidatePlaceOut
    b: CandidatePlaceOut
    score: float
    reasons: list[str]
    status: str


class MergeIn(Schema):
    keep: Literal["a", "b"] = Field("a", description="Which place survives; the other is deleted and points to it")
    take_from_other: list[str] = Field([], description="Tracked fields (name.fr, contacts, geometry, …) whose value to take from the "
                                       "other place; the choice is kept as people's, so re-imports do not undo it")


class MissingOut(Schema):
    source: str
    external_id: str
    place: str
    missing_since: str


class ProvenanceOut(Schema):
    id: str
    fields: dict[str, list[dict]] = Field(description="{field: [{source, source_name, external_id, licence, attribution, value, observed_at, published}]}")


class CorrectionOut(Schema):
    id: int
    source: str
    place: str = Field(description="Public id of the place")
    external_id: str = Field(description="The record's identifier in the source ('' if the record is gone)")
    field: str = Field(description="Tracked field: name.fr, description.nl, categories, geometry, address, contacts, opening_hours")
    source_value: object = Field(description="The value the source gives")
    new_value: object = Field(description="The value people wrote (null: removed)")
    author: str
    comment: str
    created_at: str
    updated_at: str
    status: str = Field(description="open, applied, declined, or closed (settled by itself: see closed_because)")
    closed_because: str = Field(description="source_agrees (a re-import brought the new value) or put_back (people restored the source's)")
    conflict: dict | None = Field(description="{value, run, at}: a re-import brought another value than people's")


class CorrectionDecisionIn(Schema):
    status: str = Field(description="applied (made in the source's list) or declined (the list is right)")
