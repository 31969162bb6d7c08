"""The knowledge commons the seed documents state: the organisations, resources and projects of Manger Demain's
"Chantiers communs" and of the Mutualisons invitation, and the import connectors foodcommons already has."""

from django.db import transaction

from foodcommons.collaboration.models import Organisation
from foodcommons.core.ids import new_public_id
from foodcommons.demo.events import MEETINGS_SOURCE, WORKSHOP_SOURCE
from foodcommons.events.models import Event
from foodcommons.knowledge.models import Document, ExpertiseOffer, Platform, Project, WorkStream
from foodcommons.knowledge.services import create_document, create_project
from foodcommons.territories.models import Territory

CHANTIERS = MEETINGS_SOURCE
MUTUALISONS = WORKSHOP_SOURCE
CONNECTORS = "foodcommons import connectors (docs/imports.md) and shared/data/*/SOURCE.txt"
WALLONIA, BRUSSELS = "03000", "04000"

# (slug, name, what the seed says of it)
ORGANISATIONS = [
    ("manger-demain", "Manger Demain", "Cellule d'appui aux projets pour relocaliser l'alimentation en Wallonie."),
    ("apaq-w", "APAQ-W", "Référence l'offre et la demande de la restauration collective avec la cellule Manger Demain (le clic local)."),
    ("biowallonie", "Biowallonie", "Référence l'offre et la demande de la restauration collective avec la cellule Manger Demain (le clic local)."),
    ("college-des-producteurs", "Collège des producteurs",
     "Référence l'offre et la demande de la restauration collective avec la cellule Manger Demain (le clic local)."),
    ("spw", "SPW", "Service public de Wallonie : travail sur les achats publics responsables (outils et helpdesk) ; partenaire du clic local."),
    ("wagralim", "Wagralim", "Référence l'offre et la demande de la restauration collective avec la cellule Manger Demain (le clic local)."),
    ("sowalfin", "SOWALFIN", "Travaille au travers de la Plateforme Craft."),
    ("rawad", "RAWAD", "Réseau des acteurs wallons pour une alimentation durable."),
    ("agroecology-in-action", "Agroecology in Action (AIA)", "Ses travaux éclairent l'accompagnement des conseils de politique alimentaire."),
    ("cwad", "CwAD", "Soutient l'accompagnement des conseils de politique alimentaire."),
    ("mutualisons", "Mutualisons", "Un outil de partage de données entre alternatives bruxelloises (In Common)."),
]

