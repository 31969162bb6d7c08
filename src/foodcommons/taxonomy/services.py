"""Writes of the taxonomy: seeding the shared tree of categories and their attributes."""

import json
from importlib import resources

from django.db import transaction

from foodcommons.taxonomy.models import AttributeDefinition, Category


def read_seed() -> dict:
    """Return the bundled food-commons taxonomy."""
    with resources.files("foodcommons.taxonomy").joinpath("data/seed.json").open("rb") as f:
        return json.load(f)


def _choices(spec: dict, choice_lists: dict) -> list:
    choices = spec.get("choices", [])
    return choice_lists[choices] if isinstance(choices, str) else choices


def _upsert(node: dict, parent: Category | None, position: int, choice_lists: dict) -> int:
    labels = node["labels"]
    category, _ = Category.objects.update_or_create(
        slug=node["id"],
        defaults={
            "parent": parent,
            "label_fr": labels["fr"],
            "label_nl": labels.get("nl", ""),
            "label_en": labels.get("en", ""),
            "color": node.get("color", ""),
            "position": position,
        },
    )
    for i, spec in enumerate(node.get("attributes", [])):
        AttributeDefinition.objects.update_or_create(
            category=category,
            key=spec["key"],
            defaults={
                "type": spec["type"],
                "label_fr": spec["labels"]["fr"],
                "label_nl": spec["labels"].get("nl", ""),
                "label_en": spec["labels"].get("en", ""),
                "choices": _choices(spec, choice_lists),
                "minimum": spec.get("min"),
                "maximum": spec.get("max"),
                "required": spec.get("required", False),
                "position": i,
            },
        )
    return 1 + sum(_upsert(child, category, i, choice_lists) for i, child in enumerate(node.get("children", [])))


@transaction.atomic
def seed_taxonomy() -> int:
    """Create or update the bundled categories (edits of other categories are kept); return how many."""
    seed = read_seed()
    count = sum(_upsert(node, None, i, seed.get("choice_lists", {})) for i, node in enumerate(seed["categories"]))
    from foodcommons.taxonomy.selectors import forget_cached_tree

    forget_cached_tree()
    return count
