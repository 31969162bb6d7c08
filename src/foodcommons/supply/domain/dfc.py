"""Offers as DFC JSON-LD: the producer (Enterprise) supplies a SuppliedProduct referenced by a CatalogItem offered through an Offer. Pure.

The context is written inline so that a consumer (and our tests, with PyLD) expands it without fetching anything.
Prices are never given to these functions: the public Offer carries no dfc-b:hasPrice.
"""

from collections.abc import Sequence

DFC_B = "https://github.com/datafoodconsortium/ontology/releases/latest/download/DFC_BusinessOntology.owl#"
DFC_PT = "https://github.com/datafoodconsortium/taxonomies/releases/latest/download/productTypes.rdf#"
DFC_M = "https://github.com/datafoodconsortium/taxonomies/releases/latest/download/measures.rdf#"
DFC_F = "https://github.com/datafoodconsortium/taxonomies/releases/latest/download/facets.rdf#"
CONTEXT = {
    "dfc-b": DFC_B, "dfc-pt": DFC_PT, "dfc-m": DFC_M, "dfc-f": DFC_F,
    **{key: {"@id": f"dfc-b:{key}", "@type": "@id"} for key in (
        "supplies", "manages", "hasType", "hasUnit", "referencedBy", "references", "offeredThrough", "offers", "hasCertification")},
}
UNITS = {"kg": "dfc-m:Kilogram", "l": "dfc-m:Litre", "piece": "dfc-m:Piece"}


def offer_graph(offer: dict, *, base: str) -> list[dict]:
    """Return the nodes of one public offer: SuppliedProduct, CatalogItem and Offer (with the months and delivery area as text)."""
    ident = f"{base}/api/supply/offers/{offer['id']}"
    product = {
        "@id": f"{ident}#product", "@type": "dfc-b:SuppliedProduct", "dfc-b:name": offer["name"], "hasType": f"dfc-pt:{offer['product']}",
        "dfc-b:description": offer["description"], "referencedBy": f"{ident}#item",
        "dfc-b:hasQuantity": {"@type": "dfc-b:QuantitativeValue", "hasUnit": UNITS[offer["unit"]], "dfc-b:value": offer["volume"]},
    }
    if offer.get("organic"):
        product["hasCertification"] = "dfc-f:Organic-EU"
    item = {"@id": f"{ident}#item", "@type": "dfc-b:CatalogItem", "references": f"{ident}#product", "offeredThrough": f"{ident}#offer",
            "dfc-b:sku": offer["id"]}
    public_offer = {"@id": f"{ident}#offer", "@type": "dfc-b:Offer", "offers": f"{ident}#item"}
    if offer.get("minimum_order"):
        public_offer["dfc-b:stockLimitation"] = offer["minimum_order"]
    return [product, item, public_offer]


def catalogue(producers: Sequence[dict], *, base: str) -> dict:
    """Return producers (DFC Enterprises) with the offers they supply and manage, as one JSON-LD document."""
    graph: list[dict] = []
    for producer in producers:
        nodes = [n for offer in producer["offers"] for n in offer_graph(offer, base=base)]
        graph.append({
            "@id": producer["id"], "@type": "dfc-b:Enterprise", "dfc-b:name": producer["name"],
            "supplies": [n["@id"] for n in nodes if n["@type"] == "dfc-b:SuppliedProduct"],
            "manages": [n["@id"] for n in nodes if n["@type"] == "dfc-b:CatalogItem"],
        })
        graph += nodes
    return {"@context": CONTEXT, "@graph": graph}