PLATFORMS = [
    {"slug": "le-clic-local", "name": "le clic local", "url": "https://www.lecliclocal.be/", "source": CHANTIERS,
     "operator": "Manger Demain, APAQ-W, Biowallonie, Collège des producteurs, SPW, Wagralim", "territories": [WALLONIA],
     "lists_fr": "L'offre et la demande de produits locaux pour la restauration collective.",
     "lists_nl": "Vraag en aanbod van lokale producten voor grootkeukens.", "lists_en": "Supply of and demand for local products for collective catering."},
    {"slug": "plateforme-craft", "name": "Plateforme Craft", "url": "", "operator": "SOWALFIN", "territories": [WALLONIA], "source": CHANTIERS,
     "lists_fr": "Les données socio-économiques d'un territoire ; missions d'observation, de coordination, d'accompagnement ou de valorisation des filières.",
     "lists_nl": "De sociaaleconomische gegevens van een gebied; observatie, coördinatie, begeleiding en valorisatie van ketens.",
     "lists_en": "A territory's socio-economic data; observing, coordinating, supporting and promoting supply chains."},
    {"slug": "in-common", "name": "In Common", "url": "", "operator": "In Common", "territories": [BRUSSELS], "source": MUTUALISONS,
     "api_url": "", "formats": "API",
     "lists_fr": "Une bibliothèque de données (l'API de la plateforme In Common) pour mettre en commun les données des alternatives bruxelloises.",
     "lists_nl": "Een gegevensbibliotheek (de API van het platform In Common) om de gegevens van de Brusselse alternatieven te bundelen.",
     "lists_en": "A data library (the In Common platform's API) pooling the data of Brussels' alternatives."},
    {"slug": "gogocarto", "name": "GoGoCarto", "url": "https://gogocarto.fr/", "operator": "GoGoCarto",
     "coverage_fr": "France, Belgique (une carte par projet)",
     "coverage_nl": "Frankrijk, België (een kaart per project)", "coverage_en": "France, Belgium (one map per project)",
     "licence": "", "formats": "JSON (gogofull, gogocompact), JSON-LD", "update_frequency": "continuous", "connector": "gogocarto", "source": CONNECTORS,
     "lists_fr": "Des cartes collaboratives d'acteurs de la transition, chacune avec sa taxonomie.",
     "lists_nl": "Collaboratieve kaarten van transitie-actoren, elk met een eigen taxonomie.",
     "lists_en": "Collaborative maps of transition actors, each with its own taxonomy."},
    {"slug": "karte-von-morgen", "name": "Karte von morgen (OpenFairDB)", "url": "https://kartevonmorgen.org/", "operator": "Karte von morgen",
     "coverage_fr": "Europe", "coverage_nl": "Europa", "coverage_en": "Europe",
     "licence": "CC0-1.0", "api_url": "https://api.ofdb.io/v0/", "formats": "JSON, CSV", "update_frequency": "continuous",
     "connector": "openfairdb", "source": CONNECTORS,
     "lists_fr": "Des initiatives et entreprises durables, avec catégories et étiquettes.",
     "lists_nl": "Duurzame initiatieven en bedrijven, met categorieën en labels.",
     "lists_en": "Sustainable initiatives and companies, with categories and tags."},
    {"slug": "openstreetmap", "name": "OpenStreetMap", "url": "https://www.openstreetmap.org/", "operator": "OpenStreetMap",
     "coverage_fr": "Monde", "coverage_nl": "Wereld", "coverage_en": "World",
     "licence": "ODbL-1.0", "api_url": "https://overpass-api.de/api/interpreter", "formats": "OSM XML, PBF, GeoJSON (Overpass)",
     "update_frequency": "continuous", "connector": "osm", "source": CONNECTORS,
     "lists_fr": "Commerces, marchés, fermes et services, étiquetés par ses contributeurs.",
     "lists_nl": "Winkels, markten, boerderijen en diensten, getagd door de bijdragers.",
     "lists_en": "Shops, markets, farms and services, tagged by contributors."},
    {"slug": "open-food-network", "name": "Open Food Network (DFC)", "url": "https://openfoodnetwork.org/", "operator": "Open Food Network",
     "coverage_fr": "International", "coverage_nl": "Internationaal", "coverage_en": "International",
     "licence": "", "formats": "DFC JSON-LD, CSV", "update_frequency": "continuous",
     "connector": "dfc", "source": CONNECTORS,
     "lists_fr": "Les producteurs, leurs produits et leurs offres, au standard Data Food Consortium.",
     "lists_nl": "Producenten, hun producten en aanbiedingen, volgens de Data Food Consortium-standaard.",
     "lists_en": "Producers, their products and offers, in the Data Food Consortium standard."},
]

