"""Relation facts in a place's JSON-LD (pure): our own documented terms (docs/relations.md), the values as the SKOS
concepts of the grid."""

from foodcommons.relations.domain.grid import CRITERIA

TERMS_PATH = "relations/terms#"


def relation_terms(attributes: dict, base_url: str) -> tuple[dict, dict]:
    """Return (context entries, document entries) for the declared relation facts of a place; both empty when none."""
    scheme = f"{base_url}relations/criteria"
    document = {}
    for criterion in CRITERIA:
        fact = (attributes or {}).get(criterion.attribute)
        if not isinstance(fact, dict):
            continue
        value = fact["value"]
        if criterion.kind == "chain":
            shown = {"fcr:intermediaries": len(value), "fcr:intermediary": [
                {"@type": "Organization", "name": step["name"], "fcr:role": {"@id": f"{scheme}/chain/{step['role']}"}} for step in value]}
        elif criterion.kind == "percent":
            shown = {"fcr:value": value}
        else:
            codes = value if isinstance(value, list) else [value]
            shown = {"fcr:value": [{"@id": f"{scheme}/{criterion.key}/{code}"} for code in codes]}
        who = fact.get("declared_by") or {}
        document[f"fcr:{criterion.key}"] = {
            "@type": "fcr:RelationFact", "fcr:criterion": {"@id": f"{scheme}/{criterion.key}"}, **shown,
            "fcr:declaredBy": who.get("kind", ""), **({"fcr:declarerName": who["name"]} if who.get("name") else {}),
            "dateCreated": fact.get("declared_at"), **({"fcr:evidence": {"@id": fact["evidence"]}} if fact.get("evidence") else {}),
            **({"fcr:checkedBy": fact["checked"]["by"], "fcr:checkedOn": fact["checked"]["at"]} if fact.get("checked") else {}),
        }
    return ({"fcr": f"{base_url}{TERMS_PATH}"} if document else {}), document
