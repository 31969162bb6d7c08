"""The newsletter: an editor composes an issue from what is new, one click per item, edits it and sends it to the subscribers in their language."""

import pytest
from django.core import mail
from django.utils import timezone


def subscribe(email: str, language: str):
    from foodcommons.core.ids import new_public_id
    from foodcommons.subscriptions.models import Subscription

    return Subscription.objects.create(public_id=new_public_id(), email=email, kind="newsletter", key="", language=language, confirmed_at=timezone.now())


def new_project(organisation, **titles):
    from foodcommons.knowledge.services import create_project

    return create_project(data={"organisations": [organisation], **titles}, author=None, check_role=False)


def start_issue(client, organisation) -> str:
    response = client.post("/knowledge/newsletter/new", {"organisation": organisation.pk})
    assert response.status_code == 302
    return response["Location"].split("/")[-2]


@pytest.fixture
def draft(editor_client, organisation):
    return start_issue(editor_client, organisation)


@pytest.mark.django_db
def test_the_composer_offers_what_is_new_and_adds_an_item_in_one_click(editor_client, organisation, draft):
    project = new_project(organisation, title_fr="Cantines locales", title_nl="Lokale kantines",
                          summary_fr="Des repas locaux.", summary_nl="Lokale maaltijden.")
    page = editor_client.get(f"/knowledge/newsletter/{draft}/edit", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Cantines locales" in page and f'name="ref" value="{project.public_id}"' in page
    added = editor_client.post(f"/knowledge/newsletter/{draft}/items", {"kind": "project", "ref": project.public_id})
    assert added.status_code == 302
    from foodcommons.knowledge.models import NewsletterItem

    item = NewsletterItem.objects.get()
    assert (item.title_fr, item.title_nl, item.text_nl) == ("Cantines locales", "Lokale kantines", "Lokale maaltijden.")
    assert item.path == f"/knowledge/projects/{project.public_id}"
    again = editor_client.get(f"/knowledge/newsletter/{draft}/edit").content.decode()
    assert f'name="ref" value="{project.public_id}"' not in again  # offered once


@pytest.mark.django_db
def test_new_events_documents_and_offers_are_offered_too(editor_client, organisation, draft):
    from datetime import timedelta

    from foodcommons.events.services import create_event
    from foodcommons.knowledge.services import create_document

    start = timezone.now() + timedelta(days=20)
    create_event(data={"title_fr": "Rencontre de Liège", "starts_at": start, "ends_at": start + timedelta(hours=2), "address": "Liège"},
                 author=None, check_role=False)
    create_document(data={"title_fr": "Guide des achats publics", "organisation": organisation}, author=None, check_role=False)
    page = editor_client.get(f"/knowledge/newsletter/{draft}/edit", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Rencontre de Liège" in page and "Guide des achats publics" in page
    assert "evenement" in page and "document" in page  # kinds in the page's language


@pytest.mark.django_db
def test_an_issue_is_sent_to_each_subscriber_in_their_language_and_gets_a_public_page(editor_client, organisation, draft,
                                                                                     django_capture_on_commit_callbacks):
    from django.test import Client

    client = Client()  # a visitor, not the editor
    project = new_project(organisation, title_fr="Cantines locales", title_nl="Lokale kantines")
    editor_client.post(f"/knowledge/newsletter/{draft}/items", {"kind": "project", "ref": project.public_id})
    from foodcommons.knowledge.models import NewsletterItem

    item = NewsletterItem.objects.get()
    subscribe("fleur@example.org", "fr")
    subscribe("noor@example.org", "nl")
    body = {"title_fr": "Lettre n°1", "title_nl": "Nieuwsbrief nr. 1", "title_en": "", "intro_fr": "Bonjour à toutes et tous.",
            "intro_nl": "Beste allemaal.", "intro_en": "", f"item-{item.pk}-title_fr": "Cantines locales (édité)",
            f"item-{item.pk}-title_nl": "Lokale kantines", f"item-{item.pk}-text_nl": "Lees meer.", "then": "send"}
    with django_capture_on_commit_callbacks(execute=True):  # the sending job is queued when the issue is saved as sent
        response = editor_client.post(f"/knowledge/newsletter/{draft}/edit", body)
    assert response.status_code == 302
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"fleur@example.org", "noor@example.org"}
    assert by_address["noor@example.org"].subject == "Nieuwsbrief nr. 1" and "Beste allemaal." in by_address["noor@example.org"].body
    assert "Lees meer." in by_address["noor@example.org"].body
    assert by_address["fleur@example.org"].subject == "Lettre n°1" and "Cantines locales (édité)" in by_address["fleur@example.org"].body
    for message in mail.outbox:
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "/follow/unsubscribe/" in message.body and f"/knowledge/newsletter/{draft}" in message.body

    archive = client.get("/knowledge/newsletter/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Nieuwsbrief nr. 1" in archive
    issue = client.get(f"/knowledge/newsletter/{draft}", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Beste allemaal." in issue and "Lokale kantines" in issue
    for page in (archive, issue, client.get(f"/knowledge/newsletter/{draft}", HTTP_ACCEPT_LANGUAGE="fr").content.decode()):
        assert "fleur@example.org" not in page and "noor@example.org" not in page


@pytest.mark.django_db
def test_a_sent_issue_no_longer_changes(editor_client, organisation, draft):
    project = new_project(organisation, title_fr="Cantines locales")
    editor_client.post(f"/knowledge/newsletter/{draft}/items", {"kind": "project", "ref": project.public_id})
    editor_client.post(f"/knowledge/newsletter/{draft}/edit", {"title_fr": "Lettre n°1", "then": "send"})
    assert editor_client.post(f"/knowledge/newsletter/{draft}/edit", {"title_fr": "Autre"}).status_code in (403, 409)
    from foodcommons.knowledge.models import NewsletterIssue

    assert NewsletterIssue.objects.get().title_fr == "Lettre n°1"


@pytest.mark.django_db
def test_an_empty_issue_is_not_sent_and_says_why(editor_client, draft):
    response = editor_client.post(f"/knowledge/newsletter/{draft}/edit", {"title_fr": "Lettre vide", "then": "send"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    from foodcommons.knowledge.models import NewsletterIssue

    assert NewsletterIssue.objects.get().status == "draft"


@pytest.mark.django_db
def test_drafts_are_hidden_from_visitors_and_only_editors_compose(django_user_model, organisation, draft):
    from django.test import Client

    client = Client()
    assert client.get(f"/knowledge/newsletter/{draft}").status_code == 404
    assert f"/knowledge/newsletter/{draft}" not in client.get("/knowledge/newsletter/").content.decode()
    stranger = django_user_model.objects.create_user("sam", "sam@example.org", "a long password 123")
    client.force_login(stranger)
    assert client.get(f"/knowledge/newsletter/{draft}/edit").status_code == 404
    assert client.post("/knowledge/newsletter/new", {"organisation": organisation.pk}).status_code == 403


@pytest.mark.django_db
def test_the_archive_offers_to_subscribe(client):
    page = client.get("/knowledge/newsletter/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'href="/follow/newsletter"' in page and "Aucun numéro" in page
