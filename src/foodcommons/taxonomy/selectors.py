"""Reads of the taxonomy: the tree, subcategories, and the attributes a set of categories allows."""

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from django.db.models.signals import post_delete, post_save

from foodcommons.core.text import fold
from foodcommons.core.versions import bump, shared_cache
from foodcommons.taxonomy.attributes import STRUCTURED_TYPES, AttributeSpec
from foodcommons.taxonomy.domain.names import find_category_names, phrases_of
from foodcommons.taxonomy.models import AttributeDefinition, Category


@dataclass(frozen=True)
class CategoryNode:
    """A category as the tree cache holds it."""

    id: int
    slug: str
    parent_slug: str | None
    labels: dict
    color: str
    position: int


@dataclass(frozen=True)
class Tree:
    """The whole taxonomy in memory: it is small and read on every search."""

    nodes: dict[str, CategoryNode]
    children: dict[str | None, list[str]]
    specs: dict[str, tuple[AttributeSpec, ...]]

    def descendants(self, slug: str) -> list[str]:
        """Return `slug` and all the slugs below it."""
        found, stack = [], [slug]
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(self.children.get(current, []))
        return found

    def ancestors(self, slug: str) -> list[str]:
        """Return the slugs above `slug`, nearest first."""
        chain, current = [], self.nodes[slug].parent_slug
        while current:
            chain.append(current)
            current = self.nodes[current].parent_slug
        return chain

    def color(self, slug: str) -> str:
        """Return the colour of a category, inherited from the nearest ancestor that has one."""
        for s in [slug, *self.ancestors(slug)]:
            if self.nodes[s].color:
                return self.nodes[s].color
        return "#666666"


@shared_cache("taxonomy")
def category_tree() -> Tree:
    """Return the cached taxonomy tree (rebuilt in every process after any change of a category or attribute)."""
    rows = list(Category.objects.select_related("parent").order_by("position", "slug"))
    nodes = {
        c.slug: CategoryNode(c.id, c.slug, c.parent.slug if c.parent else None, c.labels, c.color, c.position)
        for c in rows
    }
    children: dict[str | None, list[str]] = {}
    for node in nodes.values():
        children.setdefault(node.parent_slug, []).append(node.slug)
    specs: dict[str, list[AttributeSpec]] = {}
    for d in AttributeDefinition.objects.select_related("category"):
        listed = [c for c in d.choices or [] if isinstance(c, dict) and "value" in c]
        choices = tuple(c["value"] for c in listed)
        specs.setdefault(d.category.slug, []).append(
            AttributeSpec(d.key, d.type, choices, d.minimum, d.maximum, d.required, d.category.slug, d.labels,
                          {c["value"]: c.get("labels") or {} for c in listed})
        )
    return Tree(nodes, children, {k: tuple(v) for k, v in specs.items()})


@lru_cache(maxsize=1)
def alt_labels() -> dict[str, dict[str, list[str]]]:
    """Return the synonyms (SKOS altLabels) of the bundled categories, by slug then language."""
    with resources.files("foodcommons.taxonomy").joinpath("data/seed.json").open("rb") as f:
        seed = json.load(f)
    found: dict[str, dict[str, list[str]]] = {}
    stack = list(seed["categories"])
    while stack:
        node = stack.pop()
        if node.get("alt_labels"):
            found[node["id"]] = node["alt_labels"]
        stack.extend(node.get("children", []))
    return found


_PHRASES: dict[int, tuple[Tree, dict]] = {}


def _category_phrases(tree: Tree) -> dict[tuple[str, ...], frozenset[str]]:
    """Return every folded name and synonym of the tree's categories, with the slugs each names (kept per tree)."""
    kept = _PHRASES.get(id(tree))
    if kept and kept[0] is tree:
        return kept[1]
    synonyms = alt_labels()
    phrases: dict[tuple[str, ...], set[str]] = {}
    for slug, node in tree.nodes.items():
        names = [*node.labels.values(), *(w for words in synonyms.get(slug, {}).values() for w in words)]
        for phrase in phrases_of(names):
            phrases.setdefault(phrase, set()).add(slug)
    frozen = {k: frozenset(v) for k, v in phrases.items()}
    _PHRASES.clear()
    _PHRASES[id(tree)] = (tree, frozen)
    return frozen


