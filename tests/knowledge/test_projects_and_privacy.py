"""Projects by territory and work stream, "near me", and private contacts and e-mails absent from every public output."""

import pytest

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "private.person@example.org"
SECRET_PHONE = "0471 99 88 77"
FACILITATOR_EMAIL = "hidden.facilitator@example.org"


def _project(organisation, editor, *, territories, streams, title="Ceinture alimentaire de Ciney", contacts=None):
    from foodcommons.knowledge.models import WorkStream
    from foodcommons.knowledge.services import create_project
    from foodcommons.territories.models import Territory

    return create_project(author=editor, data={
        "title_fr": title, "title_nl": title + " (NL)", "summary_fr": "Relocaliser l'alimentation.", "organisations": [organisation],
        "territories": list(Territory.objects.filter(code__in=territories)), "work_streams": list(WorkStream.objects.filter(slug__in=streams)),
        "contacts": contacts or [],
    })


def test_a_project_of_a_commune_is_found_from_its_province_and_by_work_stream(client, organisation, editor):
    ciney = _project(organisation, editor, territories=["91030"], streams=["diagnostics"])
    page = client.get("/knowledge/projects/", {"territory": "90000"}).content.decode()
    assert f"/knowledge/projects/{ciney.public_id}" in page
    assert ciney.public_id not in client.get("/knowledge/projects/", {"territory": "60000"}).content.decode()
    assert [p["id"] for p in client.get("/api/knowledge/projects", {"territory": "03000", "work_stream": "diagnostics"}).json()] == [ciney.public_id]
    assert client.get("/api/knowledge/projects", {"work_stream": "land"}).json() == []


def test_a_project_of_the_whole_region_concerns_its_communes_but_sits_in_no_province_on_the_map(client, organisation, editor):
    from foodcommons.knowledge.selectors import codes_within

    wallonia = _project(organisation, editor, territories=["03000"], streams=["food-policy-councils"], title="Conseils de politique alimentaire")
    assert [p["id"] for p in client.get("/api/knowledge/projects", {"territory": "92094"}).json()] == [wallonia.public_id]
    assert client.get("/api/knowledge/projects", {"territory": "21015"}).json() == []
    assert wallonia.public_id not in client.get("/knowledge/projects/map").content.decode()
    assert "03000" not in codes_within("90000") and "92094" in codes_within("90000") and "92000" in codes_within("90000")


def test_projects_on_the_same_work_stream_in_the_same_province_are_near(client, organisation, editor):
    ciney = _project(organisation, editor, territories=["91030"], streams=["diagnostics"])
    namur = _project(organisation, editor, territories=["92094"], streams=["diagnostics"], title="Diagnostic de Namur")
    _project(organisation, editor, territories=["62063"], streams=["diagnostics"], title="Diagnostic de Liège")
    _project(organisation, editor, territories=["92094"], streams=["land"], title="Terres de Namur")
    page = client.get(f"/knowledge/projects/{ciney.public_id}").content.decode()
    assert "Diagnostic de Namur" in page and "Diagnostic de Liège" not in page and "Terres de Namur" not in page
    near = client.get("/knowledge/projects/", {"territory": "91030", "work_stream": "diagnostics", "near": "1"}).content.decode()
    assert namur.public_id in near and ciney.public_id in near and "Diagnostic de Liège" not in near


def test_a_project_page_is_in_the_visitor_s_language(client, organisation, editor):
    project = _project(organisation, editor, territories=["91030"], streams=["public-procurement"])
    page = client.get(f"/knowledge/projects/{project.public_id}", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Ceinture alimentaire de Ciney (NL)" in page and "Overheidsopdrachten" in page


def test_the_map_lists_the_projects_by_province(client, organisation, editor):
    project = _project(organisation, editor, territories=["91030"], streams=["diagnostics"])
    page = client.get("/knowledge/projects/map").content.decode()
    assert project.public_id in page and "?territory=90000" in page


def test_an_editor_publishes_a_project_through_the_form(editor_client, organisation):
    from foodcommons.knowledge.models import Project, WorkStream

    response = editor_client.post("/knowledge/projects/new", {
        "organisations": [organisation.pk], "title_fr": "Légumerie de Gembloux", "status": "planned", "territories": ["92142"],
        "work_streams": [WorkStream.objects.get(slug="legumeries").pk], "contacts": f"Anne; coordinatrice; {SECRET_EMAIL}; {SECRET_PHONE}",
    })
    assert response.status_code == 302, response.content[:400]
    project = Project.objects.get()
    assert project.contacts.get().is_public is False
    assert list(project.territories.values_list("code", flat=True)) == ["92142"]


def _every_public_output(client, project) -> str:
    from tests.knowledge.conftest import publish  # noqa: F401 — the same public outputs the other tests read

    paths = ["/knowledge/", "/knowledge/projects/", f"/knowledge/projects/{project.public_id}", "/knowledge/projects/map",
             "/knowledge/expertise/", "/knowledge/expertise/needs", "/knowledge/directory/", "/knowledge/documents/",
             "/api/knowledge/projects", f"/api/knowledge/projects/{project.public_id}", "/api/knowledge/expertise", "/api/knowledge/needs",
             "/api/catalog.ttl", "/api/catalog.jsonld"]
    from foodcommons.knowledge.models import ExpertiseOffer

    paths += [f"/knowledge/expertise/{o.public_id}" for o in ExpertiseOffer.objects.all()]
    bodies = []
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        bodies.append(response.content.decode())
    return "\n".join(bodies)


def test_private_contacts_and_facilitators_e_mails_are_absent_from_every_public_output(client, organisation, editor):
    from foodcommons.core.ids import new_public_id
    from foodcommons.knowledge.models import ExpertiseOffer

    project = _project(organisation, editor, territories=["91030"], streams=["diagnostics"], contacts=[
        {"name": "Private Person", "email": SECRET_EMAIL, "phone": SECRET_PHONE, "is_public": False},
        {"name": "Public Desk", "email": "desk@example.org", "is_public": True},
    ])
    ExpertiseOffer.objects.create(public_id=new_public_id(), provider="SOWALFIN", title_fr="Financement", needs=["funding"],
                                  contact_email=FACILITATOR_EMAIL)
    everything = _every_public_output(client, project)
    for secret in (SECRET_EMAIL, SECRET_PHONE, "Private Person", FACILITATOR_EMAIL):
        assert secret not in everything
    assert "desk@example.org" in everything and "Public Desk" in everything


def test_the_form_links_a_project_to_documents_and_events_by_their_ids(editor_client, organisation, editor):
    from datetime import UTC, datetime, timedelta

    from foodcommons.events.services import create_event
    from foodcommons.knowledge.models import Document, Project

    Document.objects.create(public_id="doc-ciney", title_fr="Diagnostic de Ciney", link_url="https://example.org/d")
    start = datetime.now(UTC) + timedelta(days=10)
    event = create_event(data={"title_fr": "Rencontre de Namur", "starts_at": start, "ends_at": start + timedelta(hours=2)}, author=None, check_role=False)
    body = {"organisations": [organisation.pk], "title_fr": "Ceinture de Ciney", "status": "ongoing", "documents": "doc-ciney", "events": event.public_id}
    assert editor_client.post("/knowledge/projects/new", body).status_code == 302
    project = Project.objects.get()
    page = editor_client.get(f"/knowledge/projects/{project.public_id}").content.decode()
    assert "Diagnostic de Ciney" in page and "Rencontre de Namur" in page
    refused = editor_client.post("/knowledge/projects/new", {**body, "events": "nope"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert refused.status_code == 400 and Project.objects.count() == 1
