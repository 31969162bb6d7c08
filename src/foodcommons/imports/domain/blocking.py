"""Pure helpers of the matching view of places: the group (top category) of a category, and sources placed on centroids."""

from collections import defaultdict
from collections.abc import Callable
from functools import cache


def root_category(tree, slug: str) -> str:
    """Return the top-level category a category belongs to."""
    while (node := tree.nodes.get(slug)) and node.parent_slug:
        slug = node.parent_slug
    return slug


def groups_of(tree) -> Callable[[str], str]:
    """Return root_category for `tree`, remembering each category's answer (a walk up the tree per category, not per place)."""
    return cache(lambda slug: root_category(tree, slug))


def coarse_sources(sources: dict[int, set[str]], at_centroid: set[int], share: float = 0.3) -> set[str]:
    """Return the sources that place many of their records on shared points: their coordinates are commune centroids."""
    total: defaultdict[str, int] = defaultdict(int)
    shared: defaultdict[str, int] = defaultdict(int)
    for place_id, slugs in sources.items():
        for slug in slugs:
            total[slug] += 1
            shared[slug] += place_id in at_centroid
    return {slug for slug, n in total.items() if n >= 10 and shared[slug] / n >= share}
