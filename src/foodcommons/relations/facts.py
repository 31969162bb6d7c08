"""Relation facts as a structured type of place attributes (decision 0008): the cleaning rule the taxonomy calls."""

from foodcommons.relations.domain.grid import BY_ATTRIBUTE, clean_fact
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
