"""The shared vocabulary of work streams ("chantiers communs" of Manger Demain, shared/seeds/004), in FR/NL/EN."""

WORK_STREAMS = [
    # (slug, French, Dutch, English)
    ("diagnostics", "Diagnostics", "Diagnoses", "Diagnostics"),
    ("supply-demand", "Caractérisation offre/demande", "Karakterisering van vraag en aanbod", "Supply and demand"),
    ("food-policy-councils", "Conseils de politique alimentaire", "Voedselraden", "Food policy councils"),
    ("public-procurement", "Marchés publics", "Overheidsopdrachten", "Public procurement"),
    ("expertise", "Recueil d'expertises", "Verzameling van expertise", "Expertise"),
    ("social-projects", "Projets à finalité sociale", "Projecten met een sociaal doel", "Social projects"),
    ("communication", "Communication", "Communicatie", "Communication"),
    ("territorial-approach", "Approche territoriale", "Territoriale aanpak", "Territorial approach"),
    ("supply-chains", "Filières de production", "Productieketens", "Supply chains"),
    ("legumeries", "Légumeries", "Groenteverwerkingsateliers", "Vegetable processing units (légumeries)"),
    ("land", "Problématique foncière", "Grondvraagstuk", "Land"),
    ("studies", "Mise à disposition d'études", "Studies ter beschikking stellen", "Sharing studies"),
]
