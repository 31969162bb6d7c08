"""The DFC product tree as the matching sees it: families, ancestors and how two products relate. Pure."""

from dataclasses import dataclass, field

EXACT, NARROWER, BROADER, SIBLING = "exact", "narrower", "broader", "sibling"


@dataclass(frozen=True)
class ProductTree:
    """Products by id with their broader product, labels and default months (the bundled DFC taxonomy)."""

    broader: dict[str, str | None]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    months: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def __contains__(self, product: str) -> bool:
        return product in self.broader

    def ancestors(self, product: str) -> list[str]:
        """Return the broader products of `product`, nearest first."""
        found: list[str] = []
        parent = self.broader.get(product)
        while parent and parent not in found:
            found.append(parent)
            parent = self.broader.get(parent)
        return found

    def family(self, product: str) -> str:
        """Return the top of the product's branch (vegetable, fruit, dairy-product…): the SQL pre-filter's key."""
        lineage = self.ancestors(product)
        return lineage[-1] if lineage else product

    def relation(self, asked: str, offered: str) -> str | None:
        """Tell how an offered product answers an asked one: exact, narrower, broader, sibling (same parent) or None."""
        if asked == offered:
            return EXACT
        if asked in self.ancestors(offered):
            return NARROWER
        if offered in self.ancestors(asked):
            return BROADER
        if self.broader.get(asked) and self.broader.get(asked) == self.broader.get(offered):
            return SIBLING
        return None

    def label(self, product: str, language: str) -> str:
        """Return the product's label in `language`, falling back to English, French, then its id."""
        labels = self.labels.get(product, {})
        return labels.get(language) or labels.get("en") or labels.get("fr") or product

    def default_months(self, product: str) -> tuple[int, ...]:
        """Return the months (1–12) a fruit or vegetable is in season, from its own entry or its nearest broader one; all year otherwise."""
        for key in [product, *self.ancestors(product)]:
            if key in self.months:
                return self.months[key]
        return tuple(range(1, 13))


def tree_from_data(data: dict) -> ProductTree:
    """Build the tree from the bundled products.json structure."""
    products = data["products"]
    return ProductTree(
        broader={k: p.get("broader") for k, p in products.items()},
        labels={k: p.get("labels", {}) for k, p in products.items()},
        months={k: tuple(p["months"]) for k, p in products.items() if p.get("months")},
    )