PROJECTS = [
    {"title_fr": "Chantiers communs : 46 projets pour relocaliser l'alimentation en Wallonie",
     "title_nl": "Gemeenschappelijke werven: 46 projecten om voeding in Wallonië te herlokaliseren",
     "title_en": "Common work streams: 46 projects to relocalise food in Wallonia",
     "summary_fr": "Les chantiers communs évoqués lors des réunions de lancement des projets, dont l'avancée pourrait servir plusieurs d'entre eux, "
                   "avec des rencontres territoriales par province.",
     "summary_nl": "De gemeenschappelijke werven die bij de start van de projecten besproken zijn en die er meerdere kunnen dienen, met "
                   "territoriale ontmoetingen per provincie.",
     "summary_en": "The common work streams discussed when the projects started, whose progress could serve several of them, with territorial "
                   "meetings per province.",
     "organisations": ["manger-demain"], "territories": [WALLONIA],
     "work_streams": ["diagnostics", "supply-demand", "food-policy-councils", "public-procurement", "expertise", "social-projects",
                      "communication", "territorial-approach"], "events": MEETINGS_SOURCE, "source": CHANTIERS},
    {"title_fr": "Référencer l'offre et la demande de la restauration collective",
     "title_nl": "Vraag en aanbod van grootkeukens in kaart brengen", "title_en": "Listing the supply and demand of collective catering",
     "summary_fr": "La cellule Manger Demain travaille avec l'APAQ-W, Biowallonie, le Collège des producteurs, le SPW et Wagralim pour référencer "
                   "l'offre et la demande concernant la restauration collective, notamment à travers le clic local.",
     "summary_nl": "De cel Manger Demain werkt met APAQ-W, Biowallonie, het Collège des producteurs, de SPW en Wagralim om vraag en aanbod van "
                   "grootkeukens in kaart te brengen, onder meer via le clic local.",
     "summary_en": "The Manger Demain unit works with APAQ-W, Biowallonie, the Collège des producteurs, SPW and Wagralim to list the supply and "
                   "demand of collective catering, notably through le clic local.",
     "organisations": ["manger-demain", "apaq-w", "biowallonie", "college-des-producteurs", "spw", "wagralim"], "territories": [WALLONIA],
     "work_streams": ["supply-demand", "public-procurement"], "source": CHANTIERS},
    {"title_fr": "Accompagner les conseils de politique alimentaire (projet RATA)",
     "title_nl": "Voedselraden begeleiden (project RATA)", "title_en": "Supporting food policy councils (RATA project)",
     "summary_fr": "Accompagner six projets sur les aspects méthodologiques et de mise en œuvre, avec les partenaires du projet RATA : la note "
                   "d'orientation rédigée dans ce cadre devra être éprouvée sur le terrain et éclairée par les travaux du RAWAD, d'AIA et de "
                   "Manger Demain, avec le soutien du CwAD. Des ateliers d'échanges seront organisés.",
     "summary_nl": "Zes projecten begeleiden bij methode en uitvoering, met de partners van het project RATA; de oriëntatienota moet in de "
                   "praktijk getoetst worden, gevoed door het werk van RAWAD, AIA en Manger Demain, met de steun van CwAD.",
     "summary_en": "Supporting six projects on method and implementation with the partners of the RATA project; the guidance note written for it is "
                   "to be tested in the field, informed by the work of RAWAD, AIA and Manger Demain, with CwAD's support.",
     "organisations": ["manger-demain", "rawad", "agroecology-in-action", "cwad"], "territories": [WALLONIA],
     "work_streams": ["food-policy-councils"], "source": CHANTIERS},
    {"title_fr": "Projet FRUGAL", "title_nl": "Project FRUGAL", "title_en": "FRUGAL project", "status": "finished",
     "summary_fr": "Un projet dans l'Ouest de la France qui a recensé un travail méthodologique de terrain pour proposer une quantification des "
                   "flux alimentaires des grandes villes.",
     "summary_nl": "Een project in het westen van Frankrijk dat methodologisch terreinwerk verzamelde om de voedselstromen van grote steden te "
                   "kwantificeren.",
     "summary_en": "A project in western France that gathered methodological field work to quantify the food flows of large cities.",
     "organisations": [], "territories": [], "work_streams": ["supply-demand", "diagnostics"], "source": CHANTIERS},
    {"title_fr": "Mutualisons", "title_nl": "Mutualisons", "title_en": "Mutualisons",
     "summary_fr": "Créer avec les alternatives bruxelloises une plateforme collaborative en open data sur l'API In Common : mettre en commun "
                   "leurs données, mutualiser le travail de mise à jour et co-construire un bien commun informationnel.",
     "summary_nl": "Met de Brusselse alternatieven een collaboratief open-dataplatform op de API van In Common bouwen: hun gegevens bundelen, het "
                   "bijwerken delen en samen een informatiegemeengoed opbouwen.",
     "summary_en": "Building with Brussels' alternatives a collaborative open-data platform on the In Common API: pooling their data, sharing the "
                   "work of updating it and co-building an informational commons.",
     "organisations": ["mutualisons"], "territories": [BRUSSELS], "work_streams": ["communication", "supply-demand"], "events": WORKSHOP_SOURCE,
     "source": MUTUALISONS},
]

OFFERS = [
    {"provider": "SPW", "organisation": "spw", "needs": ["procurement"], "sector": "public", "territories": [WALLONIA], "source": CHANTIERS,
     "title_fr": "Achats publics responsables : outils et helpdesk", "title_nl": "Duurzame overheidsaankopen: tools en helpdesk",
     "title_en": "Responsible public purchasing: tools and a helpdesk",
     "description_fr": "Au niveau du SPW, un travail sur les achats publics responsables met à disposition des outils et un helpdesk.",
     "description_nl": "Bij de SPW stelt het werk rond duurzame overheidsaankopen tools en een helpdesk ter beschikking.",
     "description_en": "At SPW, the work on responsible public purchasing offers tools and a helpdesk.",
     "audience_fr": "Porteurs de projets et pouvoirs adjudicateurs", "audience_nl": "Projectdragers en aanbestedende overheden",
     "audience_en": "Project leaders and contracting authorities"},
    {"provider": "Manger Demain", "organisation": "manger-demain", "needs": ["facilitation", "technical"], "territories": [WALLONIA],
     "source": CHANTIERS,
     "title_fr": "Chargé·es de mission territoriale", "title_nl": "Territoriale projectmedewerkers", "title_en": "Territorial project officers",
     "description_fr": "Pour un suivi au plus proche des acteurs de terrain, pour vos demandes d'expertises, pour échanger vos petites et grandes avancées.",
     "description_nl": "Voor een opvolging zo dicht mogelijk bij de actoren op het terrein, voor uw vragen om expertise en om uw vorderingen te delen.",
     "description_en": "Close follow-up of the actors in the field, for your requests for expertise and to share your progress, small and large.",
     "audience_fr": "Les 46 projets des chantiers communs", "audience_nl": "De 46 projecten van de gemeenschappelijke werven",
     "audience_en": "The 46 projects of the common work streams"},
]

