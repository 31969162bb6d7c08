"""Exchanges between projects: an organisation's editors post a question or a need, anyone signed in answers; private
answers are shown only to the askers and their author, never in the API."""

import pytest

pytestmark = pytest.mark.django_db

PRIVATE_ANSWER = "Notre tarif confidentiel est de 12 euros"


def test_a_question_is_answered_publicly_and_privately(editor_client, organisation, client, django_user_model):
    from foodcommons.knowledge.models import Exchange, WorkStream

    response = editor_client.post("/knowledge/exchanges/new", {
        "organisation": organisation.pk, "kind": "question", "title": "Qui a déjà lancé une légumerie ?", "body": "Nous cherchons des retours.",
        "territory": "90000", "work_streams": [WorkStream.objects.get(slug="legumeries").pk]})
    assert response.status_code == 302, response.content[:400]
    exchange = Exchange.objects.get()
    helper = django_user_model.objects.create_user("helper", "helper@example.org")
    other = django_user_model.objects.create_user("other", "other@example.org")
    client.force_login(helper)
    assert client.post(f"/knowledge/exchanges/{exchange.public_id}/answers", {"body": "Voyez la légumerie de Ciney."}).status_code == 302
    assert client.post(f"/knowledge/exchanges/{exchange.public_id}/answers", {"body": PRIVATE_ANSWER, "is_private": "on"}).status_code == 302
    page = f"/knowledge/exchanges/{exchange.public_id}"
    assert PRIVATE_ANSWER in client.get(page).content.decode()  # its author
    assert PRIVATE_ANSWER in editor_client.get(page).content.decode()  # the askers
    client.force_login(other)
    assert PRIVATE_ANSWER not in client.get(page).content.decode()
    client.logout()
    public = client.get(page, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Voyez la légumerie de Ciney." in public and PRIVATE_ANSWER not in public and "Inloggen om te antwoorden" in public
    api = client.get("/api/knowledge/exchanges", {"territory": "91030", "work_stream": "legumeries"}).json()
    assert [x["id"] for x in api] == [exchange.public_id]
    assert [a["body"] for a in api[0]["answers"]] == ["Voyez la légumerie de Ciney."]
    assert PRIVATE_ANSWER not in client.get(f"/api/knowledge/exchanges/{exchange.public_id}").content.decode()


def test_only_an_organisation_s_editors_post_and_only_signed_in_people_answer(client, organisation, django_user_model):
    from foodcommons.knowledge.models import Answer, Exchange

    client.force_login(django_user_model.objects.create_user("nobody"))
    assert client.post("/knowledge/exchanges/new", {"organisation": organisation.pk, "kind": "need", "title": "x", "body": "y"}).status_code == 403
    exchange = Exchange.objects.create(public_id="x1", title="Besoin", body="Un local", organisation=organisation)
    client.logout()
    response = client.post(f"/knowledge/exchanges/{exchange.public_id}/answers", {"body": "Moi"})
    assert response.status_code == 302 and "/accounts/login" in response["Location"]
    assert Answer.objects.count() == 0
