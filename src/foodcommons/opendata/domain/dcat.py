"""The DCAT-AP description of the datasets and their distributions, as an RDF graph (pure)."""

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from foodcommons.opendata.domain.jsonld import licence_url

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
BELGIUM = URIRef("http://publications.europa.eu/resource/authority/country/BEL")

DISTRIBUTIONS = [
    # (path, title, media type, EU file type, is a download)
    ("/api/dumps/latest", "Full dump: Frictionless Data Package (CSV, GeoJSON), zipped", "application/zip", "ZIP", True),
    ("/api/places.geojson", "Places as GeoJSON (paged API)", "application/geo+json", "GEOJSON", False),
    ("/api/places.csv", "Places as CSV (paged API)", "text/csv", "CSV", False),
    ("/ogc/", "OGC API – Features", "application/geo+json", "GEOJSON", False),
    ("/api/changes", "Change feed (JSON), to keep a copy current", "application/json", "JSON", False),
    ("/api/changes.atom", "Recent changes (Atom)", "application/atom+xml", "ATOM", False),
]


def catalogue_graph(*, base_url: str, site: str, licence: str, modified: str | None, sources: list[dict]) -> Graph:
    """Return the DCAT-AP catalogue of the instance at `base_url`."""
    g = Graph()
    for prefix, ns in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", VCARD)):
        g.bind(prefix, ns)
    catalogue, dataset = URIRef(f"{base_url}/api/catalog"), URIRef(f"{base_url}/api/catalog#places")
    publisher, contact = URIRef(f"{base_url}/#publisher"), BNode()
    licence_ref = URIRef(licence_url(licence))
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal(f"{site} contributors")))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal(site)))
    g.add((contact, VCARD.hasURL, URIRef(base_url)))

    g.add((catalogue, RDF.type, DCAT.Catalog))
    g.add((catalogue, DCTERMS.title, Literal(f"{site} open data", lang="en")))
    g.add((catalogue, DCTERMS.description, Literal("Open data of the sustainable-food alternatives of Brussels and Wallonia.", lang="en")))
    g.add((catalogue, DCTERMS.publisher, publisher))
    g.add((catalogue, FOAF.homepage, URIRef(base_url)))
    g.add((catalogue, DCTERMS.license, licence_ref))
    g.add((catalogue, DCAT.dataset, dataset))

    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.identifier, Literal(f"{base_url}/places")))
    for lang, title in (("en", "Places of sustainable food"), ("fr", "Lieux de l'alimentation durable"), ("nl", "Plaatsen van duurzame voeding")):
        g.add((dataset, DCTERMS.title, Literal(title, lang=lang)))
    g.add((dataset, DCTERMS.description, Literal(
        "GASAPs and other CSA groups, food co-ops, farm shops, markets, food aid, community gardens, composts, producers and canteens "
        "of Brussels and Wallonia, with categories, addresses, opening hours and Belgian territories (NIS codes).", lang="en")))
    for keyword in ("food", "short food supply chain", "food aid", "community garden", "Brussels", "Wallonia"):
        g.add((dataset, DCAT.keyword, Literal(keyword, lang="en")))
    g.add((dataset, DCAT.theme, URIRef(EU_THEME + "AGRI")))
    g.add((dataset, DCAT.theme, URIRef(EU_THEME + "SOCI")))
    g.add((dataset, DCTERMS.spatial, BELGIUM))
    for lang in ("FRA", "NLD", "ENG"):
        g.add((dataset, DCTERMS.language, URIRef(EU_LANGUAGE + lang)))
    g.add((dataset, DCTERMS.publisher, publisher))
    g.add((dataset, DCAT.contactPoint, contact))
    g.add((dataset, DCAT.landingPage, URIRef(base_url)))
    g.add((dataset, DCTERMS.accrualPeriodicity, URIRef("http://publications.europa.eu/resource/authority/frequency/CONT")))
    if modified:
        g.add((dataset, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
    for source in sources:
        g.add((dataset, DCTERMS.source, URIRef(source["url"]) if source.get("url") else Literal(source["name"])))
    g.add((dataset, DCTERMS.rightsHolder, publisher))
    attributions = "; ".join(dict.fromkeys(s["attribution"] for s in sources if s.get("attribution")))
    g.add((dataset, DCTERMS.rights, Literal(f"{licence}. Attribution: {site} contributors" + (f"; {attributions}" if attributions else ""))))

    for index, (path, title, media_type, file_type, download) in enumerate(DISTRIBUTIONS):
        distribution = URIRef(f"{base_url}/api/catalog#distribution-{index}")
        url = URIRef(base_url + path)
        g.add((dataset, DCAT.distribution, distribution))
        g.add((distribution, RDF.type, DCAT.Distribution))
        g.add((distribution, DCTERMS.title, Literal(title, lang="en")))
        g.add((distribution, DCAT.accessURL, url))
        if download:
            g.add((distribution, DCAT.downloadURL, url))
        g.add((distribution, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media_type}")))
        g.add((distribution, DCTERMS["format"], URIRef(EU_FILE_TYPE + file_type)))
        g.add((distribution, DCTERMS.license, licence_ref))
    return g
