"""The catalogue of expertise: search by need and territory, "ask for help" by e-mail in the facilitator's language, counts."""

import pytest

pytestmark = pytest.mark.django_db


def _offer(**overrides):
    from foodcommons.core.ids import new_public_id
    from foodcommons.knowledge.models import ExpertiseOffer
    from foodcommons.territories.models import Territory

    territories = overrides.pop("territories", [])
    offer = ExpertiseOffer.objects.create(**{
        "public_id": new_public_id(), "provider": "SOWALFIN", "title_fr": "Financement et micro-crédit", "title_nl": "Financiering en microkrediet",
        "needs": ["funding", "micro-credit"], "price_model": "free", "sector": "public", "contact_email": "aide@example.org",
        "contact_language": "fr", **overrides})
    offer.territories.set(Territory.objects.filter(code__in=territories))
    return offer


def test_offers_are_found_by_need_and_by_a_territory_they_serve(client):
    wallonia = _offer(territories=["03000"])
    brussels = _offer(provider="hub.brussels", needs=["legal"], territories=["04000"])
    assert [o["id"] for o in client.get("/api/knowledge/expertise", {"need": "funding"}).json()] == [wallonia.public_id]
    assert [o["id"] for o in client.get("/api/knowledge/expertise", {"territory": "91030"}).json()] == [wallonia.public_id]
    assert [o["id"] for o in client.get("/api/knowledge/expertise", {"territory": "21015"}).json()] == [brussels.public_id]
    page = client.get("/knowledge/expertise/", {"need": "legal"}, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "hub.brussels" in page and "SOWALFIN" not in page


def test_asking_for_help_mails_the_facilitator_in_their_language_and_counts_the_need(client, mailoutbox):
    offer = _offer(contact_language="nl", contact_email="hulp@example.org")
    response = client.post(f"/knowledge/expertise/{offer.public_id}/ask", {
        "need": "micro-credit", "territory": "91030", "message": "Nous cherchons un micro-crédit pour notre légumerie.",
        "email": "porteur@example.org", "name": "Porteur", "project": "Légumerie de Ciney",
    }, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200, response.content[:400]
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["hulp@example.org"]
    assert "microkrediet" in mail.subject.lower() and "porteur@example.org" in mail.body and "Légumerie de Ciney" in mail.body
    counts = client.get("/api/knowledge/needs").json()
    assert counts == [{"need": "micro-credit", "territory": "91030", "count": 1}]
    client.post(f"/knowledge/expertise/{offer.public_id}/ask", {"need": "micro-credit", "territory": "91030", "message": "Encore", "email": "b@example.org"})
    assert client.get("/api/knowledge/needs").json()[0]["count"] == 2
    page = client.get("/knowledge/expertise/needs", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "microkrediet" in page and "Ciney" in page
    assert "porteur@example.org" not in page and "Nous cherchons" not in page


def test_a_request_without_a_message_or_address_says_what_is_missing_and_counts_nothing(client, mailoutbox):
    offer = _offer()
    response = client.post(f"/knowledge/expertise/{offer.public_id}/ask", {"need": "funding", "message": "", "email": ""})
    assert response.status_code == 400
    assert mailoutbox == [] and client.get("/api/knowledge/needs").json() == []
