"""What the knowledge commons adds to the DCAT catalogue; opendata (the layer above) calls `add_to_catalogue`."""

from django.urls import reverse
from rdflib import Graph

from foodcommons.knowledge import selectors
from foodcommons.knowledge.domain.dcat import add_documents, add_platforms
from foodcommons.knowledge.models import LANGUAGES


def _texts(obj, field: str) -> dict[str, str]:
    return {lang: v for lang in LANGUAGES if (v := getattr(obj, f"{field}_{lang}"))}


def document_entries(base_url: str) -> list[dict]:
    """Return the documents as the catalogue describes them (public fields only)."""
    entries = []
    for doc in selectors.documents():
        current = selectors.current_version(doc)
        entry = {"page": base_url + reverse("knowledge:document", args=[doc.public_id]), "title": _texts(doc, "title"),
                 "description": _texts(doc, "description"), "licence": doc.licence, "language": doc.language,
                 "issued": doc.published_on.isoformat() if doc.published_on else None, "link": doc.link_url,
                 "territories": [t.code for t in doc.territories.all()]}
        if current is not None:
            entry |= {"download": base_url + reverse("knowledge:document-file", args=[doc.public_id, current.number]),
                      "media_type": current.media_type, "size": current.size}
        entries.append(entry)
    return entries


def platform_entries() -> list[dict]:
    """Return the platforms of the directory as the catalogue describes them."""
    return [{"slug": p.slug, "name": p.name, "url": p.url, "operator": p.operator, "licence": p.licence, "frequency": p.update_frequency,
             "lists": _texts(p, "lists"), "api_url": p.api_url, "formats": p.formats, "territories": [t.code for t in p.territories.all()]}
            for p in selectors.platforms()]


def add_to_catalogue(graph: Graph, *, base_url: str) -> None:
    """Add the document library and the directory of platforms to a DCAT catalogue graph."""
    add_documents(graph, base_url=base_url, documents=document_entries(base_url))
    add_platforms(graph, base_url=base_url, platforms=platform_entries())
