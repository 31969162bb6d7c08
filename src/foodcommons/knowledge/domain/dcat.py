"""The knowledge commons in the DCAT catalogue (pure): the document library as a dataset with one distribution per document,
and each platform of the directory as an external dataset."""

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
LANGUAGE_CODES = {"fr": "FRA", "nl": "NLD", "en": "ENG", "de": "DEU"}
FREQUENCIES = {"continuous": "CONT", "daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY", "yearly": "ANNUAL", "irregular": "IRREG"}
SPDX = "https://spdx.org/licenses/"


def _licence(value: str) -> URIRef | Literal:
    if value.startswith(("http://", "https://")):
        return URIRef(value)
    if value and " " not in value:
        return URIRef(SPDX + value)
    return Literal(value)


def _titles(g: Graph, subject, titles: dict[str, str], predicate=DCTERMS.title) -> None:
    for lang, text in titles.items():
        if text:
            g.add((subject, predicate, Literal(text, lang=lang)))


def add_documents(g: Graph, *, base_url: str, documents: list[dict]) -> None:
    """Add the document library: a dataset whose distributions are the documents (the latest file, or the link)."""
    catalogue = URIRef(f"{base_url}/api/catalog")
    dataset = URIRef(f"{base_url}/api/catalog#knowledge-documents")
    g.add((catalogue, DCAT.dataset, dataset))
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.identifier, Literal(f"{base_url}/knowledge/documents/")))
    _titles(g, dataset, {"en": "Document library of the knowledge commons", "fr": "Bibliothèque de documents des communs de la connaissance",
                         "nl": "Documentenbibliotheek van de kennisgemeenschap"})
    g.add((dataset, DCTERMS.description, Literal(
        "Territorial diagnostics, studies, methodologies, procurement guides and minutes shared by the food projects of Brussels and Wallonia.",
        lang="en")))
    g.add((dataset, DCAT.landingPage, URIRef(f"{base_url}/knowledge/documents/")))
    for doc in documents:
        distribution = URIRef(doc["page"])
        g.add((dataset, DCAT.distribution, distribution))
        g.add((distribution, RDF.type, DCAT.Distribution))
        _titles(g, distribution, doc["title"])
        _titles(g, distribution, doc.get("description") or {}, DCTERMS.description)
        g.add((distribution, DCAT.accessURL, URIRef(doc["page"])))
        if doc.get("download"):
            g.add((distribution, DCAT.downloadURL, URIRef(doc["download"])))
            g.add((distribution, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{doc['media_type']}")))
            g.add((distribution, DCAT.byteSize, Literal(doc["size"], datatype=XSD.nonNegativeInteger)))
        elif doc.get("link"):
            g.add((distribution, DCAT.accessURL, URIRef(doc["link"])))
        if doc.get("licence"):
            g.add((distribution, DCTERMS.license, _licence(doc["licence"])))
        if doc.get("language") in LANGUAGE_CODES:
            g.add((distribution, DCTERMS.language, URIRef(EU_LANGUAGE + LANGUAGE_CODES[doc["language"]])))
        if doc.get("issued"):
            g.add((distribution, DCTERMS.issued, Literal(doc["issued"], datatype=XSD.date)))
        for territory in doc.get("territories", []):
            g.add((distribution, DCTERMS.spatial, URIRef(f"{base_url}/api/territories/{territory}")))


def add_platforms(g: Graph, *, base_url: str, platforms: list[dict]) -> None:
    """Add each platform of the directory as an external dataset (its landing page is the platform's own)."""
    catalogue = URIRef(f"{base_url}/api/catalog")
    for platform in platforms:
        dataset = URIRef(f"{base_url}/knowledge/directory/#{platform['slug']}")
        g.add((catalogue, DCAT.dataset, dataset))
        g.add((dataset, RDF.type, DCAT.Dataset))
        g.add((dataset, DCTERMS.identifier, Literal(platform["url"] or str(dataset))))
        g.add((dataset, DCTERMS.title, Literal(platform["name"])))
        _titles(g, dataset, platform.get("lists") or {}, DCTERMS.description)
        if platform["url"]:
            g.add((dataset, DCAT.landingPage, URIRef(platform["url"])))
        if platform.get("operator"):
            publisher = BNode()
            g.add((publisher, RDF.type, FOAF.Agent))
            g.add((publisher, FOAF.name, Literal(platform["operator"])))
            g.add((dataset, DCTERMS.publisher, publisher))
        if platform.get("licence"):
            g.add((dataset, DCTERMS.license, _licence(platform["licence"])))
        if platform.get("frequency") in FREQUENCIES:
            g.add((dataset, DCTERMS.accrualPeriodicity, URIRef(EU_FREQUENCY + FREQUENCIES[platform["frequency"]])))
        for territory in platform.get("territories", []):
            g.add((dataset, DCTERMS.spatial, URIRef(f"{base_url}/api/territories/{territory}")))
        if platform.get("api_url"):
            distribution = URIRef(f"{base_url}/knowledge/directory/#{platform['slug']}-api")
            g.add((dataset, DCAT.distribution, distribution))
            g.add((distribution, RDF.type, DCAT.Distribution))
            g.add((distribution, DCTERMS.title, Literal(f"{platform['name']} API")))
            g.add((distribution, DCAT.accessURL, URIRef(platform["api_url"])))
            if platform.get("formats"):
                g.add((distribution, DCTERMS["format"], Literal(platform["formats"])))
