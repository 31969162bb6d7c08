"""The seed documents' knowledge in the demo: organisations, the directory, projects linked to the meetings, offers."""

import time

import pytest

from foodcommons.demo.events import load_demo_events
from foodcommons.demo.knowledge import load_demo_knowledge

pytestmark = pytest.mark.django_db

SEED_ORGANISATIONS = ["manger-demain", "apaq-w", "biowallonie", "college-des-producteurs", "spw", "wagralim", "sowalfin", "rawad",
                      "agroecology-in-action", "cwad", "mutualisons"]


def test_the_seed_knowledge_is_loaded_once_fast_with_its_sources(client):
    from foodcommons.collaboration.models import Organisation
    from foodcommons.knowledge.models import Document, ExpertiseOffer, Platform, Project

    load_demo_events()
    started = time.perf_counter()
    created = load_demo_knowledge()
    assert time.perf_counter() - started < 5
    assert created == 7 + 2 + 5 + 2
    assert load_demo_knowledge() == 0
    assert set(SEED_ORGANISATIONS) <= set(Organisation.objects.values_list("slug", flat=True))
    assert {p.connector for p in Platform.objects.exclude(connector="")} == {"gogocarto", "openfairdb", "osm", "dfc"}
    assert Platform.objects.get(slug="plateforme-craft").operator == "SOWALFIN"
    for model in (Project, Document, ExpertiseOffer):
        assert all(("004_a6f815f31b3dc223" in item.source or "000_72d88b50570506d4" in item.source) for item in model.objects.all())
    chantiers = Project.objects.get(title_fr__startswith="Chantiers communs")
    assert chantiers.events.count() == 5 and chantiers.work_streams.count() == 8
    rata = Project.objects.get(title_fr__contains="RATA")
    assert set(rata.organisations.values_list("slug", flat=True)) == {"manger-demain", "rawad", "agroecology-in-action", "cwad"}
    page = client.get("/knowledge/projects/", {"territory": "92094"}, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Voedselraden begeleiden (project RATA)" in page and "Mutualisons" not in page
    assert "Mutualisons" in client.get("/knowledge/projects/", {"territory": "21015"}).content.decode()
    assert "Projet FRUGAL" in client.get("/knowledge/projects/", {"q": "flux alimentaires"}).content.decode()
    assert "SPW" in client.get("/knowledge/expertise/", {"need": "procurement"}).content.decode()
    directory = client.get("/knowledge/directory/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "le clic local" in directory and "Plateforme Craft" in directory
    dutch = client.get("/knowledge/directory/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Wereld" in dutch and "Monde" not in dutch and "doorlopend" in dutch
