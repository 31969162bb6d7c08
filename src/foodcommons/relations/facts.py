"""Structured types of place attributes (decision 0008): relation facts and dated closures, cleaned by the rules the taxonomy calls."""

from foodcommons.relations.domain.foodaid import clean_closures
from foodcommons.relations.domain.grid import BY_ATTRIBUTE, clean_fact
from foodcommons.relations.domain.land import clean_stages
from foodcommons.taxonomy.attributes import AttributeSpec, register_attribute_type

FACT_TYPE = "relation_fact"


def clean_relation_fact(spec: AttributeSpec, value) -> dict:
    """Return a declared fact in its stored shape (ValueError when the grid refuses it)."""
    criterion = BY_ATTRIBUTE.get(spec.key)
    if criterion is None:
        raise ValueError(f"{spec.key} is not a criterion of the relation grid")
    return clean_fact(criterion, value)


def register_fact_type() -> None:
    """Teach place attributes the relation_fact type."""
    register_attribute_type(FACT_TYPE, clean_relation_fact)


def clean_closures_attribute(spec: AttributeSpec, value) -> list[dict]:
    """Return the dated temporary closures of a food-aid place in their stored shape."""
    return clean_closures(value)


def register_closures_type() -> None:
    """Teach place attributes the closures type (dated temporary closures of food aid)."""
    register_attribute_type("closures", clean_closures_attribute)


def clean_stages_attribute(spec: AttributeSpec, value) -> list[dict]:
    """Return the dated stages of a threatened field's project in their stored shape."""
    return clean_stages(value)


def register_land_types() -> None:
    """Teach place attributes the land_stages type (the stages of a project on threatened farmland)."""
    register_attribute_type("land_stages", clean_stages_attribute)
