"""Writes of projects and documents through the API: a token that may write, of an editor of the organisations concerned."""

import pytest


@pytest.fixture
def editor_api(client, editor):
    from foodcommons.accounts.tokens import create_token
    from tests.conftest import ApiClient

    return ApiClient(client, create_token(user=editor))


@pytest.mark.django_db
def test_an_editor_creates_and_changes_a_project_of_their_organisation(editor_api, organisation):
    created = editor_api.post("/api/knowledge/projects", {
        "title": {"fr": "Cantines locales", "nl": "Lokale kantines"}, "status": "ongoing", "organisations": [organisation.slug],
        "territories": ["92094"], "work_streams": ["public-procurement"]})
    assert created.status_code == 201, created.content
    project = created.json()
    assert (project["title"]["fr"], project["title"]["nl"], project["territories"]) == ("Cantines locales", "Lokale kantines", ["92094"])
    changed = editor_api.patch(f"/api/knowledge/projects/{project['id']}", {"summary": {"fr": "Des repas locaux."}, "status": "finished"})
    assert changed.status_code == 200 and changed.json()["summary"]["fr"] == "Des repas locaux." and changed.json()["status"] == "finished"
    assert changed.json()["title"]["nl"] == "Lokale kantines"  # what the PATCH did not name stays
    found = editor_api.get("/api/knowledge/projects", {"territory": "92000", "q": "cantines"}).json()
    assert [p["id"] for p in found] == [project["id"]]


@pytest.mark.django_db
def test_an_editor_publishes_a_document_by_its_link(editor_api, organisation):
    created = editor_api.post("/api/knowledge/documents", {"title": {"fr": "Guide des achats publics durables"}, "kind": "procurement-guide",
                                                          "organisation": organisation.slug, "link_url": "https://example.org/guide.pdf",
                                                          "licence": "CC-BY-4.0", "work_streams": ["public-procurement"]})
    assert created.status_code == 201, created.content
    assert created.json()["link_url"] == "https://example.org/guide.pdf" and created.json()["versions"] == []
    assert [d["id"] for d in editor_api.get("/api/knowledge/documents", {"q": "achats"}).json()] == [created.json()["id"]]


@pytest.mark.django_db
def test_writes_are_refused_to_others_and_bad_bodies_say_which_field(client, editor_api, organisation, django_user_model):
    from foodcommons.accounts.tokens import create_token
    from foodcommons.collaboration.models import Organisation
    from tests.conftest import ApiClient

    other = Organisation.objects.create(slug="autre-reseau", name="Autre réseau")
    assert editor_api.post("/api/knowledge/projects", {"title": {"fr": "X"}, "organisations": [other.slug]}).status_code == 403
    stranger = ApiClient(client, create_token(user=django_user_model.objects.create_user("sam", "sam@example.org")))
    assert stranger.post("/api/knowledge/projects", {"title": {"fr": "X"}, "organisations": [organisation.slug]}).status_code == 403
    assert ApiClient(client, None).post("/api/knowledge/documents", {"title": {"fr": "X"}}).status_code == 401
    unknown = editor_api.post("/api/knowledge/projects", {"title": {"fr": "X"}, "organisations": [organisation.slug], "territories": ["99999"]})
    assert unknown.status_code == 400 and "territories" in unknown.content.decode()
    no_link = editor_api.post("/api/knowledge/documents", {"title": {"fr": "X"}, "organisation": organisation.slug})
    assert no_link.status_code == 400 and "file" in no_link.content.decode()
    assert editor_api.post("/api/knowledge/projects", {"title": {"fr": "X"}, "colour": "red"}).status_code == 400
    from foodcommons.knowledge.models import Project

    assert not Project.objects.exists()
