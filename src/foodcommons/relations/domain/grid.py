"""The grid of relation criteria between producers and eaters: versioned data, its meanings in FR/NL/EN, and the
rules a declared fact follows (pure: no Django, no I/O).

A fact is stored as a place attribute `relation_<criterion>` (decision 0008) shaped as
{"value", "grid", "declared_by": {"kind", "name"}, "declared_at", "evidence"?, "checked"?: {"by", "at"}} and, for the
chain, the derived "count" of intermediaries.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlsplit

GRID_VERSION = "1"
GRID_DATE = "2026-12-03"
ATTRIBUTE_PREFIX = "relation_"
DECLARERS = ("team", "contributor", "source", "network")
MAX_NAME = 200
MAX_INTERMEDIARIES = 12


@dataclass(frozen=True)
class Value:
    """One value a criterion may take: its code, its label and the plain sentence a place page says."""

    code: str
    label: dict
    sentence: dict


@dataclass(frozen=True)
class Criterion:
    """One criterion of the grid: its kind (choice, choices, percent or chain), its meaning and its values."""

    key: str
    kind: str
    label: dict
    meaning: dict
    values: tuple[Value, ...] = field(default=())

    @property
    def attribute(self) -> str:
        return f"{ATTRIBUTE_PREFIX}{self.key}"

    def value(self, code: str) -> Value | None:
        """Return the value of this criterion with the code, or None."""
        return next((v for v in self.values if v.code == code), None)


def _v(code: str, fr: str, nl: str, en: str, s_fr: str, s_nl: str, s_en: str) -> Value:
    return Value(code, {"fr": fr, "nl": nl, "en": en}, {"fr": s_fr, "nl": s_nl, "en": s_en})


ROLES = (
    _v("producer_group", "Groupement de producteurs", "Producentengroepering", "Producers' group",
       "un groupement de producteurs", "een producentengroepering", "a producers' group"),
    _v("processor", "Transformateur", "Verwerker", "Processor", "un transformateur", "een verwerker", "a processor"),
    _v("wholesaler", "Grossiste", "Groothandelaar", "Wholesaler", "un grossiste", "een groothandelaar", "a wholesaler"),
    _v("logistics", "Logistique", "Logistiek", "Logistics", "un service logistique", "een logistieke dienst", "a logistics service"),
    _v("platform", "Plateforme en ligne", "Onlineplatform", "Online platform", "une plateforme en ligne", "een onlineplatform",
       "an online platform"),
    _v("shop", "Magasin", "Winkel", "Shop", "un magasin", "een winkel", "a shop"),
    _v("other", "Autre", "Andere", "Other", "un autre intermédiaire", "een andere tussenschakel", "another intermediary"),
)

CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "chain", "chain",
        {"fr": "Chaîne du producteur au mangeur", "nl": "Keten van producent tot eter", "en": "Chain from producer to eater"},
        {"fr": "Chaque intermédiaire entre la ferme et la personne qui mange, nommé ; leur nombre en découle (zéro : vente directe).",
         "nl": "Elke tussenschakel tussen de boerderij en wie eet, met naam; hun aantal volgt daaruit (nul: rechtstreekse verkoop).",
         "en": "Each intermediary between the farm and the person who eats, named; their number follows (zero: direct sale)."},
        ROLES,
    ),
    Criterion(
        "price_setter", "choice",
        {"fr": "Qui fixe le prix", "nl": "Wie de prijs bepaalt", "en": "Who sets the price"},
        {"fr": "Qui décide du prix payé au producteur.", "nl": "Wie beslist over de prijs die de producent krijgt.",
         "en": "Who decides the price paid to the producer."},
        (
            _v("producer", "Le producteur", "De producent", "The producer", "Le producteur fixe le prix.", "De producent bepaalt de prijs.",
               "The producer sets the price."),
            _v("eaters_group", "Le groupe de mangeurs", "De groep eters", "The group of eaters", "Le groupe de mangeurs fixe le prix.",
               "De groep eters bepaalt de prijs.", "The group of eaters sets the price."),
            _v("negotiated", "Négocié ensemble", "Samen onderhandeld", "Negotiated together",
               "Le prix est négocié entre producteurs et mangeurs.", "De prijs wordt tussen producenten en eters onderhandeld.",
               "The price is negotiated between producers and eaters."),
            _v("shop", "Le magasin", "De winkel", "The shop", "Le magasin fixe le prix.", "De winkel bepaalt de prijs.",
               "The shop sets the price."),
        ),
    ),
    Criterion(
        "producer_share", "percent",
        {"fr": "Part du prix final pour le producteur", "nl": "Aandeel van de eindprijs voor de producent",
         "en": "Producer's share of the final price"},
        {"fr": "Le pourcentage du prix payé par le mangeur qui revient au producteur, tel que déclaré (facultatif).",
         "nl": "Het percentage van de prijs die de eter betaalt dat naar de producent gaat, zoals opgegeven (facultatief).",
         "en": "The percentage of the price the eater pays that goes to the producer, as declared (optional)."},
    ),
    Criterion(
        "commitment", "choice",
        {"fr": "Engagement", "nl": "Engagement", "en": "Commitment"},
        {"fr": "Comment les mangeurs s'engagent envers le producteur.", "nl": "Hoe de eters zich tegenover de producent engageren.",
         "en": "How eaters commit to the producer."},
        (
            _v("season_prefinancing", "Préfinancement de la saison", "Voorfinanciering van het seizoen", "Season pre-financing",
               "Les mangeurs préfinancent la saison.", "De eters financieren het seizoen voor.", "Eaters pre-finance the season."),
            _v("subscription", "Abonnement", "Abonnement", "Subscription", "Les mangeurs s'abonnent.", "De eters nemen een abonnement.",
               "Eaters take a subscription."),
            _v("order_by_order", "Commande par commande", "Bestelling per bestelling", "Order by order",
               "Les mangeurs commandent quand ils veulent.", "De eters bestellen wanneer ze willen.", "Eaters order when they wish."),
            _v("none", "Aucun", "Geen", "None", "Aucun engagement n'est demandé.", "Er wordt geen engagement gevraagd.",
               "No commitment is asked."),
        ),
    ),
    Criterion(
        "direct_contact", "choices",
        {"fr": "Contact direct", "nl": "Rechtstreeks contact", "en": "Direct contact"},
        {"fr": "Les occasions où producteurs et mangeurs se rencontrent.", "nl": "Waar producenten en eters elkaar ontmoeten.",
         "en": "Where producers and eaters meet."},
        (
            _v("producers_at_distributions", "Producteurs présents aux distributions", "Producenten aanwezig bij de uitdelingen",
               "Producers at distributions", "Les producteurs sont présents aux distributions.",
               "De producenten zijn aanwezig bij de uitdelingen.", "Producers are there at distributions."),
            _v("farm_visits", "Visites de la ferme", "Boerderijbezoeken", "Farm visits", "Les mangeurs visitent la ferme.",
               "De eters bezoeken de boerderij.", "Eaters visit the farm."),
            _v("volunteering", "Coups de main à la ferme", "Meehelpen op de boerderij", "Volunteering at the farm",
               "Les mangeurs donnent des coups de main à la ferme.", "De eters helpen mee op de boerderij.", "Eaters help at the farm."),
            _v("none", "Aucun", "Geen", "None", "Producteurs et mangeurs ne se rencontrent pas.", "Producenten en eters ontmoeten elkaar niet.",
               "Producers and eaters do not meet."),
        ),
    ),
    Criterion(
        "governance", "choice",
        {"fr": "Gouvernance", "nl": "Bestuur", "en": "Governance"},
        {"fr": "Qui décide du fonctionnement.", "nl": "Wie beslist over de werking.", "en": "Who decides how it works."},
        (
            _v("members", "Les membres", "De leden", "The members", "Les membres décident.", "De leden beslissen.", "The members decide."),
            _v("cooperative", "Une coopérative", "Een coöperatie", "A cooperative", "Une coopérative décide.", "Een coöperatie beslist.",
               "A cooperative decides."),
            _v("association", "Une association", "Een vereniging", "An association", "Une association décide.", "Een vereniging beslist.",
               "An association decides."),
            _v("owner", "Le propriétaire", "De eigenaar", "The owner", "Le propriétaire décide.", "De eigenaar beslist.", "The owner decides."),
        ),
    ),
    Criterion(
        "price_transparency", "choice",
        {"fr": "Transparence des prix", "nl": "Prijstransparantie", "en": "Price transparency"},
        {"fr": "Si la composition du prix est connue des mangeurs.", "nl": "Of de eters weten hoe de prijs is opgebouwd.",
         "en": "Whether eaters know how the price is made up."},
        (
            _v("published", "Composition publiée", "Opbouw gepubliceerd", "Breakdown published", "La composition du prix est publiée.",
               "De opbouw van de prijs wordt gepubliceerd.", "The price breakdown is published."),
            _v("on_request", "Sur demande", "Op aanvraag", "On request", "La composition du prix est donnée sur demande.",
               "De opbouw van de prijs wordt op aanvraag gegeven.", "The price breakdown is given on request."),
            _v("not_shared", "Non communiquée", "Niet meegedeeld", "Not shared", "La composition du prix n'est pas communiquée.",
               "De opbouw van de prijs wordt niet meegedeeld.", "The price breakdown is not shared."),
        ),
    ),
    Criterion(
        "solidarity", "choices",
        {"fr": "Mécanismes de solidarité", "nl": "Solidariteitsmechanismen", "en": "Solidarity mechanisms"},
        {"fr": "Ce qui permet à des personnes aux revenus modestes de participer.",
         "nl": "Wat mensen met een klein inkomen laat meedoen.", "en": "What lets people on low incomes take part."},
        (
            _v("solidarity_price", "Prix solidaire", "Solidaire prijs", "Solidarity price", "Un prix solidaire est proposé.",
               "Er is een solidaire prijs.", "A solidarity price is offered."),
            _v("sliding_scale", "Prix selon les revenus", "Prijs volgens inkomen", "Sliding scale", "Le prix suit les revenus.",
               "De prijs volgt het inkomen.", "The price follows income."),
            _v("none", "Aucun", "Geen", "None", "Aucun mécanisme de solidarité.", "Geen solidariteitsmechanisme.",
               "No solidarity mechanism."),
        ),
    ),
)

BY_KEY = {c.key: c for c in CRITERIA}
BY_ATTRIBUTE = {c.attribute: c for c in CRITERIA}


def text_in(texts: dict, language: str) -> str:
    """Return a text of the grid in `language` (French as fallback)."""
    return texts.get(language[:2]) or texts["fr"]


def _is_link(value) -> bool:
    if not isinstance(value, str) or len(value) > 2000:
        return False
    parts = urlsplit(value.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _clean_date(value, name: str) -> str:
    try:
        return datetime.date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        raise ValueError(f"{name}: expected a date as YYYY-MM-DD") from None


def _clean_who(value, name: str) -> dict:
    if not isinstance(value, dict) or value.get("kind") not in DECLARERS:
        raise ValueError(f"{name}: expected {{kind, name}} with kind one of {', '.join(DECLARERS)}")
    who = str(value.get("name") or "").strip()[:MAX_NAME]
    return {"kind": value["kind"], **({"name": who} if who else {})}


def _clean_chain(value) -> list[dict]:
    if not isinstance(value, list) or len(value) > MAX_INTERMEDIARIES:
        raise ValueError(f"value: expected a list of at most {MAX_INTERMEDIARIES} intermediaries")
    roles = {r.code for r in ROLES}
    chain = []
    for step in value:
        if not isinstance(step, dict) or step.get("role") not in roles:
            raise ValueError(f"value: each intermediary needs a role, one of {', '.join(sorted(roles))}")
        name = str(step.get("name") or "").strip()
        if not name:
            raise ValueError("value: each intermediary is named")
        chain.append({"role": step["role"], "name": name[:MAX_NAME]})
    return chain


def clean_value(criterion: Criterion, value):
    """Return the value of a criterion in its canonical form, or raise ValueError saying what is expected."""
    codes = [v.code for v in criterion.values]
    if criterion.kind == "chain":
        return _clean_chain(value)
    if criterion.kind == "percent":
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise ValueError("value: expected a percentage from 0 to 100")
        return round(float(value), 1)
    if criterion.kind == "choice":
        if value not in codes:
            raise ValueError(f"value: expected one of {', '.join(codes)}")
        return value
    if not isinstance(value, list) or not value or any(v not in codes for v in value):
        raise ValueError(f"value: expected a non-empty list of {', '.join(codes)}")
    if "none" in value and len(value) > 1:
        raise ValueError("value: 'none' cannot be declared with another value")
    return [c for c in codes if c in value]


def clean_fact(criterion: Criterion, fact) -> dict:
    """Return a declared fact in its stored shape, or raise ValueError naming the part that is wrong."""
    if not isinstance(fact, dict) or "value" not in fact:
        raise ValueError("expected an object with value, declared_by and declared_at")
    cleaned = {
        "value": clean_value(criterion, fact["value"]),
        "grid": str(fact.get("grid") or GRID_VERSION),
        "declared_by": _clean_who(fact.get("declared_by"), "declared_by"),
        "declared_at": _clean_date(fact.get("declared_at"), "declared_at"),
    }
    if cleaned["grid"] != GRID_VERSION:
        raise ValueError(f"grid: this server knows version {GRID_VERSION} of the grid")
    if criterion.kind == "chain":
        cleaned["count"] = len(cleaned["value"])
    if fact.get("evidence"):
        if not _is_link(fact["evidence"]):
            raise ValueError("evidence: expected an http(s) link")
        cleaned["evidence"] = fact["evidence"].strip()
    if fact.get("checked"):
        checked = fact["checked"]
        if not isinstance(checked, dict) or not str(checked.get("by") or "").strip():
            raise ValueError("checked: expected {by, at}: who checked it and when")
        cleaned["checked"] = {"by": str(checked["by"]).strip()[:MAX_NAME], "at": _clean_date(checked.get("at"), "checked.at")}
    return cleaned


def fact_sentences(criterion: Criterion, value, language: str) -> list[str]:
    """Return the plain sentences that say a declared value in `language`."""
    if criterion.kind == "chain":
        if not value:
            return [text_in({"fr": "Vente directe : aucun intermédiaire entre le producteur et vous.",
                             "nl": "Rechtstreekse verkoop: geen tussenschakel tussen de producent en u.",
                             "en": "Direct sale: no intermediary between the producer and you."}, language)]
        roles = {r.code: r for r in criterion.values}
        steps = ", ".join(f"{text_in(roles[s['role']].sentence, language)} ({s['name']})" for s in value)
        count = {"fr": f"{len(value)} intermédiaire(s) : ", "nl": f"{len(value)} tussenschakel(s): ",
                 "en": f"{len(value)} intermediar{'y' if len(value) == 1 else 'ies'}: "}
        return [text_in(count, language) + steps + "."]
    if criterion.kind == "percent":
        number = f"{value:g}".replace(".", ",") if language[:2] in ("fr", "nl") else f"{value:g}"
        return [text_in({"fr": f"Le producteur reçoit {number} % du prix final.",
                         "nl": f"De producent krijgt {number} % van de eindprijs.",
                         "en": f"The producer receives {number}% of the final price."}, language)]
    codes = value if isinstance(value, list) else [value]
    return [text_in(v.sentence, language) for c in codes if (v := criterion.value(c))]


def chain_mark(value: list, language: str) -> str:
    """Return the short form of a chain: its number of intermediaries and their names (the comparison's cell)."""
    if not value:
        return text_in({"fr": "0 : vente directe", "nl": "0: rechtstreekse verkoop", "en": "0: direct sale"}, language)
    return f"{len(value)}: " + ", ".join(step["name"] for step in value)


def skos_scheme(base_url: str) -> dict:
    """Return the grid as a SKOS concept scheme (JSON-LD): criteria as top concepts, their values narrower."""
    scheme_id = f"{base_url}relations/criteria"
    graph: list[dict] = [{
        "@id": scheme_id, "@type": "skos:ConceptScheme", "owl:versionInfo": GRID_VERSION, "dcterms:issued": GRID_DATE,
        "prefLabel": {"fr": "Grille des critères de relation", "nl": "Raster van relatiecriteria", "en": "Grid of relation criteria"},
        "hasTopConcept": [f"{scheme_id}/{c.key}" for c in CRITERIA],
    }]
    for criterion in CRITERIA:
        uri = f"{scheme_id}/{criterion.key}"
        graph.append({"@id": uri, "@type": "skos:Concept", "notation": criterion.key, "prefLabel": criterion.label,
                      "definition": criterion.meaning, "inScheme": scheme_id, "topConceptOf": scheme_id,
                      **({"narrower": [f"{uri}/{v.code}" for v in criterion.values]} if criterion.values else {})})
        graph.extend({"@id": f"{uri}/{v.code}", "@type": "skos:Concept", "notation": v.code, "prefLabel": v.label,
                      "definition": v.sentence, "broader": uri, "inScheme": scheme_id} for v in criterion.values)
    context = {
        "skos": "http://www.w3.org/2004/02/skos/core#", "owl": "http://www.w3.org/2002/07/owl#", "dcterms": "http://purl.org/dc/terms/",
        "prefLabel": {"@id": "skos:prefLabel", "@container": "@language"},
        "definition": {"@id": "skos:definition", "@container": "@language"},
        "broader": {"@id": "skos:broader", "@type": "@id"}, "narrower": {"@id": "skos:narrower", "@type": "@id"},
        "inScheme": {"@id": "skos:inScheme", "@type": "@id"}, "hasTopConcept": {"@id": "skos:hasTopConcept", "@type": "@id"},
        "topConceptOf": {"@id": "skos:topConceptOf", "@type": "@id"}, "notation": "skos:notation",
    }
    return {"@context": context, "@graph": graph}
