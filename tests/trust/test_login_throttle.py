"""Login throttling through the real login page: 429 with Retry-After, keyed by account and address, trusted proxies only."""

import pytest
from django.test import Client

from foodcommons.core.middleware import forwarded_client, trusted_proxies

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
HOME, ELSEWHERE, PROXY = "203.0.113.5", "198.51.100.7", "10.0.0.1"


@pytest.fixture(autouse=True)
def fresh_counters(settings):
    from django.core.cache import cache

    settings.FOODCOMMONS_TRUSTED_PROXIES = []
    cache.clear()


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", email="alice@example.org", password=PASSWORD)


def log_in(username: str, password: str, address: str = HOME, language: str = "en", **headers):
    client = Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language, **headers)
    response = client.post("/accounts/login", {"username": username, "password": password})
    return response, client


def fail(times: int, username: str = "alice", address: str = HOME, **headers) -> list[int]:
    return [log_in(username, "wrong password", address, **headers)[0].status_code for _ in range(times)]


@pytest.mark.parametrize(("language", "message"), [
    ("fr", "Trop de tentatives échouées ; réessayez dans 15 min."),
    ("nl", "Te veel mislukte pogingen; probeer het over 15 min. opnieuw."),
    ("en", "Too many failed attempts; try again in 15 min."),
])
def test_after_five_failures_the_right_password_gets_429_with_retry_after_and_a_translated_message(alice, language, message):
    assert fail(5) == [200] * 5
    refused, client = log_in("alice", PASSWORD, language=language)
    assert refused.status_code == 429
    assert 840 <= int(refused["Retry-After"]) <= 900
    assert message in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_stranger_cannot_lock_someone_out_from_another_address(alice):
    assert fail(12, address=ELSEWHERE)[-1] == 429
    allowed, client = log_in("alice", PASSWORD, address=HOME)
    assert allowed.status_code == 302 and client.session["_auth_user_id"] == str(alice.pk)


def test_the_account_name_is_counted_whatever_its_case_and_spaces(alice):
    for spelling in ("alice", "ALICE", " Alice ", "alicE", "aLiCe"):
        log_in(spelling, "wrong password")
    assert log_in("alice", PASSWORD)[0].status_code == 429


def test_one_address_trying_many_accounts_is_refused_for_every_account_but_others_are_not(alice, settings):
    settings.FOODCOMMONS_RATE_LIMITS = {**settings.FOODCOMMONS_RATE_LIMITS, "login-address": (8, 900)}
    for i in range(8):
        log_in(f"someone{i}", "wrong password", address=ELSEWHERE)
    assert log_in("alice", PASSWORD, address=ELSEWHERE)[0].status_code == 429
    assert log_in("alice", PASSWORD, address=HOME)[0].status_code == 302


def test_a_successful_login_forgets_the_failures_of_that_account_from_that_address(alice):
    fail(4)
    assert log_in("alice", PASSWORD)[0].status_code == 302
    assert fail(4) == [200] * 4
    assert log_in("alice", PASSWORD)[0].status_code == 302


def test_x_forwarded_for_from_an_untrusted_peer_is_ignored(alice):
    for i in range(5):
        log_in("alice", "wrong password", address=ELSEWHERE, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    assert log_in("alice", PASSWORD, address=ELSEWHERE, HTTP_X_FORWARDED_FOR="192.0.2.200")[0].status_code == 429


def test_behind_a_trusted_proxy_the_client_it_names_is_counted(alice, settings):
    settings.FOODCOMMONS_TRUSTED_PROXIES = [f"{PROXY}/32"]
    fail(5, address=PROXY, HTTP_X_FORWARDED_FOR=f"6.6.6.6, {ELSEWHERE}")
    assert log_in("alice", PASSWORD, address=PROXY, HTTP_X_FORWARDED_FOR=f"7.7.7.7, {ELSEWHERE}")[0].status_code == 429
    assert log_in("alice", PASSWORD, address=PROXY, HTTP_X_FORWARDED_FOR=HOME)[0].status_code == 302, "another client behind the same proxy"


def test_x_forwarded_proto_counts_only_from_a_trusted_proxy(settings):
    settings.SECURE_SSL_REDIRECT = True
    untrusted = Client(REMOTE_ADDR=ELSEWHERE).get("/accounts/login", HTTP_X_FORWARDED_PROTO="https")
    assert untrusted.status_code == 301 and untrusted["Location"].startswith("https://")
    settings.FOODCOMMONS_TRUSTED_PROXIES = [PROXY]
    assert Client(REMOTE_ADDR=PROXY).get("/accounts/login", HTTP_X_FORWARDED_PROTO="https").status_code == 200


@pytest.mark.parametrize(("peer", "forwarded", "client"), [
    (HOME, "1.2.3.4", HOME),  # not a proxy: its header is not believed
    (PROXY, "", PROXY),
    (PROXY, HOME, HOME),
    (PROXY, f"1.2.3.4, {HOME}", HOME),  # what the client wrote itself comes first and is skipped
    (PROXY, f"1.2.3.4, {HOME}, 10.0.0.2", HOME),  # two proxies of ours in a row
    (PROXY, "not-an-address, 10.0.0.2", "not-an-address"),
    (PROXY, "10.0.0.3, 10.0.0.2", "10.0.0.3"),
])
def test_the_client_behind_proxies_is_the_last_address_not_a_trusted_proxy(settings, peer, forwarded, client):
    settings.FOODCOMMONS_TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert forwarded_client(peer, forwarded, trusted_proxies()) == client
