"""Schemas of the API's own routers: categories and territories (places', shared ones and problems live below)."""

from typing import Any

from ninja import Schema


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
