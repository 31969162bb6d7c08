"""Structured types of place attributes (decision 0008): relation facts and dated closures, cleaned by the rules the taxonomy calls."""

from foodcommons.relations.domain.foodaid import CLOSURE_REASONS, clean_closures
from foodcommons.relations.domain.grid import BY_ATTRIBUTE, clean_fact, fact_sentences, text_in
from foodcommons.relations.domain.land import clean_stages, stage_label
from foodcommons.taxonomy.attributes import AttributeSpec, register_attribute_type

FACT_TYPE = "relation_fact"


def clean_relation_fact(spec: AttributeSpec, value) -> dict:
    """Return a declared fact in its stored shape (ValueError when the grid refuses it)."""
    criterion = BY_ATTRIBUTE.get(spec.key)
    if criterion is None:
        raise ValueError(f"{spec.key} is not a criterion of the relation grid")
    return clean_fact(criterion, value)


def describe_relation_fact(spec: AttributeSpec, value, language: str) -> str:
    """Say a relation fact in words (the history shows it so): its sentences, who declared it and when."""
    criterion = BY_ATTRIBUTE.get(spec.key)
    if criterion is None or not isinstance(value, dict) or "value" not in value:
        return ""
    who = (value.get("declared_by") or {}).get("name") or ""
    return " ".join(fact_sentences(criterion, value["value"], language)) + (f" ({who}, {value.get('declared_at', '')})" if who else "")


def register_fact_type() -> None:
    """Teach place attributes the relation_fact type."""
    register_attribute_type(FACT_TYPE, clean_relation_fact, describe_relation_fact)


def clean_closures_attribute(spec: AttributeSpec, value) -> list[dict]:
    """Return the dated temporary closures of a food-aid place in their stored shape."""
    return clean_closures(value)


def describe_closures(spec: AttributeSpec, value, language: str) -> str:
    """Say dated closures in words: from, to and why."""
    return "; ".join(f"{c['from']} – {c['to']} ({text_in(CLOSURE_REASONS.get(c['reason'], CLOSURE_REASONS['other']), language)})"
                     for c in value or [] if isinstance(c, dict))


def register_closures_type() -> None:
    """Teach place attributes the closures type (dated temporary closures of food aid)."""
    register_attribute_type("closures", clean_closures_attribute, describe_closures)


def clean_stages_attribute(spec: AttributeSpec, value) -> list[dict]:
    """Return the dated stages of a threatened field's project in their stored shape."""
    return clean_stages(value)


def describe_stages(spec: AttributeSpec, value, language: str) -> str:
    """Say the stages of a project in words, with their dates."""
    return "; ".join(f"{stage_label(s['stage'], language)} ({s['from']}{' – ' + s['to'] if s.get('to') else ''})"
                     for s in value or [] if isinstance(s, dict))


def register_land_types() -> None:
    """Teach place attributes the land_stages type (the stages of a project on threatened farmland)."""
    register_attribute_type("land_stages", clean_stages_attribute, describe_stages)
