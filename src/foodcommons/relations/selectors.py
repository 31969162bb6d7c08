"""Reads of relation facts: a place's profile in plain sentences, the short chains of a territory side by side."""

from dataclasses import dataclass

from foodcommons.places.domain.query import PlaceQuery
from foodcommons.places.models import Place, PlaceCategory
from foodcommons.places.selectors import matching_places
from foodcommons.relations.domain.grid import BY_KEY, CRITERIA, Criterion, chain_mark, fact_sentences, text_in
from foodcommons.taxonomy.selectors import category_tree, expand_categories

SHORT_CHAINS = "short-chains"
COMPARE_LIMIT = 200


@dataclass(frozen=True)
class FactRow:
    """One criterion of a place's profile: declared or not, in plain sentences, with who declared it and its check."""

    key: str
    label: str
    meaning: str
    declared: bool
    sentences: list[str]
    marks: list[str]
    declared_by: str
    declared_at: str
    evidence: str
    checked_by: str
    checked_at: str


def current_facts(place: Place) -> dict[str, dict]:
    """Return the declared facts of a place by criterion key."""
    attributes = place.attributes or {}
    return {c.key: attributes[c.attribute] for c in CRITERIA if isinstance(attributes.get(c.attribute), dict)}


def short_chain_category_ids() -> list[int]:
    """Return the ids of the short-chain categories (GASAPs, co-ops, buying groups, farm shops, markets, box schemes…)."""
    return expand_categories([SHORT_CHAINS]) if SHORT_CHAINS in category_tree().nodes else []


def is_short_chain(place: Place) -> bool:
    """Tell whether a place is of a short-chain category, so that it has a relation profile."""
    return PlaceCategory.objects.filter(place=place, category_id__in=short_chain_category_ids()).exists()


def _marks(criterion: Criterion, value, language: str) -> list[str]:
    """Return the short labels of a value (the compact visual and the comparison's cells)."""
    if criterion.kind == "chain":
        return [chain_mark(value, language)]
    if criterion.kind == "percent":
        return [f"{value:g} %"]
    codes = value if isinstance(value, list) else [value]
    return [text_in(v.label, language) for c in codes if (v := criterion.value(c))]


def fact_row(criterion: Criterion, fact: dict | None, language: str) -> FactRow:
    """Return one criterion of a profile, "not declared yet" when the place has no fact for it."""
    label, meaning = text_in(criterion.label, language), text_in(criterion.meaning, language)
    if fact is None:
        return FactRow(criterion.key, label, meaning, False, [], [], "", "", "", "", "")
    who = fact.get("declared_by") or {}
    checked = fact.get("checked") or {}
    return FactRow(criterion.key, label, meaning, True, fact_sentences(criterion, fact["value"], language),
                   _marks(criterion, fact["value"], language), who.get("kind", ""), fact.get("declared_at", ""),
                   fact.get("evidence", ""), checked.get("by", ""), checked.get("at", ""))


def profile(place: Place, language: str) -> list[FactRow]:
    """Return every criterion of the grid for a place, in the grid's order."""
    facts = current_facts(place)
    return [fact_row(c, facts.get(c.key), language) for c in CRITERIA]


def public_facts(place: Place) -> dict[str, dict | None]:
    """Return the facts of a place as the API and open data publish them (every criterion; null when not declared)."""
    facts = current_facts(place)
    return {c.key: facts.get(c.key) for c in CRITERIA}


def compared_chains(*, territory: str, criteria: list[str], language: str, relation=None) -> tuple[list[dict], int]:
    """Return the short-chain places of a territory with their cells on `criteria` (no score), and how many there are."""
    query = PlaceQuery(filters=(("territory", territory), ("category", (SHORT_CHAINS,)), *((("relation", relation),) if relation else ())),
                       limit=COMPARE_LIMIT)
    places = matching_places(query, base=Place.objects.filter(deleted_at__isnull=True)).order_by("name_fr", "pk")
    total = places.count()
    rows = []
    for place in places[:COMPARE_LIMIT]:
        facts = current_facts(place)
        cells = [fact_row(BY_KEY[k], facts.get(k), language) for k in criteria]
        rows.append({"place": place, "cells": cells, "declared": sum(c.declared for c in cells)})
    # Places with more declared facts first, then by name: what is known comes first, nothing is ranked as better.
    rows.sort(key=lambda r: (-r["declared"], r["place"].display_name(language).casefold()))
    return rows, total
