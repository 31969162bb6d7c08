"""Accounts through the real forms: sign-up with e-mail confirmation, throttled login, reset, profile, tokens, data, deletion."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.conftest import ApiClient, compost

PASSWORD = "correct horse battery staple"


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def sign_up(client, username="alice", email="alice@example.org", language="nl"):
    return client.post("/accounts/signup", {"username": username, "email": email, "password": PASSWORD, "language": language})


@pytest.fixture
def alice(db, client):
    sign_up(client)
    client.post(_link(mail.outbox[-1]))
    return get_user_model().objects.get(username="alice")


def test_sign_up_needs_the_emailed_link_before_login_works(db, client):
    response = sign_up(client)
    assert response.status_code == 200 and "alice@example.org" in response.content.decode()
    user = get_user_model().objects.get(username="alice")
    assert not user.is_active and user.password.startswith("argon2")
    assert mail.outbox[-1].extra_headers["Content-Language"] == "nl"
    assert client.post("/accounts/login", {"username": "alice", "password": PASSWORD}).status_code == 200  # the form again
    client.post(_link(mail.outbox[-1]))
    assert client.post("/accounts/login", {"username": "alice", "password": PASSWORD}).status_code == 302


def test_sign_up_refuses_weak_passwords_and_taken_names(db, client, django_user_model):
    django_user_model.objects.create_user("bob", email="bob@example.org")
    weak = client.post("/accounts/signup", {"username": "carol", "email": "c@example.org", "password": "1234567890", "language": "fr"})
    taken = client.post("/accounts/signup", {"username": "bob", "email": "b2@example.org", "password": PASSWORD, "language": "fr"})
    assert weak.context["form"].errors["password"] and taken.context["form"].errors["username"]
    assert not django_user_model.objects.filter(username="carol").exists()


def test_forms_need_the_csrf_token(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/accounts/signup", {"username": "x", "email": "x@example.org", "password": PASSWORD, "language": "fr"}).status_code == 403
    assert strict.post("/places/new", compost()).status_code == 403


def test_logins_are_throttled_after_repeated_failures(alice, client):
    for _ in range(5):
        client.post("/accounts/login", {"username": "alice", "password": "wrong password"})
    refused = client.post("/accounts/login", {"username": "alice", "password": PASSWORD})
    assert refused.status_code == 429 and refused.context["form"].errors.as_data()["__all__"][0].code == "throttled"
    assert "_auth_user_id" not in client.session


def test_sign_ups_are_rate_limited(db, client, settings):
    settings.FOODCOMMONS_RATE_LIMITS = {**settings.FOODCOMMONS_RATE_LIMITS, "signup": (2, 3600)}
    statuses = [sign_up(client, username=f"user{i}", email=f"u{i}@example.org").status_code for i in range(3)]
    assert statuses == [200, 200, 429]


def test_password_reset_by_emailed_link(alice, client):
    client.post("/accounts/password-reset", {"email": "alice@example.org"})
    confirm = client.get(_link(mail.outbox[-1]), follow=True)
    new = "another long passphrase 7"
    client.post(confirm.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert client.login(username="alice", password=new)


def test_password_reset_mail_waits_in_the_queue_without_its_token_until_a_worker_sends_it(alice, client, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    sent_before = len(mail.outbox)
    response = client.post("/accounts/password-reset", {"email": "alice@example.org"})
    assert response.status_code == 302 and len(mail.outbox) == sent_before
    queued = DBTaskResult.objects.get(task_path="foodcommons.accounts.tasks.send_password_reset")
    assert queued.args_kwargs["kwargs"] == {"user_id": alice.pk, "language": "fr"}
    from foodcommons.accounts.tasks import send_password_reset

    send_password_reset.call(**queued.args_kwargs["kwargs"])  # what the worker runs (tests/collaboration/test_live.py runs a real one)
    assert len(mail.outbox) == sent_before + 1 and "/accounts/password-reset/" in mail.outbox[-1].body


def test_password_reset_of_an_unknown_address_says_the_same_and_sends_nothing(alice, client):
    sent_before = len(mail.outbox)
    response = client.post("/accounts/password-reset", {"email": "nobody@example.org"})
    assert response.status_code == 302 and len(mail.outbox) == sent_before


def test_profile_language_and_logout(alice, client):
    client.force_login(alice)
    client.post("/accounts/profile", {"language": "en"})
    alice.profile.refresh_from_db()
    assert alice.profile.language == "en"
    client.post("/accounts/logout")
    assert client.get("/accounts/profile").status_code == 302


def test_tokens_are_created_shown_once_listed_and_revoked_from_the_page(alice, client):
    client.force_login(alice)
    page = client.post("/accounts/tokens", {"name": "my script"})
    token = page.context["created"]
    api = ApiClient(client, token)
    assert api.get("/api/tokens").status_code == 200
    assert api.post("/api/tokens", {"name": "x"}).status_code == 403  # a read-only token (the default) may not write
    record = alice.api_tokens.get()
    assert token not in client.get("/accounts/tokens").content.decode()
    client.post("/accounts/tokens", {"revoke": record.pk})
    assert api.get("/api/tokens").status_code == 401


def test_tokens_through_the_api_create_list_and_revoke(alice, client):
    from foodcommons.accounts.tokens import create_token

    api = ApiClient(client, create_token(user=alice))
    created = json.loads(api.post("/api/tokens", {"name": "reader"}).content)
    assert created["token"].startswith("fc_") and created["can_write"] is False
    listed = json.loads(api.get("/api/tokens").content)
    assert {t["name"] for t in listed} == {"", "reader"} and all(t["token"] is None for t in listed)
    assert json.loads(api.delete(f"/api/tokens/{created['id']}").content)["revoked"] is True


def test_another_users_token_cannot_be_revoked(alice, client, django_user_model):
    from foodcommons.accounts.tokens import create_token

    bob = django_user_model.objects.create_user("bob")
    create_token(user=bob)
    api = ApiClient(client, create_token(user=alice))
    assert api.delete(f"/api/tokens/{bob.api_tokens.get().pk}").status_code == 404


def test_a_user_downloads_their_data(alice, client):
    client.force_login(alice)
    data = json.loads(client.get("/accounts/data").content)
    assert data["account"]["email"] == "alice@example.org" and data["account"]["language"] == "nl"


def test_the_data_export_and_the_deletion_cover_the_memberships_collaboration_holds(alice, client):
    from foodcommons.collaboration.models import Membership, Organisation

    Membership.objects.create(organisation=Organisation.objects.create(slug="gasap", name="GASAP"), user=alice, role="editor")
    client.force_login(alice)
    data = json.loads(client.get("/accounts/data").content)
    assert data["memberships"] == [{"organisation": "gasap", "role": "editor"}]
    assert {"revisions", "suggestions", "reports", "confirmations"} <= data.keys()
    client.post("/accounts/delete", {"confirm": "on"})
    assert not Membership.objects.filter(user=alice).exists()


def test_deleting_an_account_erases_personal_data_and_keeps_revisions_as_deleted_user(alice, client):
    from foodcommons.places.services import create_place

    place = create_place(data=compost(), author=alice).place
    client.force_login(alice)
    client.post("/accounts/delete", {"confirm": "on"})
    alice.refresh_from_db()
    assert (alice.email, alice.is_active, alice.has_usable_password()) == ("", False, False)
    history = json.loads(client.get(f"/api/places/{place.public_id}/history").content)
    assert history[0]["author"] == "deleted user"
    assert "alice" not in client.get(f"/places/{place.public_id}/history").content.decode()


def test_security_headers_are_sent(db, client):
    response = client.get("/accounts/login")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
