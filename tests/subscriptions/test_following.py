"""Following a territory, a category, a place or a work stream: confirmed by account or by an e-mailed link; unsubscribing in one click."""

import pytest
from django.core import mail

from tests.subscriptions.conftest import link_in

SCHAERBEEK = "21015"


def follow(client, path, **body):
    return client.post(path, {"language": "fr", **body}, HTTP_ACCEPT_LANGUAGE=body.get("language", "fr"))


@pytest.mark.django_db
def test_following_without_an_account_waits_for_the_emailed_link(client):
    from foodcommons.subscriptions.models import Subscription

    response = follow(client, f"/follow/territory/{SCHAERBEEK}", email="Ana@Example.org", language="nl")
    assert response.status_code == 200
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.language, subscription.confirmed_at) == ("ana@example.org", "nl", None)
    [message] = mail.outbox
    assert message.to == ["ana@example.org"] and message.extra_headers["Content-Language"] == "nl"
    assert "Schaarbeek" in message.subject  # the territory's Dutch name, in the subscriber's language
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http") and "/follow/unsubscribe/" in message.extra_headers["List-Unsubscribe"]

    page = client.get(link_in(message, "/follow/confirm/"), HTTP_ACCEPT_LANGUAGE="nl")
    assert page.status_code == 200
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None and subscription.notified_until == subscription.confirmed_at


@pytest.mark.django_db
def test_an_account_following_with_its_own_address_is_confirmed_at_once(client, django_user_model):
    from foodcommons.subscriptions.models import Subscription

    user = django_user_model.objects.create_user("lea", "lea@example.org", "a long password 123")
    client.force_login(user)
    response = follow(client, "/follow/category/neighbourhood-compost", email="")
    assert response.status_code == 200
    subscription = Subscription.objects.get()
    assert subscription.user == user and subscription.email == "lea@example.org" and subscription.confirmed_at is not None
    assert mail.outbox == []


@pytest.mark.django_db
def test_following_twice_keeps_one_subscription_and_sends_the_link_again(client):
    from foodcommons.subscriptions.models import Subscription

    follow(client, f"/follow/territory/{SCHAERBEEK}", email="ana@example.org")
    follow(client, f"/follow/territory/{SCHAERBEEK}", email="ana@example.org")
    assert Subscription.objects.count() == 1 and len(mail.outbox) == 2


@pytest.mark.django_db
def test_unknown_targets_and_bad_addresses_are_refused_with_a_reason(client):
    assert client.get("/follow/territory/99999").status_code == 404
    assert client.get("/follow/planet/earth").status_code == 404
    refused = follow(client, f"/follow/territory/{SCHAERBEEK}", email="not an address")
    assert refused.status_code == 400
    assert "adresse" in refused.content.decode().lower()


@pytest.mark.django_db
def test_a_forged_confirmation_link_is_refused(client):
    response = client.get("/follow/confirm/forged-token", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_unsubscribe_link_asks_on_get_and_mail_clients_unsubscribe_in_one_post(client):
    from django.test import Client

    from foodcommons.subscriptions.models import Subscription

    follow(client, f"/follow/territory/{SCHAERBEEK}", email="ana@example.org")
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200 and "Schaerbeek" in page.content.decode()
    assert Subscription.objects.count() == 1  # a link scanner's GET changes nothing
    mail_client = Client(enforce_csrf_checks=True)  # RFC 8058: a POST without session nor CSRF token
    done = mail_client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert done.status_code == 200
    assert Subscription.objects.count() == 0
    assert client.get(path, HTTP_ACCEPT_LANGUAGE="fr").status_code == 200  # the link still answers: already unsubscribed


@pytest.mark.django_db
def test_place_and_territory_pages_carry_a_follow_button(client, make_place):
    place = make_place()
    page = client.get(f"/places/{place.public_id}", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert f'href="/follow/place/{place.public_id}"' in page and "Volgen" in page
    directory = client.get(f"/directory/{SCHAERBEEK}", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert f'href="/follow/territory/{SCHAERBEEK}"' in directory and "Suivre" in directory


@pytest.mark.django_db
def test_subscriber_addresses_are_never_shown(client):
    follow(client, f"/follow/territory/{SCHAERBEEK}", email="secret.person@example.org")
    for path in (f"/follow/territory/{SCHAERBEEK}", f"/follow/territory/{SCHAERBEEK}/feed.atom", f"/directory/{SCHAERBEEK}"):
        assert "secret.person" not in client.get(path).content.decode()


@pytest.mark.django_db
def test_deleting_an_account_deletes_its_subscriptions(client, django_user_model):
    from foodcommons.accounts.signals import account_deleting
    from foodcommons.subscriptions.models import Subscription

    user = django_user_model.objects.create_user("lea", "lea@example.org", "a long password 123")
    client.force_login(user)
    follow(client, f"/follow/territory/{SCHAERBEEK}")
    account_deleting.send(sender=None, user=user)
    assert Subscription.objects.count() == 0
