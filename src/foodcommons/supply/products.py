"""The bundled DFC product tree (with Dutch labels and ADEME's months), read once per process."""

import json
from functools import lru_cache
from importlib import resources

from foodcommons.supply.domain.products import ProductTree, tree_from_data


@lru_cache(maxsize=1)
def product_tree() -> ProductTree:
    """Return the DFC product types of src/foodcommons/supply/data/products.json (see scripts/supply_reference_data.py)."""
    with resources.files("foodcommons.supply").joinpath("data/products.json").open("rb") as f:
        return tree_from_data(json.load(f))


DFC_PRODUCT_TYPES = "https://github.com/datafoodconsortium/taxonomies/releases/latest/download/productTypes.rdf#"
