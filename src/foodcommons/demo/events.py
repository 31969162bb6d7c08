"""The events the two seed documents announce: five territorial meetings of Manger Demain and the Mutualisons workshop in Brussels."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from foodcommons.collaboration.models import Organisation
from foodcommons.events.models import Event
from foodcommons.events.services import create_event
from foodcommons.territories.models import Territory

BRUSSELS = ZoneInfo("Europe/Brussels")
MEETINGS_SOURCE = "Manger Demain – « Chantiers communs : 46 projets pour relocaliser l'alimentation en Wallonie » (shared/seeds/004_a6f815f31b3dc223.txt)"
WORKSHOP_SOURCE = "Mutualisons – invitation à l'atelier des alternatives bruxelloises (shared/seeds/000_72d88b50570506d4.txt)"

# The document dates its first workshop "6 mai 2021": its meetings are those of June 2021. "dès 14h": the end is not given.
MEETINGS = [
    ("60000", 1, ("Liège", "Luik", "Liège")),
    ("90000", 8, ("Namur", "Namen", "Namur")),
    ("80000", 10, ("Luxembourg", "Luxemburg", "Luxembourg")),
    ("20002", 17, ("Brabant wallon", "Waals-Brabant", "Walloon Brabant")),
    ("50000", 24, ("Hainaut", "Henegouwen", "Hainaut")),
]
# "Vendredi 5 avril", no year: 5 April is a Friday in 2019, the time of the Mutualisons project (In Common, Innoviris).
WORKSHOP_DAY = (2019, 4, 5)
WORKSHOP_PROGRAMME = [
    ("13:00", "13:30", "Petit mot d'introduction", "Korte inleiding", "A short introduction"),
    ("13:30", "14:40", "Se partager des infos, pourquoi ? Quels changements d'échelle possibles ?",
     "Informatie delen, waarom? Welke schaalveranderingen zijn mogelijk?", "Sharing information, why? What changes of scale?"),
    ("14:40", "15:50", "Une carte ? Pour partager quoi ?", "Een kaart? Om wat te delen?", "A map? To share what?"),
    ("15:50", "17:20", "Faire ensemble : atelier de co-création d'outils utiles pour l'alimentation durable à Bxl",
     "Samen doen: cocreatieatelier van nuttige tools voor duurzame voeding in Brussel",
     "Doing together: co-creating useful tools for sustainable food in Brussels"),
    ("17:20", "18:00", "Récolte des résultats", "Oogst van de resultaten", "Gathering the results"),
]


# The seed puts the territorial meetings under its work stream « Approche territoriale ».
MEETINGS_WORK_STREAMS = ["territorial-approach"]


def _give_work_streams(event: Event, slugs: list[str]) -> None:
    """Give a seed event its work streams when it has none yet."""
    if not event.work_streams.exists():
        event.work_streams.set(list(Event._meta.get_field("work_streams").related_model.objects.filter(slug__in=slugs)))


def _at(day: tuple[int, int, int], hhmm: str) -> datetime:
    hour, minute = (int(p) for p in hhmm.split(":"))
    return datetime(*day, hour, minute, tzinfo=BRUSSELS)


def _organisation(slug: str, name: str, description: str) -> Organisation:
    return Organisation.objects.get_or_create(slug=slug, defaults={"name": name, "description": description})[0]


@transaction.atomic
def load_demo_events() -> int:
    """Create the seed documents' events that are not there yet; return how many were created."""
    created = 0
    manger_demain = _organisation("manger-demain", "Manger Demain", "Cellule d'appui aux projets pour relocaliser l'alimentation en Wallonie.")
    for code, day, (fr, nl, en) in MEETINGS:
        starts = _at((2021, 6, day), "14:00")
        existing = Event.objects.filter(source=MEETINGS_SOURCE, starts_at=starts).first()
        if existing is not None:
            _give_work_streams(existing, MEETINGS_WORK_STREAMS)  # a demo loaded before events had work streams gets them
            continue
        create_event(author=None, check_role=False, data={
            "title_fr": f"Rencontre territoriale – {fr}", "title_nl": f"Territoriale ontmoeting – {nl}", "title_en": f"Territorial meeting – {en}",
            "description_fr": "Rassembler les acteurs d'un même territoire : mieux connaître les projets qui existent autour de vous et "
                              "créer ou renforcer des synergies entre vous (chantier « Approche territoriale »). À partir de 14h.",
            "description_nl": "De actoren van eenzelfde gebied samenbrengen: de projecten rondom u beter leren kennen en synergieën "
                              "creëren of versterken (werf „Territoriale aanpak”). Vanaf 14 uur.",
            "description_en": "Bringing together the actors of one territory: getting to know the projects around you and creating or "
                              "strengthening synergies (the 'territorial approach' work stream). From 2 pm.",
            "starts_at": starts, "ends_at": _at((2021, 6, day), "17:00"), "organisation": manger_demain,
            "territory": Territory.objects.filter(code=code).first(), "source": MEETINGS_SOURCE,
            "work_streams": MEETINGS_WORK_STREAMS,
        })
        created += 1
    starts = _at(WORKSHOP_DAY, "13:00")
    if not Event.objects.filter(source=WORKSHOP_SOURCE).exists():
        mutualisons = _organisation("mutualisons", "Mutualisons", "Un outil de partage de données entre alternatives bruxelloises (In Common).")
        create_event(author=None, check_role=False, data={
            "title_fr": "Atelier pour les alternatives du secteur de l'alimentation durable à Bruxelles",
            "title_nl": "Atelier voor de alternatieven van de duurzame voedingssector in Brussel",
            "title_en": "Workshop for the sustainable-food alternatives of Brussels",
            "description_fr": "Dans le cadre du projet Mutualisons, participez à la création d'un outil de partage de données entre "
                              "alternatives bruxelloises : une plateforme collaborative en open data qui réponde à vos besoins.",
            "description_nl": "In het kader van het project Mutualisons: werk mee aan een tool om gegevens te delen tussen Brusselse "
                              "alternatieven, een collaboratief open-dataplatform dat aan uw noden beantwoordt.",
            "description_en": "As part of the Mutualisons project, take part in creating a tool for sharing data between the alternatives "
                              "of Brussels: a collaborative open-data platform that meets your needs.",
            "starts_at": starts, "ends_at": _at(WORKSHOP_DAY, "18:00"), "address": "Grafik, Avenue Louis Bertrand 30, 1030 Schaerbeek",
            "organisation": mutualisons, "territory": Territory.objects.filter(code="21015").first(), "source": WORKSHOP_SOURCE,
            "sessions": [{"starts_at": _at(WORKSHOP_DAY, s), "ends_at": _at(WORKSHOP_DAY, e), "title_fr": f, "title_nl": n, "title_en": g}
                         for s, e, f, n, g in WORKSHOP_PROGRAMME],
        })
        created += 1
    return created
