"""The taxonomy as a SKOS concept scheme in JSON-LD (pure: it shapes data already read)."""

from foodcommons.taxonomy.selectors import Tree, alt_labels

SKOS_CONTEXT = {
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prefLabel": {"@id": "skos:prefLabel", "@container": "@language"},
    "altLabel": {"@id": "skos:altLabel", "@container": "@language"},
    "broader": {"@id": "skos:broader", "@type": "@id"},
    "narrower": {"@id": "skos:narrower", "@type": "@id"},
    "inScheme": {"@id": "skos:inScheme", "@type": "@id"},
    "hasTopConcept": {"@id": "skos:hasTopConcept", "@type": "@id"},
    "topConceptOf": {"@id": "skos:topConceptOf", "@type": "@id"},
    "notation": "skos:notation",
}


def concept_scheme(tree: Tree, base_url: str) -> dict:
    """Return the SKOS JSON-LD document of the taxonomy, concepts under `base_url`."""
    scheme_id = f"{base_url}categories"

    def uri(slug: str) -> str:
        return f"{base_url}categories/{slug}"

    concepts = []
    for slug, node in tree.nodes.items():
        concept = {
            "@id": uri(slug),
            "@type": "skos:Concept",
            "notation": slug,
            "prefLabel": node.labels,
            "inScheme": scheme_id,
        }
        if synonyms := alt_labels().get(slug):
            concept["altLabel"] = synonyms
        if node.parent_slug:
            concept["broader"] = uri(node.parent_slug)
        else:
            concept["topConceptOf"] = scheme_id
        if tree.children.get(slug):
            concept["narrower"] = [uri(c) for c in tree.children[slug]]
        concepts.append(concept)
    scheme = {
        "@id": scheme_id,
        "@type": "skos:ConceptScheme",
        "prefLabel": {"fr": "Catégories foodcommons", "nl": "foodcommons-categorieën", "en": "foodcommons categories"},
        "hasTopConcept": [uri(s) for s in tree.children.get(None, [])],
    }
    return {"@context": SKOS_CONTEXT, "@graph": [scheme, *concepts]}