@shared_cache("taxonomy")
def category_slugs() -> tuple[tuple[int, str], ...]:
    """Return every (id, slug) pair of categories, sorted: what copies of places' category lists depend on."""
    return tuple(sorted((node.id, slug) for slug, node in category_tree().nodes.items()))


def categories_named(tokens: list[str]) -> tuple[list[frozenset[str]], list[str]]:
    """Return the categories the search words name (in FR, NL or EN, synonyms included) and the other words."""
    return find_category_names(tokens, _category_phrases(category_tree()))


def forget_cached_tree(**_) -> None:
    """Give the taxonomy a new version, so that every process (this one at once) rebuilds its tree."""
    bump("taxonomy")
    category_tree.cache_clear()


for _model in (Category, AttributeDefinition):
    post_save.connect(forget_cached_tree, sender=_model, dispatch_uid=f"forget-tree-save-{_model.__name__}")
    post_delete.connect(forget_cached_tree, sender=_model, dispatch_uid=f"forget-tree-delete-{_model.__name__}")


def attribute_specs_for(slugs: list[str]) -> dict[str, AttributeSpec]:
    """Return the attributes that places of these categories may carry, inherited from ancestors."""
    return attribute_specs_in(category_tree(), slugs)


def attribute_specs_in(tree: Tree, slugs: list[str]) -> dict[str, AttributeSpec]:
    """Return the attributes that places of these categories may carry in `tree`, inherited from ancestors."""
    specs: dict[str, AttributeSpec] = {}
    for slug in slugs:
        for s in [slug, *tree.ancestors(slug)] if slug in tree.nodes else []:
            for spec in tree.specs.get(s, ()):
                specs.setdefault(spec.key, spec)
    return specs


def expand_categories(slugs: list[str]) -> list[int]:
    """Return the ids of the given categories and all their subcategories."""
    tree = category_tree()
    return sorted({tree.nodes[d].id for s in slugs if s in tree.nodes for d in tree.descendants(s)})


def category_choices(language: str) -> list[tuple[str, str]]:
    """Return (slug, label) of every category, labelled in `language` (French, then the slug, as fallback) and sorted in it."""
    labelled = [(slug, node.labels.get(language) or node.labels.get("fr") or slug) for slug, node in category_tree().nodes.items()]
    # Folded, so that "Épicerie" sorts with the e's and case does not split the list.
    return sorted(labelled, key=lambda choice: (fold(choice[1]), choice[0]))


def list_categories():
    """Return all categories with their attributes, in tree order."""
    return Category.objects.select_related("parent").prefetch_related("attributes").order_by("position", "slug")


def category_groups(language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Return the categories as (top category's label, [(slug, label)]) groups in `language`, each sorted in it, the top one first."""
    tree = category_tree()

    def label(slug: str) -> str:
        node = tree.nodes[slug]
        return node.labels.get(language) or node.labels.get("fr") or slug

    groups = []
    for top in tree.children.get(None, []):
        below = sorted((s for s in tree.descendants(top) if s != top), key=lambda s: (fold(label(s)), s))
        groups.append((label(top), [(top, label(top)), *((s, label(s)) for s in below)]))
    return sorted(groups, key=lambda group: fold(group[0]))


def form_attributes(language: str) -> list[dict]:
    """Return every category attribute as the contributor form shows it: key, type, label and choices in `language`, and the categories it belongs to."""
    tree = category_tree()
    found = []
    for d in AttributeDefinition.objects.select_related("category").order_by("category__position", "category__slug", "key"):
        if d.category.slug not in tree.nodes or d.type in STRUCTURED_TYPES:
            continue  # structured values have their own forms
        choices = [(c["value"], (c.get("labels") or {}).get(language) or (c.get("labels") or {}).get("fr") or c["value"])
                   for c in d.choices or [] if isinstance(c, dict) and "value" in c]
        found.append({"key": d.key, "type": d.type, "label": (d.labels or {}).get(language) or (d.labels or {}).get("fr") or d.key,
                      "choices": choices, "required": d.required, "minimum": d.minimum, "maximum": d.maximum,
                      "categories": tree.descendants(d.category.slug)})
    return found