DOCUMENTS = [
    {"title_fr": "Guide pour un marché public alimentaire plus durable", "title_nl": "Gids voor een duurzamere openbare voedingsopdracht",
     "title_en": "Guide to more sustainable public food procurement", "kind": "procurement-guide", "organisation": "manger-demain",
     "language": "fr", "territories": [WALLONIA], "work_streams": ["public-procurement"], "source": CHANTIERS,
     "description_fr": "Au niveau de la restauration collective, la cellule Manger Demain propose ce guide ; il pourrait être élargi à d'autres secteurs.",
     "description_nl": "Voor grootkeukens stelt de cel Manger Demain deze gids voor; hij zou naar andere sectoren uitgebreid kunnen worden.",
     "description_en": "For collective catering, the Manger Demain unit offers this guide; it could be extended to other sectors."},
    {"title_fr": "Note d'orientation sur les conseils de politique alimentaire (projet RATA)", "title_en": "Guidance note on food policy councils (RATA)",
     "title_nl": "Oriëntatienota over voedselraden (project RATA)",
     "kind": "guidance-note", "language": "fr", "territories": [WALLONIA], "work_streams": ["food-policy-councils"], "source": CHANTIERS,
     "description_fr": "Rédigée avec les partenaires du projet RATA ; à éprouver sur le terrain.",
     "description_nl": "Opgesteld met de partners van het project RATA; in de praktijk te toetsen.",
     "description_en": "Written with the partners of the RATA project; to be tested in the field."},
]


def _organisations() -> dict[str, Organisation]:
    found = {}
    for slug, name, description in ORGANISATIONS:
        found[slug] = Organisation.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})[0]
    return found


def _territories(codes: list[str]) -> list[Territory]:
    return list(Territory.objects.filter(code__in=codes))


def _platforms() -> int:
    created = 0
    for spec in PLATFORMS:
        if Platform.objects.filter(slug=spec["slug"]).exists():
            continue
        platform = Platform.objects.create(**{k: v for k, v in spec.items() if k != "territories"})
        platform.territories.set(_territories(spec.get("territories", [])))
        created += 1
    return created


def _documents(organisations: dict) -> dict[str, Document]:
    found = {}
    for spec in DOCUMENTS:
        existing = Document.objects.filter(source=spec["source"], title_fr=spec["title_fr"]).first()
        if existing is None:
            data = {**spec, "organisation": organisations.get(spec.get("organisation", "")), "territories": _territories(spec["territories"]),
                    "work_streams": list(WorkStream.objects.filter(slug__in=spec["work_streams"]))}
            existing = create_document(data=data, author=None, check_role=False)
        found[spec["title_fr"]] = existing
    return found


def _projects(organisations: dict, documents: dict) -> int:
    created = 0
    by_stream = {"public-procurement": "Guide pour un marché public alimentaire plus durable",
                 "food-policy-councils": "Note d'orientation sur les conseils de politique alimentaire (projet RATA)"}
    for spec in PROJECTS:
        if Project.objects.filter(source=spec["source"], title_fr=spec["title_fr"]).exists():
            continue
        events = list(Event.objects.filter(source=spec["events"])) if spec.get("events") else []
        linked = [documents[title] for stream, title in by_stream.items() if stream in spec["work_streams"] and len(spec["work_streams"]) <= 2]
        create_project(author=None, check_role=False, data={
            **{k: v for k, v in spec.items() if k not in ("organisations", "territories", "work_streams", "events")},
            "organisations": [organisations[s] for s in spec["organisations"]], "territories": _territories(spec["territories"]),
            "work_streams": list(WorkStream.objects.filter(slug__in=spec["work_streams"])), "events": events, "documents": linked,
        })
        created += 1
    return created


def _offers(organisations: dict) -> int:
    created = 0
    for spec in OFFERS:
        if ExpertiseOffer.objects.filter(source=spec["source"], title_fr=spec["title_fr"]).exists():
            continue
        offer = ExpertiseOffer.objects.create(public_id=new_public_id(), **{
            **{k: v for k, v in spec.items() if k not in ("organisation", "territories")}, "organisation": organisations.get(spec["organisation"])})
        offer.territories.set(_territories(spec["territories"]))
        created += 1
    return created


@transaction.atomic
def load_demo_knowledge() -> int:
    """Create the seed documents' organisations, platforms, documents, projects and offers not there yet; return how many."""
    organisations = _organisations()
    before = Document.objects.count()
    documents = _documents(organisations)
    return _platforms() + Document.objects.count() - before + _projects(organisations, documents) + _offers(organisations)
