"""One error path for pages: a Problem raised in any view becomes a page of the site, in the visitor's language."""

import pytest

from tests.collaboration.conftest import World

HEADINGS = {
    400: {"fr": "Impossible de faire ceci", "nl": "Dit kan niet"},
    403: {"fr": "Vous ne pouvez pas faire ceci", "nl": "U mag dit niet doen"},
    404: {"fr": "Cette page n’existe pas", "nl": "Deze pagina bestaat niet"},
    409: {"fr": "Ceci a été modifié entre-temps", "nl": "Dit werd intussen gewijzigd"},
    410: {"fr": "Ceci a été supprimé", "nl": "Dit werd verwijderd"},
    503: {"fr": "Beaucoup de modifications sont en cours d’enregistrement", "nl": "Er worden nu veel wijzigingen opgeslagen"},
}
HOME_LINK = {"fr": "Vers la page d’accueil", "nl": "Naar de startpagina"}


def page(client, path: str, language: str, **extra):
    return client.get(path, HTTP_ACCEPT_LANGUAGE=language, **extra)


@pytest.mark.urls("tests.web.problem_urls")
@pytest.mark.parametrize("language", ["fr", "nl"])
@pytest.mark.parametrize("status", sorted(HEADINGS))
def test_a_problem_raised_in_a_page_is_a_page_of_its_status_in_the_visitor_s_language(client, db, status, language):
    answer = page(client, f"/test-problem/{status}", language)
    body = answer.content.decode()
    assert answer.status_code == status and answer["Content-Type"].startswith("text/html")
    assert f'<html lang="{language}">' in body and 'class="site-header"' in body  # the site's layout
    assert f"<h1 id=\"problem-heading\">{HEADINGS[status][language]}</h1>" in body
    assert f'<a href="/">{HOME_LINK[language]}</a>' in body  # a way on


@pytest.mark.urls("tests.web.problem_urls")
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_lock_wait_is_the_busy_page_with_when_to_retry(client, db, language):
    answer = page(client, "/test-problem/5031", language)
    assert answer.status_code == 503 and int(answer["Retry-After"]) > 0
    assert HEADINGS[503][language] in answer.content.decode()


@pytest.mark.urls("tests.web.problem_urls")
def test_the_page_keeps_the_english_detail_of_the_service_apart_and_names_the_refused_fields(client, db):
    body = page(client, "/test-problem/400", "fr").content.decode()
    assert '<ul lang="en"><li><code>to_version</code>: the place has no version 7</li></ul>' in body


@pytest.mark.urls("tests.web.problem_urls")
def test_the_page_links_back_to_the_page_of_this_site_the_visitor_came_from(client, db):
    came_from = page(client, "/test-problem/409", "fr", HTTP_REFERER="http://testserver/directory").content.decode()
    elsewhere = page(client, "/test-problem/409", "fr", HTTP_REFERER="https://elsewhere.example/").content.decode()
    assert 'href="http://testserver/directory">Retour à la page précédente' in came_from
    assert "elsewhere.example" not in elsewhere


@pytest.mark.urls("tests.web.problem_urls")
@pytest.mark.parametrize("status", sorted(HEADINGS))
def test_the_api_keeps_answering_problem_documents(client, db, status):
    answer = client.get(f"/api/test-problem/{status}")
    assert answer.status_code == status and answer["Content-Type"] == "application/problem+json"
    assert answer.json()["status"] == status


@pytest.fixture
def world(client, django_user_model):
    return World(client, django_user_model)


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_real_pages_answer_with_the_problem_page(world, language):
    """A few of the ~20 pages that rendered their problems by hand, now through the one path."""
    from foodcommons.places.services import delete_place

    missing = page(world.client, "/places/NOPE/history", language)
    assert missing.status_code == 404 and HEADINGS[404][language] in missing.content.decode()
    world.client.force_login(world.users["user"])
    refused = page(world.client, "/imports/", language)
    assert refused.status_code == 403 and 'class="problem"' in refused.content.decode()
    delete_place(public_id=world.place.public_id)
    world.client.force_login(world.users["moderator"])  # who edits directly: the write itself meets the deleted place
    form = {
        "name_fr": "Compost",
        "categories": ["neighbourhood-compost"],
        "lon": "4.3779",
        "lat": "50.8624",
        "status": "active",
        "version": world.place.version,
    }
    gone = world.client.post(f"/places/{world.place.public_id}/edit", form, HTTP_ACCEPT_LANGUAGE=language)
    assert gone.status_code == 410 and 'class="problem"' in gone.content.decode()


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_url_no_view_answers_is_the_same_page(client, db, language):
    answer = page(client, "/no/such/page", language)
    assert answer.status_code == 404 and HEADINGS[404][language] in answer.content.decode()


def test_an_unknown_api_url_keeps_django_s_answer(client, db):
    assert client.get("/api/no/such/route").status_code == 404
