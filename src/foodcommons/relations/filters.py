"""The `relation` filter of every place query (API, directory, map): conditions on declared relation facts."""

from django.db.models import Q

from foodcommons.places.domain.query import Filter, register_filter
from foodcommons.relations.domain.filters import DESCRIPTION, parse_relation
from foodcommons.relations.domain.grid import BY_KEY


def _declared(criterion_key: str, code: str) -> Q:
    criterion = BY_KEY[criterion_key]
    path = f"attributes__{criterion.attribute}__value"
    if criterion.kind == "choice":
        return Q(**{path: code})
    # A list of codes in the grid's order: the code is at one of its positions (JSON containment is not on SQLite).
    condition = Q()
    for position in range(len(criterion.values)):
        condition |= Q(**{f"{path}__{position}": code})
    return condition


def with_relation_facts(pairs, query) -> Q:
    """Places whose declared relation facts meet every condition."""
    condition = Q()
    for key, value in pairs:
        if key == "intermediaries_max":
            condition &= Q(attributes__relation_chain__count__lte=value)
        elif key == "producer_share_min":
            condition &= Q(attributes__relation_producer_share__value__gte=value)
        else:
            condition &= _declared(key, value)
    return condition


def register_relation_filter() -> None:
    """Make `relation` a filter of every query of places."""
    register_filter(Filter("relation", parse_relation, with_relation_facts, DESCRIPTION, many=True))
