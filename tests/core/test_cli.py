import io

import pytest
from django.core.management import call_command

from foodcommons.accounts.tokens import user_for_token

pytestmark = pytest.mark.django_db


def test_token_create_prints_a_working_token_for_a_new_staff_user():
    out = io.StringIO()
    call_command("token", "create", "alice", stdout=out, stderr=io.StringIO())
    user, record = user_for_token(out.getvalue().strip())
    assert user.username == "alice" and user.is_staff and record.can_write


def test_a_revoked_token_no_longer_works():
    out = io.StringIO()
    call_command("token", "create", "bob", stdout=out, stderr=io.StringIO())
    token = out.getvalue().strip()
    call_command("token", "revoke", token[:10], stdout=io.StringIO())
    assert user_for_token(token) is None


def test_the_home_page_counts_places(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b"0 places" in response.content
